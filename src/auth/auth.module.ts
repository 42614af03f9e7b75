import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Feature } from '../common/features/feature.js';
import { AccessTokens } from './access-tokens.js';
import { SecondFactorService } from './second-factor.service.js';
import { AccessGuard } from './access.guard.js';
import { AuthSession } from './auth-session.entity.js';
import { AuthController } from './auth.controller.js';
import { AccountLockedMail, PasswordLinkMail, PasswordResetMail } from './auth.notifications.js';
import { AUTH_PROBLEMS } from './auth.problems.js';
import { AuthService } from './auth.service.js';
import { PasswordSetupController } from './password-setup.controller.js';
import { PasswordSetupService } from './password-setup.service.js';
import { PasswordToken } from './password-token.entity.js';
import { AuthRateLimiter, RateLimitGuard } from './rate-limit.guard.js';
import { RecoveryCode } from './recovery-code.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { SignInAttempts } from './sign-in-attempts.js';
import { SignInFailure } from './sign-in-failure.entity.js';
import { TotpService } from './totp.service.js';
import { AUTH_AUDIT } from './auth.audit.js';

/** Sign-in, sessions, the second factor and password links; the global deny-by-default guard. */
@Feature({ name: 'auth', entities: [AuthSession, RefreshToken, RecoveryCode, PasswordToken, SignInFailure], problems: AUTH_PROBLEMS, auditTrail: AUTH_AUDIT })
@Module({
  controllers: [AuthController, PasswordSetupController],
  providers: [
    AuthService,
    SecondFactorService,
    AccessTokens,
    TotpService,
    PasswordSetupService,
    SignInAttempts,
    PasswordLinkMail,
    PasswordResetMail,
    AccountLockedMail,
    AuthRateLimiter,
    RateLimitGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, AccessTokens, TotpService, PasswordSetupService, AuthRateLimiter, RateLimitGuard],
})
export class AuthModule {}
