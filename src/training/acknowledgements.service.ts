import { Injectable } from '@nestjs/common';
import { accessScope } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { POLICIES } from '../policies/policies.permissions.js';
import { PolicyVersion } from '../policies/policy-version.entity.js';
import { EnrolmentCompletion } from './enrolment-completion.js';
import { TRAINING_SCOPE } from './training.permissions.js';

/** One of the caller's duties (`GET /api/v1/acknowledgements/me`): an enrolment in a version's acknowledgement course. */
export interface MyAcknowledgement {
  id: string;
  policyId: string;
  policyTitle: string;
  policyTitleEn: string | null;
  policyVersionId: string;
  version: number;
  dueOn: string;
  acknowledgedAt: Date | null;
}

/** What the web "my page" lists: the duties still open. */
export interface OpenAcknowledgementDuty {
  id: string;
  policyTitle: string;
  policyTitleEn: string | null;
  version: number;
  dueOn: string;
}

/** Open acknowledgements of one policy version (`openByVersion`). */
export interface OpenAcknowledgementsOfVersion {
  policyKey: string;
  policyTitle: string;
  policyTitleEn: string | null;
  version: number;
  /** the earliest due date of its duties */
  dueOn: string;
  total: number;
  acknowledged: number;
  open: number;
  overdue: number;
}

export interface AcknowledgementSummaryItem {
  dutyId: string;
  staffId: string;
  employeeNumber: string;
  familyName: string;
  givenName: string;
  departmentId: string | null;
  dueOn: string;
  acknowledgedAt: Date | null;
}

export interface AcknowledgementSummary {
  policyVersionId: string;
  version: number;
  /** the department the figures are limited to (a manager's own), or null for the whole organisation */
  departmentId: string | null;
  total: number;
  acknowledged: number;
  /** acknowledged ÷ total, 0–1 (4 decimals); null when nobody owes an acknowledgement */
  rate: number | null;
  items?: AcknowledgementSummaryItem[];
}

interface MyRow {
  id: string;
  policy_id: string;
  title: string;
  title_en: string | null;
  policy_version_id: string;
  version: number;
  due_on: string;
  acknowledged_at: Date | null;
}

/** An enrolment in a policy version's acknowledgement course, with its policy (alias e, c, v, p). */
const ACKNOWLEDGEMENTS = `enrolments e
  JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement'
  JOIN policy_versions v ON v.id = c.policy_version_id
  JOIN policies p ON p.id = v.policy_id`;

/** Owed now: not done, not exempt, not withdrawn, and the course still open (a superseded version's is closed). */
const OWED = `e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL AND c.status = 'published'`;

/** Counted in a version's figures: everyone enrolled but the exempt and those who left before doing it. */
const COUNTED = `e.exempt_at IS NULL AND e.withdrawn_at IS NULL`;

/**
 * Acknowledging approved policy versions (受講確認・誓約), as training: each version that asks for it
 * has a `policy_acknowledgement` course (PolicyAcknowledgementCourses makes it on approval), and a
 * person's duty is their enrolment in it. The routes and answers are those the policies module had;
 * acknowledging is completing the enrolment through EnrolmentCompletion.
 */
@Injectable()
export class AcknowledgementsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly completion: EnrolmentCompletion,
  ) {}

  /** The caller's duties: open ones first (soonest due first), then done ones (latest first). */
  async mine(actor: Actor): Promise<{ items: MyAcknowledgement[]; total: number }> {
    const items = await this.query(actor, {});
    return { items, total: items.length };
  }

  /** One of the caller's own duties (someone else's is not there for them). */
  async myDuty(actor: Actor, dutyId: string): Promise<MyAcknowledgement> {
    const [duty] = await this.query(actor, { dutyId });
    if (!duty) throw new AppException('ACKNOWLEDGEMENT_DUTY_NOT_FOUND');
    return duty;
  }

  /** The caller's open duties, for the web "my page". */
  async openDuties(actor: Actor): Promise<OpenAcknowledgementDuty[]> {
    const items = await this.query(actor, { openOnly: true });
    return items.map((item) => ({ id: item.id, policyTitle: item.policyTitle, policyTitleEn: item.policyTitleEn, version: item.version, dueOn: item.dueOn }));
  }

  /** The caller's duties that are done or still owed (not those of a superseded version left undone, nor exempt ones). */
  private async query(actor: Actor, filter: { dutyId?: string; openOnly?: boolean }): Promise<MyAcknowledgement[]> {
    assertMay(actor, POLICIES.read);
    if (!actor.staffId) return [];
    const rows = (await this.uow.manager.query(
      `SELECT e.id, p.id AS policy_id, p.title, p.title_en, v.id AS policy_version_id, v.version, e.due_on::text AS due_on, e.completed_at AS acknowledged_at
         FROM ${ACKNOWLEDGEMENTS}
        WHERE e.organization_id = $1 AND e.staff_id = $2
          AND ($3::uuid IS NULL OR e.id = $3::uuid)
          AND (e.completed_at IS NOT NULL OR (${OWED})) AND (NOT $4 OR e.completed_at IS NULL)
        ORDER BY (e.completed_at IS NOT NULL), e.due_on, e.completed_at DESC, p.key`,
      [actor.organizationId, actor.staffId, filter.dutyId ?? null, filter.openOnly ?? false],
    )) as MyRow[];
    return rows.map(toMine);
  }

  /**
   * The duty's own person acknowledges it: their enrolment is completed (time, statement version and
   * client address recorded) through EnrolmentCompletion. A second call is refused with 409
   * ALREADY_ACKNOWLEDGED: the first acknowledgement is the one that counts.
   */
  async acknowledge(actor: Actor, dutyId: string): Promise<MyAcknowledgement> {
    assertMay(actor, POLICIES.acknowledge);
    return this.uow.run(actor, async (tx) => {
      const [duty] = (await tx.manager.query(
        `SELECT e.id, e.staff_id, e.course_id, e.due_on::text AS due_on, e.completed_at, e.exempt_at, e.withdrawn_at,
                c.status AS course_status, c.statement_version, v.id AS policy_version_id, v.version, p.id AS policy_id, p.title, p.title_en
           FROM ${ACKNOWLEDGEMENTS}
          WHERE e.id = $2 AND e.organization_id = $1
          FOR UPDATE OF e`,
        [actor.organizationId, dutyId],
      )) as {
        id: string;
        staff_id: string;
        course_id: string;
        due_on: string;
        completed_at: Date | null;
        exempt_at: Date | null;
        withdrawn_at: Date | null;
        course_status: string;
        statement_version: number;
        policy_version_id: string;
        version: number;
        policy_id: string;
        title: string;
        title_en: string | null;
      }[];
      // someone else's duty is not there for the caller
      if (!duty || !may(actor, POLICIES.acknowledge, { staffId: duty.staff_id })) throw new AppException('ACKNOWLEDGEMENT_DUTY_NOT_FOUND');
      if (duty.completed_at) throw new AppException('ALREADY_ACKNOWLEDGED', undefined, undefined, { acknowledgedAt: duty.completed_at.toISOString() });
      if (duty.exempt_at || duty.withdrawn_at) throw new AppException('ENROLMENT_NOT_OPEN');
      if (duty.course_status !== 'published') throw new AppException('COURSE_NOT_PUBLISHED', 'A newer version of the policy is in force: acknowledge that one');
      const at = new Date();
      await this.completion.record(tx, duty.course_id, [
        { enrolmentId: duty.id, via: 'self', at, statementVersion: duty.statement_version, clientAddress: actor.clientAddress ?? null },
      ]);
      return {
        id: duty.id,
        policyId: duty.policy_id,
        policyTitle: duty.title,
        policyTitleEn: duty.title_en,
        policyVersionId: duty.policy_version_id,
        version: duty.version,
        dueOn: duty.due_on,
        acknowledgedAt: at,
      };
    });
  }

  /**
   * The acknowledgements still owed, per policy version in force that asked for them: how many
   * people owe one, how many have given it, how many are overdue (due before `today`). The whole
   * organisation for the security office and the CISO, their own department for a manager (the
   * department an enrolment is credited to). Read-only.
   */
  async openByVersion(actor: Actor, today: string): Promise<OpenAcknowledgementsOfVersion[]> {
    assertMay(actor, POLICIES.read_acknowledgements);
    const whole = accessScope(actor, TRAINING_SCOPE).kind === 'all';
    if (!whole && !actor.departmentId) return [];
    const rows = (await this.uow.manager.query(
      `SELECT p.key, p.title, p.title_en, v.version, min(e.due_on)::text AS due_on,
              count(*)::int AS total, count(e.completed_at)::int AS acknowledged,
              count(*) FILTER (WHERE e.completed_at IS NULL AND e.due_on < $2::date)::int AS overdue
         FROM ${ACKNOWLEDGEMENTS}
        WHERE e.organization_id = $1 AND c.status = 'published' AND ${COUNTED} AND ($3::uuid IS NULL OR e.department_id = $3::uuid)
        GROUP BY p.key, p.title, p.title_en, v.version
       HAVING count(*) > count(e.completed_at)
        ORDER BY min(e.due_on), p.key, v.version`,
      [actor.organizationId, today, whole ? null : actor.departmentId],
    )) as { key: string; title: string; title_en: string | null; version: number; due_on: string; total: number; acknowledged: number; overdue: number }[];
    return rows.map((r) => ({
      policyKey: r.key,
      policyTitle: r.title,
      policyTitleEn: r.title_en,
      version: r.version,
      dueOn: r.due_on,
      total: r.total,
      acknowledged: r.acknowledged,
      open: r.total - r.acknowledged,
      overdue: r.overdue,
    }));
  }

  /**
   * How many have acknowledged a version (its course's enrolments, the exempt and those who left
   * undone out): the whole organisation for the security office and the CISO, their own department
   * for a manager.
   */
  async summary(actor: Actor, policyId: string, versionNumber: number, withItems: boolean): Promise<AcknowledgementSummary> {
    assertMay(actor, POLICIES.read_acknowledgements);
    const whole = accessScope(actor, TRAINING_SCOPE).kind === 'all';
    const version = await this.uow.manager.getRepository(PolicyVersion).findOne({
      where: { organizationId: actor.organizationId, policyId, version: versionNumber },
      select: { id: true, version: true },
    });
    if (!version) throw new AppException('POLICY_VERSION_NOT_FOUND');
    const departmentId = whole ? null : actor.departmentId;
    if (!whole && !departmentId) {
      return {
        policyVersionId: version.id,
        version: version.version,
        departmentId: null,
        total: 0,
        acknowledged: 0,
        rate: null,
        ...(withItems ? { items: [] } : {}),
      };
    }
    const params = [actor.organizationId, version.id, departmentId];
    const scope = `e.organization_id = $1 AND c.policy_version_id = $2 AND ${COUNTED} AND ($3::uuid IS NULL OR e.department_id = $3::uuid)`;
    const [counts] = (await this.uow.manager.query(
      `SELECT count(*)::int AS total, count(e.completed_at)::int AS acknowledged
         FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement'
        WHERE ${scope}`,
      params,
    )) as { total: number; acknowledged: number }[];
    const result: AcknowledgementSummary = {
      policyVersionId: version.id,
      version: version.version,
      departmentId,
      total: counts!.total,
      acknowledged: counts!.acknowledged,
      rate: counts!.total ? Math.round((counts!.acknowledged / counts!.total) * 10_000) / 10_000 : null,
    };
    if (withItems) {
      const rows = (await this.uow.manager.query(
        `SELECT e.id AS duty_id, s.id AS staff_id, s.employee_number, s.family_name, s.given_name, e.department_id, e.due_on::text AS due_on, e.completed_at
           FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement' JOIN staff s ON s.id = e.staff_id
          WHERE ${scope}
          ORDER BY s.employee_number`,
        params,
      )) as {
        duty_id: string;
        staff_id: string;
        employee_number: string;
        family_name: string;
        given_name: string;
        department_id: string | null;
        due_on: string;
        completed_at: Date | null;
      }[];
      result.items = rows.map((r) => ({
        dutyId: r.duty_id,
        staffId: r.staff_id,
        employeeNumber: r.employee_number,
        familyName: r.family_name,
        givenName: r.given_name,
        departmentId: r.department_id,
        dueOn: r.due_on,
        acknowledgedAt: r.completed_at,
      }));
    }
    return result;
  }
}

function toMine(r: MyRow): MyAcknowledgement {
  return {
    id: r.id,
    policyId: r.policy_id,
    policyTitle: r.title,
    policyTitleEn: r.title_en,
    policyVersionId: r.policy_version_id,
    version: r.version,
    dueOn: r.due_on,
    acknowledgedAt: r.acknowledged_at,
  };
}
