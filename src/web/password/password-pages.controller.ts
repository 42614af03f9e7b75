import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isEmail } from 'class-validator';
import type { Request, Response } from 'express';
import { RateLimited } from '../../auth/decorators.js';
import { Public } from '../../common/access.decorators.js';
import { clientAddressOf } from '../../auth/client-address.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/dto/password-setup.dto.js';
import { PasswordSetupService } from '../../auth/password-setup.service.js';
import { AppException } from '../../common/errors/app.exception.js';
import { formErrors, type FormMessage } from '../forms/form-error.js';
import { ForgotPasswordFormDto, SetPasswordFormDto } from './password-form.dto.js';
import { PasswordRefusalFilter } from './password-refusal.filter.js';

/** Message keys of what the set-password form may be refused for. */
type SetPasswordError = 'MISMATCH' | 'TOO_SHORT' | 'TOO_LONG' | 'PASSWORD_TOKEN_INVALID';

/** Each refusal, linked to the field to fix (a link that does not work has no field: the page offers a new link). */
const SET_PASSWORD_MESSAGES: Record<SetPasswordError, FormMessage> = {
  MISMATCH: { key: 'password.error.MISMATCH', fieldId: 'password', alsoIds: ['confirmation'] },
  TOO_SHORT: { key: 'password.error.TOO_SHORT', fieldId: 'password' },
  TOO_LONG: { key: 'password.error.TOO_LONG', fieldId: 'password' },
  PASSWORD_TOKEN_INVALID: { key: 'password.error.PASSWORD_TOKEN_INVALID', fieldId: 'request-new' },
};

/**
 * Setting a password from an e-mailed link (invitation or reset), and asking for a reset link.
 * Open to anyone: the link's token is the proof. The token is in the URL, so these pages are
 * never cached (and the pages send no Referer: helmet's `no-referrer`).
 */
@ApiExcludeController()
@Controller('password')
export class PasswordPagesController {
  constructor(private readonly passwords: PasswordSetupService) {}

  @Get('set')
  @Public()
  async setForm(@Query('token') token: unknown, @Res() res: Response): Promise<void> {
    const value = typeof token === 'string' ? token : '';
    if (!(await this.passwords.isUsable(value))) return this.showSetForm(res, 400, value, 'PASSWORD_TOKEN_INVALID');
    this.showSetForm(res, 200, value);
  }

  @Post('set')
  @Public()
  @RateLimited()
  @UseFilters(PasswordRefusalFilter)
  async set(@Body() form: SetPasswordFormDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const token = form.token ?? '';
    const password = form.password ?? '';
    if (password.length < PASSWORD_MIN_LENGTH) return this.showSetForm(res, 400, token, 'TOO_SHORT');
    if (password.length > PASSWORD_MAX_LENGTH) return this.showSetForm(res, 400, token, 'TOO_LONG');
    if (password !== (form.confirmation ?? '')) return this.showSetForm(res, 400, token, 'MISMATCH');
    try {
      await this.passwords.setPassword(token, password, clientAddressOf(req));
    } catch (error) {
      if (error instanceof AppException && error.code === 'PASSWORD_TOKEN_INVALID') return this.showSetForm(res, 400, token, 'PASSWORD_TOKEN_INVALID');
      if (error instanceof AppException && error.code === 'VALIDATION_FAILED') return this.showSetForm(res, 400, token, 'TOO_SHORT');
      throw error;
    }
    res.set('Cache-Control', 'no-store');
    res.locals.pageUrl = '/login'; // the link is used up: the language switch leads to the sign-in page
    res.render('password-done', { title: 'password.done.title' });
  }

  @Get('forgot')
  @Public()
  forgotForm(@Res() res: Response): void {
    res.render('password-forgot', { title: 'password.forgot.title', email: '' });
  }

  @Post('forgot')
  @Public()
  @RateLimited()
  @UseFilters(PasswordRefusalFilter)
  async forgot(@Body() form: ForgotPasswordFormDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const email = (form.email ?? '').trim();
    if (email.length > 254 || !isEmail(email)) {
      return res.status(400).render('password-forgot', {
        title: 'password.forgot.title',
        email,
        formErrors: formErrors('forgot', [{ key: 'password.error.EMAIL_INVALID', fieldId: 'email' }], { email }),
      });
    }
    await this.passwords.requestReset(email, clientAddressOf(req));
    res.render('password-forgot-sent', { title: 'password.sent.title' });
  }

  private showSetForm(res: Response, status: number, token: string, error?: SetPasswordError): void {
    res.set('Cache-Control', 'no-store');
    res.status(status).render('password-set', {
      title: 'password.set.title',
      token,
      // a link that does not work gets no form, only the way to ask for a new one
      usable: error !== 'PASSWORD_TOKEN_INVALID',
      formErrors: error
        ? formErrors('set', [SET_PASSWORD_MESSAGES[error]], {}, error === 'PASSWORD_TOKEN_INVALID' ? 'password.error.linkHeading' : undefined)
        : null,
    });
  }
}
