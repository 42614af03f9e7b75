import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { localeOf } from '../locale.js';
import { CLOSE_FORM, IndicatorPagesService, REOPEN_FORM, VALUE_FORM } from './indicator-pages.service.js';

/** What the indicator pages' forms explain on their own page (with the problem's status) rather than the error page. */
export const INDICATOR_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'INDICATOR_COMPUTED',
  'FISCAL_YEAR_CLOSED',
  'FISCAL_YEAR_NOT_CLOSED',
  'FISCAL_YEAR_NOT_OVER',
  'YEAR_CLOSE_REQUIRES_SECOND_FACTOR',
]);

/** The fields of the value form, in the order of the page. */
export const VALUE_FIELDS = ['value', 'sourceNote', 'measuredOn'] as const;

/**
 * A refused form of the indicator pages shows its page again with the error summary at the top (it
 * takes the focus), each message linked to its field: a manual value on an indicator's page, a
 * year's close or reopening on the fiscal years' page (a close without a second-factor session is
 * refused there too, saying how to sign in again).
 */
@Injectable()
@Catch()
export class IndicatorPageFormFilter extends FormErrorFilter {
  protected override readonly formProblems = INDICATOR_FORM_PROBLEMS;

  constructor(private readonly pages: IndicatorPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (req.params.code) {
      const fiscalYear = String(req.params.fy);
      const errors = formErrorsOf(VALUE_FORM, error, body, { problemFields: { FISCAL_YEAR_CLOSED: 'value', INDICATOR_COMPUTED: 'value' } });
      // an empty field says so (「出典を入力してください」) rather than its length
      for (const field of VALUE_FIELDS) {
        if (typeof body[field] === 'string' && (body[field] as string).trim() !== '') continue;
        const key = `formField.${VALUE_FORM}.${field}`;
        for (const m of errors.messages) if (m.key === key) m.key = `${key}.empty`;
        const entry = errors.fields[field];
        if (entry?.key === key) entry.key = `${key}.empty`;
      }
      const data = await this.pages.detail(actor, String(req.params.code), { fiscalYear }, localeOf(req), errors);
      // the value's message says what its unit takes, as its hint does (a whole number, a percentage to two decimals, 1 or 0)
      const unit = (data as { indicator?: { unit?: string } }).indicator?.unit;
      const valueKey = `formField.${VALUE_FORM}.value`;
      if (unit) {
        for (const m of errors.messages) if (m.key === valueKey) m.key = `${valueKey}.${unit}`;
        if (errors.fields.value?.key === valueKey) errors.fields.value.key = `${valueKey}.${unit}`;
      }
      return { view: 'indicator-detail', data: { ...data, formErrors: errors } };
    }
    const fiscalYear = String(req.params.fy);
    const reopening = req.path.endsWith('/reopen');
    const form = reopening ? REOPEN_FORM : CLOSE_FORM;
    const fieldId = reopening ? `reason-${fiscalYear}` : `note-${fiscalYear}`;
    const key = error.code === 'VALIDATION_FAILED' ? `formField.${form}.${reopening ? 'reason' : 'note'}` : `formError.${error.code}`;
    const errors = formErrors(form, [{ key, fieldId }], { ...body, fiscalYear });
    return { view: 'fiscal-years', data: { ...(await this.pages.years(actor, errors)), formErrors: errors } };
  }
}
