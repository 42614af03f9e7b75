import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService, type ClientInfo } from '../../auth/auth.service.js';
import { clientAddressOf } from '../../auth/decorators.js';
import type { LoginResultDto } from '../../auth/dto/login.dto.js';
import { AppException } from '../../common/errors/app.exception.js';
import { WebCookies } from '../web-cookies.js';
import { PendingLoginCookie, type PendingLogin } from './pending-login.cookie.js';

export interface LoginFormView {
  email?: string;
  next: string;
  /** message key of the error to announce */
  error?: string;
}

/** The pages of signing in, shared by the login controller and its failure filter. */
@Injectable()
export class LoginFlow {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: WebCookies,
    private readonly pending: PendingLoginCookie,
  ) {}

  client(req: Request): ClientInfo {
    return { clientAddress: clientAddressOf(req), channel: 'web' };
  }

  showForm(res: Response, status: number, view: LoginFormView): void {
    res.status(status).render('login', { title: 'login.title', email: view.email ?? '', next: view.next, error: view.error });
  }

  /** The second step; asking AuthService again gives the enrolment QR code when there is one. */
  async showSecondStep(req: Request, res: Response, pending: PendingLogin, status = 200, error?: string): Promise<void> {
    const prompt = await this.auth.login({ email: pending.email, password: pending.password }, this.client(req));
    if (!prompt.mfaRequired) return this.finish(res, prompt, pending.next);
    res.set('Cache-Control', 'no-store');
    res.status(status).render('login-mfa', { title: 'mfa.title', enrolment: prompt.enrolment ?? null, error });
  }

  /** Signed in: the session cookies, then the recovery codes (once) or the page asked for. */
  finish(res: Response, result: LoginResultDto, next: string): void {
    if (!result.tokens) throw new AppException('INTERNAL', 'sign-in returned no tokens');
    this.pending.clear(res);
    this.cookies.setSession(res, result.tokens);
    if (result.recoveryCodes?.length) {
      res.set('Cache-Control', 'no-store');
      res.render('recovery-codes', { title: 'recovery.title', codes: result.recoveryCodes, next });
      return;
    }
    res.redirect(303, next);
  }
}
