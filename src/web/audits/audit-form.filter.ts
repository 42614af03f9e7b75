import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { formatFiscalYear } from '../../common/dates.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { localeOf } from '../locale.js';
import { auditPath, AuditPagesService, PLAN_FORM, REPORT_FORM, START_FORM } from './audit-pages.service.js';

/** What the audit plan pages' forms explain on their own page (with the problem's status) rather than the error page. */
export const AUDIT_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'AUDIT_LINK_INVALID',
  'AUDIT_OWN_DEPARTMENT',
  'AUDIT_SCOPE_EMPTY',
  'AUDIT_TRANSITION_NOT_ALLOWED',
  'AUDIT_ITEMS_OPEN',
  'AUDIT_NOT_IN_PROGRESS',
  'AUDIT_SIGN_OFFS_MISSING',
]);

/** The heading of a refused start or report: not about what was typed, but about where the audit is. */
const REFUSED_HEADING = { start: 'auditPlan.problem.startHeading', reporting: 'auditPlan.problem.reportHeading', summary: 'auditPlan.problem.summaryHeading' };

/** The names of the departments a self-inspection still waits on (AUDIT_SIGN_OFFS_MISSING's `unsignedDepartments`), joined as people write them. */
export function unsignedNames(extra: Record<string, unknown> | undefined, separator = '、'): string {
  const departments = Array.isArray(extra?.unsignedDepartments) ? (extra.unsignedDepartments as { name?: unknown }[]) : [];
  return departments
    .map((d) => (typeof d?.name === 'string' ? d.name : ''))
    .filter(Boolean)
    .join(separator);
}

/** The fields of the plan form that a message may be about (`formField.auditPlan.<field>`). */
export const PLAN_FIELDS = ['fiscalYear', 'kind', 'title', 'chapters', 'departmentIds', 'leadAuditorId', 'auditorIds', 'plannedStart', 'plannedEnd'] as const;

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : []);

/** The id of a team member's checkbox. */
export const teamBoxId = (staffId: string): string => `auditorIds-${staffId}`;

/**
 * The messages of a refused plan: each refused field by its own message, beside it; the dates by
 * what is wrong with them (the start outside the fiscal year, the end before the start); a person
 * who is not an auditor, or who works in a department in scope, by name and department, linked to
 * the lead's select or their own checkbox in the team.
 */
export function planMessages(
  error: AppException,
  body: Record<string, unknown>,
  people: ReadonlyMap<string, { name: string; departmentName: string | null }>,
  fiscalYearText: (fy: number) => string,
  values: Record<string, string> = {},
): FormMessage[] {
  const lead = typeof body.leadAuditorId === 'string' ? body.leadAuditorId : '';
  // the team as the service numbered it: without repeats and without the lead
  const team = [...new Set(list(body.auditorIds))].filter((id) => id !== lead);
  const personOf = (field: string): string | null =>
    field === 'leadAuditorId' ? lead : field.startsWith('auditorIds.') ? (team[Number(field.split('.')[1])] ?? null) : null;
  const idOf = (field: string): string => {
    const base = field.replace(/^scope\./, '').split('.')[0]!;
    if (base === 'auditorIds') {
      const person = personOf(field);
      return person ? teamBoxId(person) : 'auditorIds';
    }
    if (base === 'controlIds') return 'chapters';
    return (PLAN_FIELDS as readonly string[]).includes(base) ? base : 'title';
  };
  const errors = error.errors ?? [];
  if (error.code === 'AUDIT_OWN_DEPARTMENT') {
    return errors.map((e) => {
      const person = people.get(personOf(e.field) ?? '');
      return {
        key: 'auditPlan.problem.AUDIT_OWN_DEPARTMENT',
        values: { name: person?.name ?? '', department: person?.departmentName ?? '' },
        fieldId: idOf(e.field),
      };
    });
  }
  if (error.code === 'AUDIT_LINK_INVALID' && errors.length) {
    return errors.map((e) => {
      const base = e.field.replace(/^scope\./, '').split('.')[0]!;
      const person = people.get(personOf(e.field) ?? '');
      return { key: `auditPlan.problem.AUDIT_LINK_INVALID.${base}`, values: { name: person?.name ?? '' }, fieldId: idOf(e.field) };
    });
  }
  if (error.code === 'VALIDATION_FAILED' && errors.length) {
    const seen = new Set<string>();
    const messages: FormMessage[] = [];
    for (const e of errors) {
      const fieldId = idOf(e.field);
      if (seen.has(fieldId)) continue;
      seen.add(fieldId);
      const said = e.messages.join(' ');
      const fiscalYear = Number(body.fiscalYear);
      if (fieldId === 'plannedStart' && said.includes('must fall in fiscal year'))
        messages.push({
          key: 'formField.auditPlan.plannedStart.fiscalYear',
          values: { fiscalYear: Number.isInteger(fiscalYear) ? fiscalYearText(fiscalYear) : '' },
          fieldId,
        });
      else if (fieldId === 'plannedEnd' && said.includes('on or after')) messages.push({ key: 'formField.auditPlan.plannedEnd.order', fieldId });
      else messages.push({ key: `formField.auditPlan.${fieldId.startsWith('auditorIds') ? 'auditorIds' : fieldId}`, fieldId });
    }
    return messages;
  }
  return [{ key: `auditPlan.problem.${error.code}`, values, fieldId: errors[0] ? idOf(errors[0].field) : undefined }];
}

/**
 * A refused form of the audit plan pages shows its page again with the error summary at the top
 * (it takes the focus), each message linked to its field: the plan form (new or a change), and the
 * audit's page (start; report, whose refusal while items are open links to the checklist's
 * unanswered items).
 */
@Injectable()
@Catch()
export class AuditPageFormFilter extends FormErrorFilter {
  protected override readonly formProblems = AUDIT_FORM_PROBLEMS;

  constructor(
    private readonly pages: AuditPagesService,
    private readonly i18n: I18nService,
  ) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const locale = localeOf(req);
    const id = req.params.id ? String(req.params.id) : null;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const t = (key: string, values: Record<string, unknown> = {}) => this.i18n.translate(locale, key, values);
    const status = (value: unknown) => (typeof value === 'string' ? t(`auditPlan.status.${value}`) : '');

    if (!id || req.path.endsWith('/edit')) {
      const lead = typeof body.leadAuditorId === 'string' ? [body.leadAuditorId] : [];
      const people = await this.pages.departmentOf(actor, [...lead, ...list(body.auditorIds)]);
      const messages = planMessages(error, body, people, (fy) => formatFiscalYear(fy, locale), { status: status(error.extra?.from) });
      // a plan that may no longer change is not about what was typed
      const errors = formErrors(PLAN_FORM, messages, body, error.code === 'AUDIT_TRANSITION_NOT_ALLOWED' ? 'auditPlan.problem.editHeading' : undefined);
      const data = id ? await this.pages.editAudit(actor, id, errors) : await this.pages.newAudit(actor, errors);
      return { view: 'audit-plan-form', data: { ...data, formErrors: errors } };
    }

    const starting = req.path.endsWith('/start');
    const form = starting ? START_FORM : REPORT_FORM;
    const heading = starting ? REFUSED_HEADING.start : req.path.endsWith('/summary') ? REFUSED_HEADING.summary : REFUSED_HEADING.reporting;
    let errors: FormErrors;
    if (error.code === 'AUDIT_ITEMS_OPEN') {
      const open = Number(error.extra?.openItems ?? 0);
      errors = formErrors(form, [{ key: 'auditPlan.problem.AUDIT_ITEMS_OPEN', values: { count: open.toLocaleString('ja-JP') } }], body, heading);
      // the message leads to the items still to answer
      errors.messages[0]!.href = `${auditPath(id)}/checklist?result=unanswered`;
    } else if (error.code === 'AUDIT_SIGN_OFFS_MISSING') {
      const departments = unsignedNames(error.extra, locale === 'ja' ? '、' : ', ');
      errors = formErrors(form, [{ key: 'auditPlan.problem.AUDIT_SIGN_OFFS_MISSING', values: { departments }, fieldId: 'summary' }], body, heading);
    } else if (error.code === 'VALIDATION_FAILED' && !starting) {
      errors = formErrors(form, [{ key: 'formField.auditReport.summary', fieldId: 'summary' }], body);
    } else {
      errors = formErrors(
        form,
        [
          {
            key: `auditPlan.problem.${error.code}`,
            values: { status: status(error.extra?.from ?? error.extra?.status) },
            fieldId: starting ? 'audit-start' : 'summary',
          },
        ],
        body,
        heading,
      );
    }
    const data = await this.pages.audit(actor, id, errors);
    return { view: 'audit-plan', data: { ...data, formErrors: errors } };
  }
}
