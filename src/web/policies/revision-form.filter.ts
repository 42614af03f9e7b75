import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { PolicyPagesService } from './policy-pages.service.js';

/** What the revise page explains on its own page. */
export const REVISION_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'POLICY_TEXT_UNCHANGED',
  'POLICY_DRAFT_OPEN',
  'POLICY_DRAFT_NOT_OPEN',
]);

/** The fields of the revise page whose messages say what was wrong: `formField.revise.<field>[.empty|.englishHeading]`. */
export const REVISION_FIELD_MESSAGES = [
  'formField.revise.body',
  'formField.revise.body.empty',
  'formField.revise.body.englishHeading',
  'formField.revise.bodyEn',
  'formField.revise.changeNote',
  'formField.revise.changeNote.empty',
  'formField.revise.intent',
  'formField.revise.replacesDraft',
] as const;

/** The message of one refused field: empty, a `## English` heading in the Japanese text, or else the field's rule (its length). */
function fieldMessage(field: string, messages: string[]): string {
  const text = messages.join(' ');
  const specific = /must not be empty/.test(text) ? `${field}.empty` : field === 'body' && /English/.test(text) ? 'body.englishHeading' : field;
  const key = `formField.revise.${specific}`;
  return (REVISION_FIELD_MESSAGES as readonly string[]).includes(key) ? key : `formField.revise.${field}`;
}

/** The messages of a refused revision: each refused field, or the problem (linked to the Japanese text when it is about the text). */
export function revisionFormErrors(error: AppException, body: unknown): FormErrors {
  const fieldId = (field: string): string => (field === 'intent' || field === 'replacesDraft' ? 'body' : field);
  if (error.code === 'VALIDATION_FAILED' && error.errors?.length) {
    const seen = new Set<string>();
    const messages: FormMessage[] = [];
    for (const e of error.errors) {
      const field = e.field.split('.')[0]!;
      if (seen.has(field)) continue;
      seen.add(field);
      messages.push({ key: fieldMessage(field, e.messages), fieldId: fieldId(field) });
    }
    return formErrors('revise', messages, body);
  }
  const extra = error.extra as { openDraft?: number | null } | undefined;
  const values = { version: String(extra?.openDraft ?? '') };
  return formErrors('revise', [{ key: `formError.${error.code}`, values, fieldId: error.code === 'POLICY_TEXT_UNCHANGED' ? 'body' : undefined }], body);
}

/** A refused revision (or preview) shows the revise page again with what was typed, the error summary and the message beside the field. */
@Injectable()
@Catch()
export class RevisionFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = REVISION_FORM_PROBLEMS;

  constructor(private readonly pages: PolicyPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const formErrors = revisionFormErrors(error, req.body);
    return { view: 'policy-revise', data: { ...(await this.pages.revising(actor, String(req.params.key), { formErrors })), formErrors } };
  }
}
