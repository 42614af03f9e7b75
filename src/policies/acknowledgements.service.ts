import { Injectable } from '@nestjs/common';
import { accessScope, type ScopeRules } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { addDays, tokyoToday } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import { OnDomainEvents, type DomainEvent } from '../common/events/domain-events.js';
import { assertMay, may } from '../common/permissions.js';
import { timeOrderedUuid } from '../common/uuid.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import '../staff/staff.events.js';
import { AcknowledgementDuty } from './acknowledgement-duty.entity.js';
import { DUTIES_PER_MESSAGE } from './policies.notifications.js';
import { POLICIES } from './policies.permissions.js';
import { PolicyVersion } from './policy-version.entity.js';
import type { Policy } from './policy.entity.js';

/** One of the caller's duties (`GET /api/v1/acknowledgements/me`). */
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

/** Who sees whose acknowledgements: the security office and the CISO everyone's, a manager their department's. */
const ACKNOWLEDGEMENT_SCOPE: ScopeRules = { all: ['security_officer', 'ciso'], department: ['manager'] };

/** Days a person has to acknowledge a newly approved version, unless the CISO sets a date. */
export const DEFAULT_ACKNOWLEDGEMENT_DAYS = 30;

/**
 * Duties to acknowledge an approved policy version (受講確認・誓約). They live in
 * `acknowledgement_duties` until the training module adopts them as enrolments.
 */
@Injectable()
export class AcknowledgementsService {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Gives every active member of staff a duty for `version` in one INSERT … SELECT (ON CONFLICT DO
   * NOTHING, so a repeat adds nothing), one audit-trail row per duty (who was asked to acknowledge
   * what, by when), and the e-mails asking for it: outbox messages carrying the duties' ids.
   */
  async createDuties(tx: Transaction, policy: Policy, version: PolicyVersion, dueOn: string): Promise<{ dueOn: string; duties: number; emails: number }> {
    const org = tx.actor.organizationId;
    const created = (await tx.manager.query(
      `INSERT INTO acknowledgement_duties (organization_id, staff_id, policy_version_id, due_on)
       SELECT s.organization_id, s.id, $2, $3 FROM staff s
        WHERE s.organization_id = $1 AND s.status = 'active'
       ON CONFLICT (staff_id, policy_version_id) DO NOTHING
       RETURNING id, staff_id`,
      [org, version.id, dueOn],
    )) as { id: string; staff_id: string }[];
    for (const duty of created) {
      tx.audit({
        action: 'acknowledgement_duty.create',
        entityType: 'acknowledgement_duty',
        entityId: duty.id,
        after: { staffId: duty.staff_id, policyVersionId: version.id, dueOn, acknowledgedAt: null },
        context: { policyKey: policy.key, version: version.version },
      });
    }
    await this.requestAcknowledgements(
      tx,
      created.map((duty) => duty.id),
    );
    return { dueOn, duties: created.length, emails: created.length };
  }

  /**
   * People who join (or come back from leave) after an approval owe the acknowledgements of the
   * versions in force that asked for them, due in the usual 30 days; committed with the joiners. One
   * statement for all of them (an HR import may bring 50,000), one audit-trail row per duty.
   */
  @OnDomainEvents('staff.joined')
  async enrolJoiners(events: DomainEvent<'staff.joined'>[], tx: Transaction): Promise<number> {
    if (events.length === 0) return 0;
    const versions = (await tx.manager.query(
      `SELECT v.id, v.version, p.key FROM policy_versions v JOIN policies p ON p.id = v.policy_id
        WHERE v.organization_id = $1 AND v.status = 'approved' AND v.acknowledgement_required`,
      [tx.actor.organizationId],
    )) as { id: string; version: number; key: string }[];
    if (versions.length === 0) return 0;
    const dueOn = addDays(tokyoToday(), DEFAULT_ACKNOWLEDGEMENT_DAYS);
    const reasons = new Map(events.map((event) => [event.staffId, event.reason]));
    // ids made here, in time order: 50,000 duties land side by side in their indexes
    const candidates = [...reasons.keys()].flatMap((staffId) =>
      versions.map((version) => ({ id: timeOrderedUuid(), staff_id: staffId, policy_version_id: version.id, version })),
    );
    const created = new Set(
      (
        (await tx.manager.query(
          `INSERT INTO acknowledgement_duties (id, organization_id, staff_id, policy_version_id, due_on)
           SELECT id, $1, staff_id, policy_version_id, $3 FROM json_to_recordset($2::json) AS d(id uuid, staff_id uuid, policy_version_id uuid)
           ON CONFLICT (staff_id, policy_version_id) DO NOTHING
           RETURNING id`,
          [tx.actor.organizationId, JSON.stringify(candidates.map(({ version: _version, ...duty }) => duty)), dueOn],
        )) as { id: string }[]
      ).map((duty) => duty.id),
    );
    const duties = candidates.filter((duty) => created.has(duty.id));
    if (duties.length === 0) return 0;
    tx.auditMany(
      duties.map((duty) => ({
        action: 'acknowledgement_duty.create',
        entityType: 'acknowledgement_duty',
        entityId: duty.id,
        after: { staffId: duty.staff_id, policyVersionId: duty.policy_version_id, dueOn, acknowledgedAt: null },
        context: { policyKey: duty.version.key, version: duty.version.version, reason: reasons.get(duty.staff_id) === 'created' ? 'joined' : 'returned' },
      })),
    );
    await this.requestAcknowledgements(
      tx,
      duties.map((duty) => duty.id),
    );
    return duties.length;
  }

  /** The e-mails asking for these duties: outbox messages of up to DUTIES_PER_MESSAGE ids each. */
  private async requestAcknowledgements(tx: Transaction, dutyIds: string[]): Promise<void> {
    const messages = [];
    for (let i = 0; i < dutyIds.length; i += DUTIES_PER_MESSAGE) {
      const chunk = dutyIds.slice(i, i + DUTIES_PER_MESSAGE);
      messages.push({ topic: 'policy.acknowledgement_requested' as const, dedupeKey: `acknowledge:${chunk[0]}`, payload: { dutyIds: chunk } });
    }
    await tx.outbox(messages);
  }

  /** The caller's duties, open ones first (soonest due first), then done ones (latest first). */
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

  private async query(actor: Actor, filter: { dutyId?: string; openOnly?: boolean }): Promise<MyAcknowledgement[]> {
    assertMay(actor, POLICIES.read);
    if (!actor.staffId) return [];
    const rows = (await this.uow.manager.query(
      `SELECT d.id, p.id AS policy_id, p.title, p.title_en, v.id AS policy_version_id, v.version, d.due_on::text AS due_on, d.acknowledged_at
         FROM acknowledgement_duties d
         JOIN policy_versions v ON v.id = d.policy_version_id
         JOIN policies p ON p.id = v.policy_id
        WHERE d.organization_id = $1 AND d.staff_id = $2
          AND ($3::uuid IS NULL OR d.id = $3::uuid) AND (NOT $4 OR d.acknowledged_at IS NULL)
        ORDER BY (d.acknowledged_at IS NOT NULL), d.due_on, d.acknowledged_at DESC, p.key`,
      [actor.organizationId, actor.staffId, filter.dutyId ?? null, filter.openOnly ?? false],
    )) as MyRow[];
    return rows.map(toMine);
  }

  /**
   * The duty's own person acknowledges it (time and client address recorded). A second call is
   * refused with 409 ALREADY_ACKNOWLEDGED: the first acknowledgement is the one that counts.
   */
  async acknowledge(actor: Actor, dutyId: string): Promise<MyAcknowledgement> {
    assertMay(actor, POLICIES.acknowledge);
    return this.uow.run(actor, async (tx) => {
      const duty = await tx.manager
        .getRepository(AcknowledgementDuty)
        .findOne({ where: { id: dutyId, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      // someone else's duty is not there for the caller
      if (!duty || !may(actor, POLICIES.acknowledge, duty)) throw new AppException('ACKNOWLEDGEMENT_DUTY_NOT_FOUND');
      if (duty.acknowledgedAt) throw new AppException('ALREADY_ACKNOWLEDGED', undefined, undefined, { acknowledgedAt: duty.acknowledgedAt.toISOString() });
      const version = await tx.manager.getRepository(PolicyVersion).findOneOrFail({
        where: { id: duty.policyVersionId },
        relations: { policy: true },
        select: { id: true, version: true, policyId: true, policy: { id: true, key: true, title: true, titleEn: true } },
      });
      await tx.update(
        duty,
        { acknowledgedAt: new Date(), clientAddress: actor.clientAddress?.slice(0, 64) ?? null },
        {
          action: 'acknowledgement_duty.acknowledge',
          entityType: 'acknowledgement_duty',
          context: { policyVersionId: version.id, policyKey: version.policy!.key, version: version.version },
        },
      );
      return {
        id: duty.id,
        policyId: version.policyId,
        policyTitle: version.policy!.title,
        policyTitleEn: version.policy!.titleEn,
        policyVersionId: version.id,
        version: version.version,
        dueOn: duty.dueOn,
        acknowledgedAt: duty.acknowledgedAt,
      };
    });
  }

  /**
   * The acknowledgements still open, per policy version that asked for them: how many people owe
   * one, how many have given it, how many are overdue (due before `today`). The whole organisation
   * for the security office and the CISO, their own department for a manager. Read-only.
   */
  async openByVersion(actor: Actor, today: string): Promise<OpenAcknowledgementsOfVersion[]> {
    assertMay(actor, POLICIES.read_acknowledgements);
    const whole = accessScope(actor, ACKNOWLEDGEMENT_SCOPE).kind === 'all';
    if (!whole && !actor.departmentId) return [];
    const rows = (await this.uow.manager.query(
      `SELECT p.key, p.title, p.title_en, v.version, min(d.due_on)::text AS due_on,
              count(*)::int AS total, count(d.acknowledged_at)::int AS acknowledged,
              count(*) FILTER (WHERE d.acknowledged_at IS NULL AND d.due_on < $2::date)::int AS overdue
         FROM acknowledgement_duties d
         JOIN staff s ON s.id = d.staff_id
         JOIN policy_versions v ON v.id = d.policy_version_id
         JOIN policies p ON p.id = v.policy_id
        WHERE d.organization_id = $1 AND ($3::uuid IS NULL OR s.department_id = $3::uuid)
        GROUP BY p.key, p.title, p.title_en, v.version
       HAVING count(*) > count(d.acknowledged_at)
        ORDER BY min(d.due_on), p.key, v.version`,
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
   * How many have acknowledged a version: the whole organisation for the security office and the
   * CISO, their own department for a manager.
   */
  async summary(actor: Actor, policyId: string, versionNumber: number, withItems: boolean): Promise<AcknowledgementSummary> {
    assertMay(actor, POLICIES.read_acknowledgements);
    const whole = accessScope(actor, ACKNOWLEDGEMENT_SCOPE).kind === 'all';
    const version = await this.uow.manager.getRepository(PolicyVersion).findOne({
      where: { organizationId: actor.organizationId, policyId, version: versionNumber },
      select: { id: true, version: true },
    });
    if (!version) throw new AppException('POLICY_VERSION_NOT_FOUND');
    const departmentId = whole ? null : actor.departmentId;
    const params: unknown[] = [actor.organizationId, version.id];
    let scope = '';
    if (!whole) {
      if (!departmentId)
        return {
          policyVersionId: version.id,
          version: version.version,
          departmentId: null,
          total: 0,
          acknowledged: 0,
          rate: null,
          ...(withItems ? { items: [] } : {}),
        };
      params.push(departmentId);
      scope = 'AND s.department_id = $3';
    }
    const [counts] = (await this.uow.manager.query(
      `SELECT count(*)::int AS total, count(d.acknowledged_at)::int AS acknowledged
         FROM acknowledgement_duties d JOIN staff s ON s.id = d.staff_id
        WHERE d.organization_id = $1 AND d.policy_version_id = $2 ${scope}`,
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
        `SELECT d.id AS duty_id, s.id AS staff_id, s.employee_number, s.family_name, s.given_name, s.department_id, d.due_on::text AS due_on, d.acknowledged_at
           FROM acknowledgement_duties d JOIN staff s ON s.id = d.staff_id
          WHERE d.organization_id = $1 AND d.policy_version_id = $2 ${scope}
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
        acknowledged_at: Date | null;
      }[];
      result.items = rows.map((r) => ({
        dutyId: r.duty_id,
        staffId: r.staff_id,
        employeeNumber: r.employee_number,
        familyName: r.family_name,
        givenName: r.given_name,
        departmentId: r.department_id,
        dueOn: r.due_on,
        acknowledgedAt: r.acknowledged_at,
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
