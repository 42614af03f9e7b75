import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessTokens } from '../../auth/access-tokens.js';
import { AuthService, type ClientInfo } from '../../auth/auth.service.js';
import { clientAddressOf } from '../../auth/client-address.js';
import type { LoginResultDto } from '../../auth/dto/login.dto.js';
import { AppException } from '../../common/errors/app.exception.js';
import { formErrors, type FormMessage } from '../forms/form-error.js';
import { homeOf } from '../viewer.service.js';
import { WebCookies } from '../web-cookies.js';
import { PendingLoginCookie, type PendingLogin } from './pending-login.cookie.js';

export interface LoginFormView {
  email?: string;
  next: string;
  /** why the form was refused (the error summary's messages) */
  errors?: FormMessage[];
}

/** The pages of signing in, shared by the login controller and its failure filter. */
@Injectable()
export class LoginFlow {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: AccessTokens,
    private readonly cookies: WebCookies,
    private readonly pending: PendingLoginCookie,
  ) {}

  client(req: Request): ClientInfo {
    return { clientAddress: clientAddressOf(req), channel: 'web' };
  }

  showForm(res: Response, status: number, view: LoginFormView): void {
    const email = view.email ?? '';
    res.status(status).render('login', {
      title: 'login.title',
      email,
      next: view.next,
      // a refusal with nothing to correct in the form (a locked account) is not about what was typed
      formErrors: view.errors?.length ? formErrors('login', view.errors, { email }, view.errors[0]!.fieldId ? undefined : 'login.error.heading') : null,
    });
  }

  /** The second step; asking AuthService again gives the enrolment QR code when there is one. */
  async showSecondStep(req: Request, res: Response, pending: PendingLogin, status = 200, errors: FormMessage[] = []): Promise<void> {
    const prompt = await this.auth.login({ email: pending.email, password: pending.password }, this.client(req));
    if (!prompt.mfaRequired) return this.finish(res, prompt, pending.next);
    res.set('Cache-Control', 'no-store');
    res
      .status(status)
      .render('login-mfa', { title: 'mfa.title', enrolment: prompt.enrolment ?? null, formErrors: errors.length ? formErrors('mfa', errors) : null });
  }

  /** Signed in: the session cookies, then the recovery codes (once) or the page asked for (by default "/", which leads to the person's home). */
  async finish(res: Response, result: LoginResultDto, next: string): Promise<void> {
    if (!result.tokens) throw new AppException('INTERNAL', 'sign-in returned no tokens');
    this.pending.clear(res);
    this.cookies.setSession(res, result.tokens);
    // no page asked for: the person's home (the security office's work queue, everyone else's my page)
    if (next === '/') {
      const claims = this.tokens.verify(result.tokens.accessToken);
      next = homeOf(claims ? await this.auth.actorForToken(claims, null) : null);
    }
    if (result.recoveryCodes?.length) {
      res.set('Cache-Control', 'no-store');
      // shown once: no language switch that would lose them
      res.render('recovery-codes', { title: 'recovery.title', codes: result.recoveryCodes, next, languageSwitch: null });
      return;
    }
    res.redirect(303, next);
  }
}
