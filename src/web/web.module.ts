import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuditTrailModule } from '../audit-trail/audit-trail.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { AuditTrailPagesController } from './audit-trail/audit-trail-pages.controller.js';
import { I18nService } from './i18n/i18n.service.js';
import { LoginFlow } from './login/login-flow.service.js';
import { LoginController } from './login/login.controller.js';
import { PendingLoginCookie } from './login/pending-login.cookie.js';
import { CsrfMiddleware } from './middleware/csrf.middleware.js';
import { LocaleMiddleware } from './middleware/locale.middleware.js';
import { SessionRefreshMiddleware } from './middleware/session-refresh.middleware.js';
import { ViewContextMiddleware } from './middleware/view-context.middleware.js';
import { DUTY_PROVIDERS, MyPageService } from './my-page/my-page.service.js';
import { MyPageController } from './my-page/my-page.controller.js';
import { StaffPagesController } from './staff/staff-pages.controller.js';
import { ViewerService } from './viewer.service.js';
import { WebCookies } from './web-cookies.js';

/** The server-rendered pages (views: views.setup.ts). */
@Module({
  imports: [AuthModule, StaffModule, AuditTrailModule],
  controllers: [LoginController, MyPageController, StaffPagesController, AuditTrailPagesController],
  providers: [
    I18nService,
    WebCookies,
    ViewerService,
    PendingLoginCookie,
    LoginFlow,
    MyPageService,
    // Training (issue: training) and policy acknowledgements add their DutyProviders here, e.g.
    // { provide: DUTY_PROVIDERS, useFactory: (t: TrainingDuties, p: PolicyDuties) => [t, p], inject: [...] }
    { provide: DUTY_PROVIDERS, useValue: [] },
  ],
  exports: [I18nService],
})
export class WebModule implements NestModule {
  /** Page requests only: the API and the static files have neither cookies' session nor forms. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(LocaleMiddleware, ViewContextMiddleware, SessionRefreshMiddleware, CsrfMiddleware)
      .exclude(
        { path: 'api/{*path}', method: RequestMethod.ALL },
        { path: 'static/{*path}', method: RequestMethod.ALL },
        { path: 'health', method: RequestMethod.ALL },
      )
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
