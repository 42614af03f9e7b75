import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import type { Locale } from '../../common/locale.js';
import { assertMay, may } from '../../common/permissions.js';
import type { Role } from '../../common/roles.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { RESPONSE_PLAN_FOLDER } from '../../response-plan/response-plan-files.js';
import { PLAN_RESPONDERS, RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { ResponsePlanSync } from '../../response-plan/response-plan.sync.js';
import { ScenariosService } from '../../response-plan/scenarios.service.js';
import { ResponsePlanVersionsService, type ChangedStep } from '../../response-plan/response-plan-versions.service.js';
import { formErrors as formErrorsFor, type FormErrors } from '../forms/form-error.js';
import { diffLines, policyTextFor } from '../policies/policy-text.js';

const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;

/** A target in minutes from the start, in words: 「5分」「1時間30分」「3日」 (en: "5 min", "1 h 30 min", "3 days"). */
export function formatMinutes(minutes: number, locale: Locale): string {
  const days = Math.floor(minutes / MINUTES_PER_DAY);
  const hours = Math.floor((minutes % MINUTES_PER_DAY) / MINUTES_PER_HOUR);
  const rest = minutes % MINUTES_PER_HOUR;
  if (locale === 'en') {
    const parts = [days ? `${days} ${days === 1 ? 'day' : 'days'}` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : ''].filter(Boolean);
    return parts.length ? parts.join(' ') : '0 min';
  }
  const parts = [days ? `${days}日` : '', hours ? `${hours}時間` : '', rest ? `${rest}分` : ''].filter(Boolean);
  return parts.length ? parts.join('') : '0分';
}

/** The plan's text (`policies/response-plan/plan.md`) without its front matter. */
export function planBody(root: string = ResponsePlanSync.defaultRoot()): string {
  const text = readFileSync(join(root, RESPONSE_PLAN_FOLDER, 'plan.md'), 'utf8').replace(/\r\n/g, '\n');
  return text.replace(/^---\n[\s\S]*?\n---\n?/, '');
}

/** The responders the contact sheet lists from staff, in this order. */
const RESPONDER_ORDER: readonly Role[] = PLAN_RESPONDERS;

/** 緊急時対応計画: the data of the plan's pages (the plan, a scenario's playbook, the contact sheet). */
@Injectable()
export class ResponsePlanPagesService {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly uow: UnitOfWork,
    private readonly versions: ResponsePlanVersionsService,
  ) {}

  /**
   * The plan's text for all staff (the version in force: 第N版, approved when and by whom, the next
   * review), then its scenarios. Before any approval the text of the file is shown, marked as not
   * approved yet. The office and the CISO are told when a draft awaits approval.
   */
  async plan(actor: Actor, locale: Locale): Promise<object> {
    const { items } = await this.scenarios.list(actor);
    const state = await this.versions.current(actor);
    const inForce = state.inForce;
    return {
      title: 'responsePlan.title',
      inForce: inForce
        ? {
            version: inForce.version,
            approvedAt: inForce.approvedAt,
            approvedBy: inForce.approvedBy?.name ?? null,
            nextReviewDue: inForce.nextReviewDue,
            overdue: !inForce.reviewedWithinInterval,
          }
        : null,
      draftNotice: state.draftWaiting && may(actor, RESPONSE_PLAN.read_plan_drafts),
      canEdit: may(actor, RESPONSE_PLAN.edit_plan),
      text: policyTextFor(inForce ? inForce.body : planBody(), locale),
      scenarios: items.map(({ scenario, steps }) => ({
        href: `/response-plan/scenarios/${scenario.id}`,
        title: scenario.title,
        titleEn: scenario.titleEn,
        steps: steps.length,
      })),
      canReadContacts: may(actor, RESPONSE_PLAN.read_contacts),
    };
  }

  /**
   * 承認待ちの改訂案: the draft version (office and CISO) with the diff of its text against the
   * version in force and the changed steps of each scenario; for the CISO the approval form, or,
   * without the second factor, what to do first.
   */
  async draft(actor: Actor, locale: Locale, formErrors?: FormErrors): Promise<object> {
    assertMay(actor, RESPONSE_PLAN.read_plan_drafts);
    const state = await this.versions.current(actor);
    const base = { title: 'responsePlanDraft.title', inForceVersion: state.inForce?.version ?? null, canEdit: may(actor, RESPONSE_PLAN.edit_plan) };
    if (state.draftVersion === null) return { ...base, draft: null };
    const draft = await this.versions.get(actor, state.draftVersion);
    const step = (facts: ChangedStep['before']) => (facts ? { ...facts, target: formatMinutes(facts.targetMinutes, locale) } : null);
    const canApprove = may(actor, RESPONSE_PLAN.approve_plan);
    const needsSecondFactor = canApprove && !actor.mfa;
    return {
      ...base,
      draft: {
        version: draft.version,
        createdAt: draft.createdAt,
        changeNote: draft.changeNote,
        draftedBy: draft.draftedBy?.name ?? null,
        diffAgainst: draft.diffAgainst,
        diff: diffLines(draft.diff),
        scenarios: draft.scenarioChanges.map((change) => ({
          ...change,
          href: `/response-plan/scenarios/${change.scenarioId}`,
          isNew: change.fromRevision === null,
          steps: change.steps.map((s) => ({ position: s.position, change: s.change, before: step(s.before), after: step(s.after) })),
        })),
        text: policyTextFor(draft.body, locale),
      },
      canApprove,
      ownDraft: canApprove && draft.draftedBy !== null && draft.draftedBy.id === actor.staffId,
      // the approval needs a session opened with the second factor: said at the top, before anything else
      needsSecondFactor,
      formErrors:
        formErrors ??
        (needsSecondFactor
          ? formErrorsFor('planApprove', [{ key: 'formError.PLAN_APPROVAL_REQUIRES_SECOND_FACTOR' }], {}, 'responsePlanDraft.cannotApprove')
          : undefined),
    };
  }

  /** The plan's text to edit (the draft's, else the version in force's, else the file's), for the security office. */
  async editing(actor: Actor, sent?: { body?: unknown; changeNote?: unknown }): Promise<object> {
    assertMay(actor, RESPONSE_PLAN.edit_plan);
    const state = await this.versions.current(actor);
    const from = state.draftVersion !== null ? (await this.versions.get(actor, state.draftVersion)).body : (state.inForce?.body ?? planBody());
    return {
      title: 'responsePlanEdit.title',
      draftVersion: state.draftVersion,
      form: { body: typeof sent?.body === 'string' ? sent.body : from, changeNote: typeof sent?.changeNote === 'string' ? sent.changeNote : '' },
    };
  }

  /** A scenario: its summary and its playbook as rows (phase, action, role, target, what to report to whom). */
  async scenario(actor: Actor, id: string, locale: Locale): Promise<object> {
    const { scenario, steps } = await this.scenarios.get(actor, id);
    return {
      title: 'responsePlan.scenario.title',
      titleDetail: { ja: scenario.title, en: scenario.titleEn ?? scenario.title },
      scenario,
      retired: scenario.retiredAt !== null,
      // the office and the CISO: a newer revision of this playbook waits in the plan's draft
      revisionWaiting: scenario.latestRevision > scenario.revision && may(actor, RESPONSE_PLAN.read_plan_drafts) ? scenario.latestRevision : null,
      steps: steps.map((step) => ({
        position: step.position,
        phase: step.phase,
        action: step.action,
        actionEn: step.actionEn,
        role: step.role,
        target: formatMinutes(step.targetMinutes, locale),
        report: step.report,
      })),
    };
  }

  /** 緊急連絡網: the outside contacts (out-of-hours numbers as the service gives them) and the town's responders from staff. */
  async contacts(actor: Actor): Promise<object> {
    assertMay(actor, RESPONSE_PLAN.read_contacts);
    const { items } = await this.scenarios.contacts(actor);
    const rows = (await this.uow.manager.query(
      `SELECT s.family_name || ' ' || s.given_name AS name, d.name AS department_name, d.name_en AS department_name_en, s.roles::text[] AS roles
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.organization_id = $1 AND s.status = 'active' AND s.roles::text[] && $2::text[]
        ORDER BY s.family_name_kana NULLS LAST, s.employee_number`,
      [actor.organizationId, RESPONDER_ORDER],
    )) as { name: string; department_name: string | null; department_name_en: string | null; roles: string[] }[];
    const rank = (roles: string[]) => Math.min(...roles.map((role) => RESPONDER_ORDER.indexOf(role as Role)).filter((i) => i >= 0));
    const responders = rows
      .map((row) => ({
        name: row.name,
        department: row.department_name,
        departmentEn: row.department_name_en,
        roles: RESPONDER_ORDER.filter((role) => row.roles.includes(role)),
        rank: rank(row.roles),
      }))
      .sort((a, b) => a.rank - b.rank);
    return {
      title: 'responsePlan.contacts.title',
      printedOn: tokyoToday(),
      contacts: items.map((contact) => ({
        name: contact.name,
        nameEn: contact.nameEn,
        kind: contact.kind,
        phone: contact.phone,
        outOfHoursPhone: contact.outOfHoursPhone,
        email: contact.email,
        note: contact.note,
      })),
      // the column only for those the service gives the numbers to
      showOutOfHours: items.some((contact) => contact.outOfHoursPhone !== null),
      responders,
    };
  }
}
