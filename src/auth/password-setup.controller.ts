import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { AUTH } from './auth.permissions.js';
import { RateLimited } from './decorators.js';
import { CurrentActor, May, Public } from '../common/access.decorators.js';
import { clientAddressOf } from './client-address.js';
import { ForgotPasswordDto, ForgotPasswordResultDto, InvitationResultDto, SetPasswordDto } from './dto/password-setup.dto.js';
import { PasswordSetupService } from './password-setup.service.js';

/** The one answer to "forgot password", whatever the address. */
export const FORGOT_PASSWORD_ANSWER: ForgotPasswordResultDto = {
  message: 'If the address belongs to an account, a link to set a new password has been sent to it.',
};

@ApiTags('auth')
@Controller('api/v1')
export class PasswordSetupController {
  constructor(private readonly passwords: PasswordSetupService) {}

  @Post('staff/:id/invitation')
  @HttpCode(202)
  @May(AUTH.invite)
  @ApiOperation({ summary: 'E-mail the person a one-time link to set their password (valid 72 hours; earlier links stop working)' })
  @ApiAcceptedResponse({ type: InvitationResultDto })
  @ApiProblems({ 404: 'No such staff member (STAFF_NOT_FOUND)', 409: 'The person has retired (ACCOUNT_RETIRED)' })
  invite(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationResultDto> {
    return this.passwords.invite(actor, id);
  }

  @Post('auth/password/forgot')
  @HttpCode(202)
  @Public()
  @RateLimited()
  @ApiOperation({ summary: 'E-mail a one-time link to reset the password (valid 2 hours); the answer is the same for unknown addresses' })
  @ApiAcceptedResponse({ type: ForgotPasswordResultDto })
  async forgot(@Body() dto: ForgotPasswordDto, @Req() request: Request): Promise<ForgotPasswordResultDto> {
    await this.passwords.requestReset(dto.email, clientAddressOf(request));
    return FORGOT_PASSWORD_ANSWER;
  }

  @Post('auth/password/set')
  @HttpCode(204)
  @Public()
  @RateLimited()
  @ApiOperation({ summary: 'Set the password with the token of an e-mailed link; ends every session of the person' })
  @ApiNoContentResponse({ description: 'password set; sign in with it' })
  @ApiProblems({ 400: 'Invalid, used or expired link (PASSWORD_TOKEN_INVALID), or a password of the wrong length (VALIDATION_FAILED)' })
  async set(@Body() dto: SetPasswordDto, @Req() request: Request): Promise<void> {
    await this.passwords.setPassword(dto.token, dto.password, clientAddressOf(request));
  }
}
