import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import { formatDate } from '../../common/dates.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { localeOf } from '../locale.js';
import { ATTENDANCE_FORM, CANCEL_FORM, DrillPagesService, EVENT_FORM, FINISH_FORM, SCHEDULE_FORM, START_FORM, STEP_FORM } from './drill-pages.service.js';

/** What the drill pages' forms explain on their own page (with the problem's status) rather than the error page. */
export const DRILL_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'DRILL_LINK_INVALID',
  'DRILL_NOT_SCHEDULED',
  'DRILL_NOT_RUNNING',
  'DRILL_TOO_EARLY',
  'DRILL_STEP_NOT_FOUND',
  'DRILL_TIME_INVALID',
]);

/** The fields of the schedule form (`formField.drillSchedule.<field>`); a field the service names maps to the form's. */
export const SCHEDULE_FIELDS = [
  'scenarioId',
  'kind',
  'title',
  'date',
  'startTime',
  'endTime',
  'location',
  'onlineUrl',
  'facilitatorId',
  'inviteRoles',
  'inviteDepartmentIds',
  'inviteEmails',
] as const;
const SERVICE_FIELDS: Record<string, string> = {
  startsAt: 'startTime',
  endsAt: 'endTime',
  'invitees.staffIds': 'inviteEmails',
  'invitees.roles': 'inviteRoles',
  'invitees.departmentIds': 'inviteDepartmentIds',
};

/** The messages of a refused schedule form: each refused field by its own message, linked to it. */
export function scheduleMessages(error: AppException): FormMessage[] {
  const fieldOf = (field: string): string => {
    const mapped = SERVICE_FIELDS[field] ?? field.split('.')[0]!;
    return (SCHEDULE_FIELDS as readonly string[]).includes(mapped) ? mapped : 'title';
  };
  const seen = new Set<string>();
  const messages: FormMessage[] = [];
  for (const e of error.errors ?? []) {
    const fieldId = fieldOf(e.field);
    if (seen.has(fieldId)) continue;
    seen.add(fieldId);
    if (error.code === 'DRILL_LINK_INVALID') {
      const emails = Array.isArray(error.extra?.unknownEmails) ? (error.extra.unknownEmails as string[]).join('、') : '';
      messages.push({ key: `drills.problem.link.${fieldId}`, values: { emails }, fieldId });
    } else if (e.field === 'endsAt' && e.messages.join(' ').includes('after')) messages.push({ key: 'formField.drillSchedule.endTime.order', fieldId });
    else messages.push({ key: `formField.drillSchedule.${fieldId}`, fieldId });
  }
  return messages.length ? messages : [{ key: `drills.problem.${error.code}`, fieldId: 'title' }];
}

/**
 * A refused form of the drill pages shows its page again with the error summary at the top (it
 * takes the focus), each message linked to its field: the schedule form, a drill's page (start,
 * cancel), and the live page (a step, the roll, an inject or a problem, the finish). A drill that
 * is not in the state for it (409) says what state it is in.
 */
@Injectable()
@Catch()
export class DrillPageFormFilter extends FormErrorFilter {
  protected override readonly formProblems = DRILL_FORM_PROBLEMS;

  constructor(
    private readonly pages: DrillPagesService,
    private readonly i18n: I18nService,
  ) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const locale = localeOf(req);
    const id = req.params.id ? String(req.params.id) : null;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const status = this.i18n.translate(locale, `drills.status.${String(error.extra?.drillStatus ?? '')}`);
    // the drill is not in the state for it: the form it came from is no longer on the page, so the message links nowhere
    const stateMessage = (code: string = error.code): FormMessage => ({ key: `drills.problem.${code}`, values: { status } });

    if (!id) {
      const errors = formErrors(SCHEDULE_FORM, scheduleMessages(error), body);
      return { view: 'drill-schedule', data: { ...(await this.pages.newDrill(actor, errors)), formErrors: errors } };
    }

    const path = req.path;
    if (path.endsWith('/cancel') || path.endsWith('/start')) {
      const cancelling = path.endsWith('/cancel');
      const form = cancelling ? CANCEL_FORM : START_FORM;
      const message =
        // starting (DRILL_NOT_RUNNING) and cancelling (DRILL_NOT_SCHEDULED) both need a scheduled drill
        error.code === 'VALIDATION_FAILED'
          ? { key: 'formField.drillCancel.reason', fieldId: 'reason' }
          : error.code === 'DRILL_TOO_EARLY'
            ? { key: 'drills.problem.DRILL_TOO_EARLY', values: { date: formatDate(String(error.extra?.scheduledOn ?? ''), locale) } }
            : stateMessage('DRILL_NOT_SCHEDULED');
      const errors = formErrors(form, [message], body, error.code === 'VALIDATION_FAILED' ? undefined : 'drills.problem.heading');
      return { view: 'drill-page', data: { ...(await this.pages.drill(actor, id, locale, errors)), formErrors: errors } };
    }

    // the live page's forms
    const position = req.params.position ? Number(req.params.position) : undefined;
    let form = STEP_FORM;
    let fieldId = position ? `note-${position}` : 'steps-heading';
    if (path.endsWith('/attendance')) [form, fieldId] = [ATTENDANCE_FORM, 'attendance'];
    else if (path.endsWith('/events')) [form, fieldId] = [EVENT_FORM, body.kind === 'problem' ? 'problem-text' : 'inject-text'];
    else if (path.endsWith('/finish')) [form, fieldId] = [FINISH_FORM, 'lessons'];
    else if (path.endsWith('/undo')) fieldId = `undo-${position}`;
    const message: FormMessage =
      error.code === 'VALIDATION_FAILED' ? { key: `formField.${form}.${form === EVENT_FORM ? 'text' : 'field'}`, fieldId } : stateMessage();
    const errors = formErrors(form, [message], body, error.code === 'VALIDATION_FAILED' ? undefined : 'drills.problem.heading');
    return { view: 'drill-run', data: { ...(await this.pages.run(actor, id, locale, errors, new Date(), position)), formErrors: errors } };
  }
}
