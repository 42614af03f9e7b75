import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor.js';
import { ApiProblem, ApiProblems } from '../common/openapi.js';
import { AUTH } from './auth.permissions.js';
import { RateLimited } from './decorators.js';
import { CurrentActor, May, Public } from '../common/access.decorators.js';
import { clientAddressOf } from './client-address.js';
import { AuthService } from './auth.service.js';
import { SecondFactorService } from './second-factor.service.js';
import { withRetryAfter } from './retry-after.js';
import {
  AccountLockedProblemDto,
  ConfirmTotpDto,
  LoginDto,
  LoginResultDto,
  RecoveryCodesDto,
  RefreshDto,
  TokenPairDto,
  TotpEnrolmentDto,
} from './dto/login.dto.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @RateLimited()
  @ApiOperation({ summary: 'Sign in; privileged roles answer `mfaRequired` until `totp` is sent' })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiProblems({ 401: 'Wrong e-mail address, password or second-factor code, or an account that cannot sign in' })
  @ApiProblem(423, 'Locked after repeated failures, from this address or from several (ACCOUNT_LOCKED, with `lockedUntil`)', AccountLockedProblemDto)
  login(@Body() dto: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginResultDto> {
    // 429 with Retry-After also when failed sign-ins of this name from this address ask for a wait
    return withRetryAfter(response, this.auth.login(dto, { clientAddress: clientAddressOf(request), channel: 'api' }));
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @RateLimited()
  @ApiOperation({ summary: 'Rotate the refresh token; a reused token revokes the session' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems({ 401: 'Invalid, expired or reused refresh token (INVALID_REFRESH_TOKEN, REFRESH_TOKEN_REUSED)' })
  refresh(@Body() dto: RefreshDto, @Req() request: Request): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken, { clientAddress: clientAddressOf(request), channel: 'api' });
  }

  @Post('logout')
  @HttpCode(204)
  @May(AUTH.own_session)
  @ApiOperation({ summary: 'End the current session (its refresh tokens stop working)' })
  @ApiNoContentResponse({ description: 'signed out' })
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  @Post('totp/enrol')
  @HttpCode(200)
  @May(AUTH.own_session)
  @ApiOperation({ summary: 'Start (or restart) enrolment of an authenticator app' })
  @ApiOkResponse({ type: TotpEnrolmentDto })
  enrolTotp(@CurrentActor() actor: Actor): Promise<TotpEnrolmentDto> {
    return this.secondFactor.startEnrolment(actor);
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @May(AUTH.own_session)
  @ApiOperation({ summary: 'Confirm enrolment with a current code; returns one-time recovery codes' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiProblems({ 409: 'No enrolment is waiting for confirmation (SECOND_FACTOR_NOT_PENDING)' })
  confirmTotp(@CurrentActor() actor: Actor, @Body() dto: ConfirmTotpDto): Promise<RecoveryCodesDto> {
    return this.secondFactor.confirmEnrolment(actor, dto.code);
  }
}
