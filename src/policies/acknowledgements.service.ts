import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { hasRole, type Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { AcknowledgementDuty } from './acknowledgement-duty.entity.js';
import { addDays, japaneseDate, tokyoToday } from '../common/calendar.js';
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

/**
 * Duties to acknowledge an approved policy version (受講確認・誓約). They live in
 * `acknowledgement_duties` until the training module adopts them as enrolments.
 */
/** Days a person has to acknowledge a newly approved version, unless the CISO sets a date. */
export const DEFAULT_ACKNOWLEDGEMENT_DAYS = 30;

@Injectable()
export class AcknowledgementsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: ConfigService<MamoriConfig, true>,
  ) {}

  /**
   * Gives every active member of staff a duty for `version`, and an e-mail asking for it, each in
   * one INSERT … SELECT (ON CONFLICT DO NOTHING, so a repeat adds nothing).
   *
   * Audit: one `acknowledgement_duty.create` row per duty (who was asked to acknowledge what, by
   * when), not a summary row. The audit writer appends rows one at a time under the organisation's
   * chain lock, so this costs ~3 round trips per duty: measured ~0.5 s for 405 staff on a local
   * PostgreSQL, inside the 1 s budget for a town of ~400. A much larger organisation (a prefecture's
   * shared deployment) would want a summary row (count + version) instead.
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
      await tx.audit({
        action: 'acknowledgement_duty.create',
        entityType: 'acknowledgement_duty',
        entityId: duty.id,
        after: { staffId: duty.staff_id, policyVersionId: version.id, dueOn, acknowledgedAt: null },
        context: { policyKey: policy.key, version: version.version },
      });
    }
    const emails = await this.emailOpenDuties(tx, policy, version, dueOn, null);
    return { dueOn, duties: created.length, emails };
  }

  /**
   * Someone who joins (or comes back from leave) after an approval owes the acknowledgements of the
   * versions in force that asked for them, due in the usual 30 days.
   */
  async enrolNewcomer(tx: Transaction, staffId: string): Promise<number> {
    const dueOn = addDays(tokyoToday(), DEFAULT_ACKNOWLEDGEMENT_DAYS);
    const versions = await tx.manager.getRepository(PolicyVersion).find({
      where: { organizationId: tx.actor.organizationId, status: 'approved', acknowledgementRequired: true },
      relations: { policy: true },
    });
    let created = 0;
    for (const version of versions) {
      const [duty] = (await tx.manager.query(
        `INSERT INTO acknowledgement_duties (organization_id, staff_id, policy_version_id, due_on) VALUES ($1, $2, $3, $4)
         ON CONFLICT (staff_id, policy_version_id) DO NOTHING RETURNING id`,
        [tx.actor.organizationId, staffId, version.id, dueOn],
      )) as { id: string }[];
      if (!duty) continue;
      created++;
      await tx.audit({
        action: 'acknowledgement_duty.create',
        entityType: 'acknowledgement_duty',
        entityId: duty.id,
        after: { staffId, policyVersionId: version.id, dueOn, acknowledgedAt: null },
        context: { policyKey: version.policy!.key, version: version.version, reason: 'joined' },
      });
      await this.emailOpenDuties(tx, version.policy!, version, dueOn, staffId);
    }
    return created;
  }

  /** The e-mails asking for open duties of a version (of one person, or of everyone); each is written once. */
  private async emailOpenDuties(tx: Transaction, policy: Policy, version: PolicyVersion, dueOn: string, staffId: string | null): Promise<number> {
    const subject = `【確認依頼】情報セキュリティポリシー「${policy.title}」第${version.version}版`;
    const text = [
      `情報セキュリティポリシー「${policy.title}」の第${version.version}版が承認されました。`,
      `内容を確認のうえ、${japaneseDate(dueOn)}までに Mamori で確認（誓約）を行ってください。`,
      '',
      `マイページ: ${this.config.get('app', { infer: true }).publicUrl}/`,
    ].join('\n');
    const emails = (await tx.manager.query(
      `INSERT INTO outbox_messages (organization_id, topic, dedupe_key, payload, available_at)
       SELECT d.organization_id, 'notification.email', 'acknowledge:' || d.policy_version_id || ':' || d.staff_id,
              jsonb_build_object('to', s.email, 'subject', $3::text, 'text', s.family_name || ' ' || s.given_name || ' 様' || E'\\n\\n' || $4::text),
              now()
         FROM acknowledgement_duties d JOIN staff s ON s.id = d.staff_id
        WHERE d.organization_id = $1 AND d.policy_version_id = $2 AND d.acknowledged_at IS NULL AND s.status = 'active'
          AND ($5::uuid IS NULL OR d.staff_id = $5::uuid)
       ON CONFLICT (organization_id, dedupe_key) DO NOTHING
       RETURNING id`,
      [tx.actor.organizationId, version.id, subject, text, staffId],
    )) as { id: string }[];
    return emails.length;
  }

  /** The caller's duties, open ones first (soonest due first), then done ones (latest first). */
  async mine(actor: Actor): Promise<{ items: MyAcknowledgement[]; total: number }> {
    if (!actor.staffId) return { items: [], total: 0 };
    const rows = (await this.uow.manager.query(
      `SELECT d.id, p.id AS policy_id, p.title, p.title_en, v.id AS policy_version_id, v.version, d.due_on::text AS due_on, d.acknowledged_at
         FROM acknowledgement_duties d
         JOIN policy_versions v ON v.id = d.policy_version_id
         JOIN policies p ON p.id = v.policy_id
        WHERE d.organization_id = $1 AND d.staff_id = $2
        ORDER BY (d.acknowledged_at IS NOT NULL), d.due_on, d.acknowledged_at DESC, p.key`,
      [actor.organizationId, actor.staffId],
    )) as MyRow[];
    const items = rows.map(toMine);
    return { items, total: items.length };
  }

  /** The caller's open duties, for the web "my page". */
  async openDuties(actor: Actor): Promise<OpenAcknowledgementDuty[]> {
    const { items } = await this.mine(actor);
    return items
      .filter((item) => item.acknowledgedAt === null)
      .map((item) => ({ id: item.id, policyTitle: item.policyTitle, policyTitleEn: item.policyTitleEn, version: item.version, dueOn: item.dueOn }));
  }

  /**
   * The duty's own person acknowledges it (time and client address recorded). A second call is
   * refused with 409 ALREADY_ACKNOWLEDGED: the first acknowledgement is the one that counts.
   */
  async acknowledge(actor: Actor, dutyId: string): Promise<MyAcknowledgement> {
    return this.uow.run(actor, async (tx) => {
      const repo = tx.manager.getRepository(AcknowledgementDuty);
      const duty = await repo.findOne({ where: { id: dutyId, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      // someone else's duty is not there for the caller
      if (!duty || !actor.staffId || duty.staffId !== actor.staffId) throw new AppException('ACKNOWLEDGEMENT_DUTY_NOT_FOUND');
      if (duty.acknowledgedAt) throw new AppException('ALREADY_ACKNOWLEDGED', undefined, undefined, { acknowledgedAt: duty.acknowledgedAt.toISOString() });
      const before = { acknowledgedAt: null, clientAddress: duty.clientAddress };
      repo.merge(duty, { acknowledgedAt: new Date(), clientAddress: actor.clientAddress?.slice(0, 64) ?? null });
      await repo.save(duty);
      const version = await tx.manager.getRepository(PolicyVersion).findOneOrFail({
        where: { id: duty.policyVersionId },
        relations: { policy: true },
        select: { id: true, version: true, policyId: true, policy: { id: true, key: true, title: true, titleEn: true } },
      });
      await tx.audit({
        action: 'acknowledgement_duty.acknowledge',
        entityType: 'acknowledgement_duty',
        entityId: duty.id,
        before,
        after: { acknowledgedAt: duty.acknowledgedAt, clientAddress: duty.clientAddress },
        context: { policyVersionId: version.id, policyKey: version.policy!.key, version: version.version },
      });
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
   * How many have acknowledged a version: the whole organisation for the security office and the
   * CISO, their own department for a manager.
   */
  async summary(actor: Actor, policyId: string, versionNumber: number, withItems: boolean): Promise<AcknowledgementSummary> {
    const whole = hasRole(actor, 'security_officer', 'ciso');
    if (!whole && !hasRole(actor, 'manager')) throw new AppException('FORBIDDEN', 'Requires one of: security_officer, ciso, manager');
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
