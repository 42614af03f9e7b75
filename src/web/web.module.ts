import { Global, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { Feature } from '../common/features/feature.js';
import { ApiDocsController } from './api-docs/api-docs.controller.js';
import { FlashMiddleware } from './flash.js';
import { MultipartFormGuard } from './forms/multipart-form.js';
import { I18nService } from './i18n/i18n.service.js';
import { LoginFlow } from './login/login-flow.service.js';
import { LoginController } from './login/login.controller.js';
import { PendingLoginCookie } from './login/pending-login.cookie.js';
import { CsrfMiddleware } from './middleware/csrf.middleware.js';
import { LocaleMiddleware } from './middleware/locale.middleware.js';
import { SessionRefreshMiddleware } from './middleware/session-refresh.middleware.js';
import { ViewContextMiddleware } from './middleware/view-context.middleware.js';
import { MyPageController } from './my-page/my-page.controller.js';
import { MyPageService } from './my-page/my-page.service.js';
import { Navigation } from './navigation.js';
import { PasswordPagesController } from './password/password-pages.controller.js';
import { ViewerService } from './viewer.service.js';
import { WEB } from './web.permissions.js';
import { WebCookies } from './web-cookies.js';
import { WorkQueueController } from './work-queue/work-queue.controller.js';
import { WorkQueueService } from './work-queue/work-queue.service.js';

/**
 * The web layer's shell: sign-in and password pages, "my page", the security office's work queue,
 * the API documentation page, the layout, the middleware of every page (language, session refresh,
 * CSRF, flash messages) and what every feature's pages module uses (messages, the signed-in person,
 * the menu, the form and flash patterns). Each feature's pages live in `src/web/<feature>/` as a
 * module of their own, listed beside the feature in src/features.ts.
 */
@Feature({
  name: 'web',
  navigation: [
    { href: '/work', label: 'nav.workQueue', permission: WEB.work_queue, order: -10 },
    { href: '/', label: 'nav.myPage', permission: WEB.my_page, order: 0 },
    { href: '/api-docs', label: 'nav.apiDocs', permission: WEB.api_docs, order: 100 },
  ],
})
@Global()
@Module({
  imports: [AuthModule],
  controllers: [LoginController, PasswordPagesController, MyPageController, WorkQueueController, ApiDocsController],
  providers: [
    I18nService,
    WebCookies,
    ViewerService,
    Navigation,
    PendingLoginCookie,
    LoginFlow,
    MyPageService,
    WorkQueueService,
    // a multipart form is accepted only by routes that check its CSRF token after parsing it
    { provide: APP_GUARD, useClass: MultipartFormGuard },
  ],
  exports: [I18nService, ViewerService, WebCookies, WorkQueueService],
})
export class WebModule implements NestModule {
  /** Page requests only: the API, the static files and the calendar feeds have neither cookies' session nor forms. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(LocaleMiddleware, FlashMiddleware, ViewContextMiddleware, SessionRefreshMiddleware, CsrfMiddleware)
      .exclude(
        { path: 'api/{*path}', method: RequestMethod.ALL },
        { path: 'static/{*path}', method: RequestMethod.ALL },
        { path: 'health', method: RequestMethod.ALL },
        // calendar subscriptions: fetched by calendars, the token in the address is the credential (no session, no cookies)
        { path: 'calendar/{*path}', method: RequestMethod.ALL },
      )
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
