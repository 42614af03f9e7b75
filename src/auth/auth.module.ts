import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { Feature } from '../common/features/feature.js';
import type { MamoriConfig } from '../config/configuration.js';
import { AuthSession } from './auth-session.entity.js';
import { PasswordLinkMail } from './auth.notifications.js';
import { AUTH_PROBLEMS } from './auth.problems.js';
import { PasswordToken } from './password-token.entity.js';
import { RecoveryCode } from './recovery-code.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { accessTokenKey, JwtStrategy } from './jwt.strategy.js';
import { PasswordSetupController } from './password-setup.controller.js';
import { PasswordSetupService } from './password-setup.service.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { TotpService } from './totp.service.js';

/** Sign-in, sessions, the second factor and password links; the global deny-by-default guard. */
@Feature({ name: 'auth', entities: [AuthSession, RefreshToken, RecoveryCode, PasswordToken], problems: AUTH_PROBLEMS })
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<MamoriConfig, true>) => ({ secret: accessTokenKey(config), signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, PasswordSetupController],
  providers: [AuthService, TotpService, PasswordSetupService, PasswordLinkMail, JwtStrategy, RateLimitGuard, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthService, TotpService, PasswordSetupService, RateLimitGuard],
})
export class AuthModule {}
