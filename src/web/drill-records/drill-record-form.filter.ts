import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { DrillsService } from '../../response-plan/drills.service.js';
import { RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { formatMinutes } from '../response-plan/response-plan-pages.service.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { localeOf } from '../locale.js';
import { paperInput } from './drill-paper.js';
import { DrillRecordPagesService, FINDING_FORM, LESSONS_FORM, PAPER_FORM, PROPOSAL_FORM } from './drill-record-pages.service.js';
import { parseClock } from './drill-record-times.js';

/** What the drill record pages' forms explain on their own page (with the problem's status) rather than the error page. */
export const DRILL_RECORD_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'DRILL_TIME_INVALID',
  'DRILL_NOT_RUNNING',
  'DRILL_NOT_SCHEDULED',
  'FINDING_LINK_INVALID',
  'DRILL_PROPOSAL_STEP_NOT_FOUND',
]);

/** The element id of a proposal form field a refusal is about. */
export const proposalFieldId = (field: string): string => {
  const known = ['position', 'targetMinutes', 'action', 'reason'];
  return `proposal-${known.includes(field) ? field : 'position'}`;
};

/**
 * The messages of a refused proposal: a field that cannot be read, by its field; neither a new
 * target nor a new wording, on both; a target that breaks the order of the targets (the service
 * names the step whose target would come before the one before it: the proposed step itself, or
 * the next one), as a sentence about the step and its neighbour's target; a step that is not there.
 */
export function proposalMessages(
  error: AppException,
  body: Record<string, unknown>,
  steps: readonly { position: number; action: string; targetMinutes: number }[],
  locale: Locale,
): FormMessage[] {
  const position = Number(typeof body.position === 'string' ? body.position.trim() : body.position);
  const step = steps.find((s) => s.position === position);
  const base = { position: String(position), action: step?.action ?? '', count: String(steps.length) };
  const target = String(body.targetMinutes ?? '').trim();
  if (error.code === 'DRILL_PROPOSAL_STEP_NOT_FOUND') return [{ key: 'drillProposal.error.stepNotFound', values: base, fieldId: 'proposal-position' }];
  if (error.code !== 'VALIDATION_FAILED') return [{ key: 'drillProposal.error.other', fieldId: 'proposal-position' }];
  const messages: FormMessage[] = [];
  for (const e of error.errors ?? []) {
    const field = e.field.split('.')[0]!;
    const said = e.messages.join(' ');
    if (field === 'targetMinutes' && said.includes('propose a new target')) {
      messages.push({ key: 'drillProposal.error.nothing', values: base, fieldId: 'proposal-targetMinutes', alsoIds: ['proposal-action'] });
      continue;
    }
    const order = [...said.matchAll(/step (\d+):/g)].map((m) => Number(m[1]));
    if (field === 'targetMinutes' && order.length) {
      for (const n of order) {
        const minutes = formatMinutes(Number(target) || 0, locale);
        const neighbour = steps.find((s) => s.position === (n === position ? position - 1 : n));
        const values = {
          ...base,
          target: minutes,
          other: String(neighbour?.position ?? n),
          otherTarget: neighbour ? formatMinutes(neighbour.targetMinutes, locale) : '',
        };
        messages.push({
          key: n === position ? 'drillProposal.error.earlierThanBefore' : 'drillProposal.error.laterThanNext',
          values,
          fieldId: 'proposal-targetMinutes',
        });
      }
      continue;
    }
    const known = ['position', 'targetMinutes', 'action', 'reason'].includes(field) ? field : 'other';
    if (!messages.some((m) => m.key === `drillProposal.error.${known}`))
      messages.push({ key: `drillProposal.error.${known}`, values: base, fieldId: proposalFieldId(field) });
  }
  return messages.length ? messages : [{ key: 'drillProposal.error.other', fieldId: 'proposal-position' }];
}

/** The element id of a paper form field a refusal is about. */
export const paperFieldId = (field: string): string => {
  if (field === 'date') return 'paper-date';
  if (field === 'startTime' || field === 'startedAt') return 'paper-start';
  if (field === 'endTime' || field === 'finishedAt') return 'paper-end';
  const step = /^step\.(\d+)$/.exec(field);
  if (step) return `step-${step[1]}-time`;
  const event = /^event\.(\d+)\.(time|text|kind)$/.exec(field);
  if (event) return `event-${event[1]}-${event[2]}`;
  return field === 'lessons' ? 'paper-lessons' : 'paper-date';
};

/**
 * The messages of a refused paper sheet: what cannot be read by its field; a time the service
 * refuses (outside the drill, in the future) by the step or row it is on (`steps.2.doneAt` is the
 * third step entered: the form's mapping names its playbook position), each linked to its field.
 */
export function paperMessages(error: AppException, body: Record<string, unknown>, actions: ReadonlyMap<number, string>): FormMessage[] {
  const start = parseClock(body.startTime) ?? '';
  const end = parseClock(body.endTime) ?? '';
  const stepMessage = (position: number, key: string, time = ''): FormMessage => ({
    key,
    values: { position: String(position), action: actions.get(position) ?? '', time, start, end },
    fieldId: paperFieldId(`step.${position}`),
  });
  const errors = error.errors ?? [];
  if (error.code === 'VALIDATION_FAILED') {
    return errors.map((e) => {
      const step = /^step\.(\d+)$/.exec(e.field);
      if (step) return stepMessage(Number(step[1]), 'drillPaper.error.stepTime');
      const event = /^event\.(\d+)\.(time|text|kind)$/.exec(e.field);
      if (event) return { key: `drillPaper.error.event.${event[2]}`, values: { row: event[1]! }, fieldId: paperFieldId(e.field) };
      const base = e.field.split('.')[0]!;
      const known = ['date', 'startTime', 'endTime', 'lessons', 'present'].includes(base) ? base : 'other';
      return { key: `formField.drillPaper.${known}`, fieldId: known === 'present' ? 'paper-roll' : paperFieldId(known) };
    });
  }
  if (error.code === 'DRILL_TIME_INVALID') {
    let mapped: ReturnType<typeof paperInput> | null = null;
    try {
      mapped = paperInput(body);
    } catch {
      mapped = null;
    }
    return errors.map((e): FormMessage => {
      const said = e.messages.join(' ');
      if (e.field === 'startedAt') return { key: 'drillPaper.error.startFuture', values: { start }, fieldId: 'paper-start', alsoIds: ['paper-date'] };
      if (e.field === 'finishedAt')
        return said.includes('after')
          ? { key: 'drillPaper.error.endOrder', values: { start, end }, fieldId: 'paper-end' }
          : { key: 'drillPaper.error.endFuture', values: { end }, fieldId: 'paper-end', alsoIds: ['paper-date'] };
      const step = /^steps\.(\d+)\./.exec(e.field);
      if (step && mapped) {
        const i = Number(step[1]);
        const position = mapped.stepPositions[i] ?? 0;
        return stepMessage(position, 'drillPaper.error.stepOutside', mapped.dto.steps[i]?.doneAt.slice(11, 16) ?? '');
      }
      const event = /^events\.(\d+)\./.exec(e.field);
      if (event && mapped) {
        const i = Number(event[1]);
        const row = mapped.eventRows[i] ?? 1;
        return {
          key: 'drillPaper.error.eventOutside',
          values: { row: String(row), time: mapped.dto.events?.[i]?.occurredAt.slice(11, 16) ?? '', start, end },
          fieldId: `event-${row}-time`,
        };
      }
      return { key: 'drillPaper.error.DRILL_TIME_INVALID', fieldId: 'paper-start' };
    });
  }
  // not about what was typed: the drill is no longer scheduled (the page then shows no form)
  return [{ key: `drillPaper.error.${error.code}` }];
}

/**
 * A refused form of the drill record pages shows its page again with the error summary at the top
 * (it takes the focus), each message linked to its field and shown beside it, what was typed kept:
 * the paper sheet (/drills/:id/paper), and the record's lessons and finding forms.
 */
@Injectable()
@Catch()
export class DrillRecordFormFilter extends FormErrorFilter {
  protected override readonly formProblems = DRILL_RECORD_FORM_PROBLEMS;

  constructor(
    private readonly pages: DrillRecordPagesService,
    private readonly drills: DrillsService,
    private readonly i18n: I18nService,
  ) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const locale = localeOf(req);
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const status = (value: unknown) => (typeof value === 'string' ? this.i18n.translate(locale, `drillRecord.status.${value}`) : '');

    if (req.path.endsWith('/paper')) {
      const actions = await this.pages.stepActions(actor, id);
      const messages = paperMessages(error, body, actions).map((m) =>
        m.key.startsWith('drillPaper.error.DRILL_NOT') ? { ...m, values: { status: status(error.extra?.drillStatus) } } : m,
      );
      const heading = error.code === 'DRILL_NOT_RUNNING' || error.code === 'DRILL_NOT_SCHEDULED' ? 'drillPaper.error.heading' : undefined;
      const errors = formErrors(PAPER_FORM, messages, body, heading);
      const data = await this.pages.paper(actor, id, locale, errors);
      return { view: 'drill-paper', data: { ...data, formErrors: errors } };
    }

    if (req.path.endsWith('/proposals')) {
      const drill = await this.drills.get(actor, id);
      // someone who may not propose is refused as such, whatever they sent
      if (!may(actor, RESPONSE_PLAN.propose_change, drill)) throw new AppException('FORBIDDEN');
      const steps = await this.pages.proposableSteps(actor, drill);
      const errors = formErrors(PROPOSAL_FORM, proposalMessages(error, body, steps, locale), body);
      const data = await this.pages.record(actor, id, locale, errors);
      return { view: 'drill-record', data: { ...data, formErrors: errors } };
    }

    const lessons = req.path.endsWith('/lessons');
    const form = lessons ? LESSONS_FORM : FINDING_FORM;
    let messages: FormMessage[];
    if (error.code === 'VALIDATION_FAILED' && error.errors?.length) {
      const refused = [...new Set(error.errors.map((e) => e.field.split('.')[0]!))];
      messages = refused.map((field) => ({ key: `formField.${form}.${field}`, fieldId: lessons ? 'lessons' : `finding-${field}` }));
    } else if (error.code === 'FINDING_LINK_INVALID') {
      messages = [{ key: 'formField.drillFinding.ownerDepartmentId', fieldId: 'finding-ownerDepartmentId' }];
    } else {
      messages = [
        {
          key: `drillRecord.error.${error.code === 'DRILL_NOT_RUNNING' ? 'DRILL_NOT_RUNNING' : 'other'}`,
          values: { status: status(error.extra?.drillStatus) },
          fieldId: lessons ? 'lessons' : 'finding-title',
        },
      ];
    }
    const heading = error.code === 'DRILL_NOT_RUNNING' ? `drillRecord.error.heading.${form}` : undefined;
    const errors = formErrors(form, messages, body, heading);
    const data = await this.pages.record(actor, id, locale, errors);
    return { view: 'drill-record', data: { ...data, formErrors: errors } };
  }
}
