import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { EscalationPolicyPagesService, POLICY_FORM } from './escalation-policy-pages.service.js';

/** What the policy form explains on its own page. */
export const POLICY_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'ESCALATION_POLICY_INVALID',
  'ESCALATION_TRIGGER_TAKEN',
  'ESCALATION_POLICY_KEY_TAKEN',
]);

/** The fields of a level a message can be about, by the name of its message. */
export const LEVEL_FIELDS = ['recipients', 'staffEmails', 'channels', 'timeoutMinutes', 'repeat'] as const;
/** The policy's own fields. */
export const POLICY_FIELDS = ['key', 'name', 'nameEn', 'triggers', 'webhookUrl', 'levels'] as const;

/**
 * One refused field → its message and the element it is about. The service names fields as the API
 * does (`levels.2.timeoutMinutes`, `levels.0.recipients.staffIds`), the form's own check as the form
 * sends them (`timeoutMinutes.2`); a level's message says which level (`{level}`).
 */
export function policyFieldMessage(field: string): FormMessage {
  const api = /^levels\.(\d+)(?:\.(\w+))?(?:\.(\w+))?/.exec(field);
  const sent = /^(timeoutMinutes|repeat|staffEmails)\.(\d+)$/.exec(field);
  if (api || sent) {
    const n = Number(api ? api[1] : sent![2]) + 1;
    let name = api ? (api[2] ?? 'recipients') : sent![1]!;
    if (name === 'recipients' && api?.[3] === 'staffIds') name = 'staffEmails';
    if (!(LEVEL_FIELDS as readonly string[]).includes(name)) name = 'recipients';
    return { key: `formField.${POLICY_FORM}.${name}`, values: { level: String(n) }, fieldId: `level-${n}-${name}` };
  }
  const top = field.split('.')[0]!;
  if (top === 'levels') return { key: `formField.${POLICY_FORM}.levels`, values: { level: '1' }, fieldId: 'level-1-recipients' };
  if ((POLICY_FIELDS as readonly string[]).includes(top)) return { key: `formField.${POLICY_FORM}.${top}`, values: { level: '' }, fieldId: top };
  // the rows' checkboxes as the form sends them (`roles`, `channels`, `reporterManager`)
  return { key: `formField.${POLICY_FORM}.rows`, values: { level: '' } };
}

/** The messages of a refused policy form. */
export function policyFormMessages(error: AppException): FormMessage[] {
  if (error.code === 'ESCALATION_TRIGGER_TAKEN') {
    const extra = error.extra as { trigger?: string; policyKey?: string } | undefined;
    return [{ key: 'formError.ESCALATION_TRIGGER_TAKEN', values: { trigger: extra?.trigger ?? '', policy: extra?.policyKey ?? '' }, fieldId: 'triggers' }];
  }
  if (error.code === 'ESCALATION_POLICY_KEY_TAKEN') return [{ key: 'formError.ESCALATION_POLICY_KEY_TAKEN', fieldId: 'key' }];
  const messages = new Map<string, FormMessage>();
  for (const { field } of error.errors ?? []) {
    const message = policyFieldMessage(field);
    messages.set(message.fieldId ?? message.key, message);
  }
  return messages.size ? [...messages.values()] : [{ key: `formError.${error.code}` }];
}

/** A refused policy form shows the form again: the error summary at the top, each message beside its field. */
@Injectable()
@Catch()
export class EscalationPolicyFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = POLICY_FORM_PROBLEMS;

  constructor(private readonly pages: EscalationPolicyPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const errors = formErrors(POLICY_FORM, policyFormMessages(error), req.body);
    const id = req.params.id ? String(req.params.id) : null;
    const data = id ? await this.pages.editForm(actor, id, errors) : await this.pages.newForm(actor, errors);
    return { view: 'escalation-policy-form', data: { ...data, formErrors: errors } };
  }
}
