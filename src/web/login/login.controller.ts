import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthService } from '../../auth/auth.service.js';
import { AUTH } from '../../auth/auth.permissions.js';
import { RateLimited } from '../../auth/decorators.js';
import { CurrentActor, May, Public } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { WebCookies } from '../web-cookies.js';
import { LoginFailureFilter } from './login-failure.filter.js';
import { LoginFlow } from './login-flow.service.js';
import { LoginFormDto, SecondFactorFormDto } from './login-form.dto.js';
import { PendingLoginCookie } from './pending-login.cookie.js';
import { safeNext } from './safe-next.js';

/** Signing in (e-mail and password, then the second factor where needed) and out. */
@ApiExcludeController()
@Controller()
export class LoginController {
  constructor(
    private readonly auth: AuthService,
    private readonly flow: LoginFlow,
    private readonly pending: PendingLoginCookie,
    private readonly cookies: WebCookies,
  ) {}

  @Get('login')
  @Public()
  form(@Query('next') next: string | undefined, @Res() res: Response): void {
    this.flow.showForm(res, 200, { next: safeNext(next) });
  }

  @Post('login')
  @Public()
  @RateLimited()
  @UseFilters(LoginFailureFilter)
  async submit(@Body() dto: LoginFormDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const next = safeNext(dto.next);
    const result = await this.auth.login({ email: dto.email, password: dto.password }, this.flow.client(req));
    if (!result.mfaRequired) return this.flow.finish(res, result, next);
    this.pending.keep(res, { email: dto.email, password: dto.password, next });
    res.redirect(303, '/login/mfa');
  }

  @Get('login/mfa')
  @Public()
  @UseFilters(LoginFailureFilter)
  async secondStep(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = this.pending.read(req);
    if (!pending) return res.redirect(303, '/login');
    await this.flow.showSecondStep(req, res, pending);
  }

  @Post('login/mfa')
  @Public()
  @RateLimited()
  @UseFilters(LoginFailureFilter)
  async verify(@Body() dto: SecondFactorFormDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = this.pending.read(req);
    if (!pending) return this.flow.showForm(res, 401, { next: '/', errors: [{ key: 'login.error.EXPIRED', fieldId: 'email' }] });
    const result = await this.auth.login({ email: pending.email, password: pending.password, totp: dto.totp }, this.flow.client(req));
    await this.flow.finish(res, result, pending.next);
  }

  @Post('logout')
  @May(AUTH.own_session)
  async logout(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    await this.auth.logout(actor);
    this.cookies.clearSession(res);
    res.redirect(303, '/login');
  }
}
