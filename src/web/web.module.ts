import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuditTrailModule } from '../audit-trail/audit-trail.module.js';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { PolicyReviewsModule } from '../policies/policy-reviews.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { AcknowledgementPagesController } from './acknowledgements/acknowledgement-pages.controller.js';
import { PolicyAcknowledgementDuties } from './acknowledgements/policy-acknowledgement-duties.js';
import { AuditTrailPagesController } from './audit-trail/audit-trail-pages.controller.js';
import { ControlFormErrorFilter } from './controls/control-form.filter.js';
import { ControlPagesController } from './controls/control-pages.controller.js';
import { ControlPagesService } from './controls/control-pages.service.js';
import { EvidenceFormInterceptor } from './controls/evidence-form.interceptor.js';
import { MultipartFormGuard } from './forms/multipart-form.js';
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
import { PasswordPagesController } from './password/password-pages.controller.js';
import { PolicyPagesController, ReviewPagesController } from './policies/policy-pages.controller.js';
import { PolicyPagesService } from './policies/policy-pages.service.js';
import { ReviewFormErrorFilter } from './policies/review-form.filter.js';
import { StaffPagesController } from './staff/staff-pages.controller.js';
import { ViewerService } from './viewer.service.js';
import { WebCookies } from './web-cookies.js';

/** The server-rendered pages (views: views.setup.ts). */
@Module({
  imports: [AuthModule, StaffModule, AuditTrailModule, PoliciesModule, PolicyReviewsModule],
  controllers: [
    LoginController,
    PasswordPagesController,
    MyPageController,
    StaffPagesController,
    AuditTrailPagesController,
    PolicyPagesController,
    ReviewPagesController,
    ControlPagesController,
    AcknowledgementPagesController,
  ],
  providers: [
    I18nService,
    WebCookies,
    ViewerService,
    PendingLoginCookie,
    LoginFlow,
    MyPageService,
    PolicyPagesService,
    ControlPagesService,
    ControlFormErrorFilter,
    ReviewFormErrorFilter,
    EvidenceFormInterceptor,
    PolicyAcknowledgementDuties,
    // training (issue: training) adds its DutyProvider here
    { provide: DUTY_PROVIDERS, useFactory: (policies: PolicyAcknowledgementDuties) => [policies], inject: [PolicyAcknowledgementDuties] },
    // a multipart form is accepted only by routes that check its CSRF token after parsing it
    { provide: APP_GUARD, useClass: MultipartFormGuard },
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
