import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import { pageOf, type Page } from '../common/pagination.js';
import { assertMay, may, refusal } from '../common/permissions.js';
import { nextReference } from '../database/reference-numbers.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { FindingSeverity } from '../findings/finding.entity.js';
import { FindingsService } from '../findings/findings.service.js';
import { AuditSignOff } from './audit-sign-off.entity.js';
import { AUDIT_TRANSITIONS, mayMoveAudit } from './audit-transitions.js';
import { Audit, type AuditScope, type AuditStatus } from './audit.entity.js';
import { AUDIT_READ_ALL, AUDITS, seesAudit, type AuditTeam } from './audits.permissions.js';
import { ChecklistItem, NONCONFORMITIES, type ChecklistResult } from './checklist-item.entity.js';
import type { AcceptReportDto, AnswerItemDto, AuditQuery, ChecklistQuery, PlanAuditDto, ReportAuditDto, SignOffDto, UpdateAuditDto } from './dto/audit.dto.js';

/** The severity of the finding a non-conformity raises. */
export const FINDING_SEVERITY_OF: Partial<Record<ChecklistResult, FindingSeverity>> = { major_nonconformity: 'high', minor_nonconformity: 'medium' };

/**
 * The controls of a scope, as a condition on `controls c` with parameters $chapters (int[] or null),
 * $named (uuid[] or null) and $essential (bool): the chapters named (every chapter when none is
 * named, unless the scope is only a list of controls), only the essential ones when asked, plus the
 * controls named.
 */
export function scopeCondition(chapters: string, named: string, essential: string): string {
  return `(((${chapters}::int[] IS NOT NULL AND c.chapter = ANY(${chapters}::int[])) OR (${chapters}::int[] IS NULL AND (${named}::uuid[] IS NULL OR ${essential})))
            AND (NOT ${essential} OR c.essential) OR c.id = ANY(${named}::uuid[]))`;
}

/** The parameters of `scopeCondition`, in order. */
export function scopeParameters(scope: AuditScope): [number[] | null, string[] | null, boolean] {
  return [scope.chapters?.length ? scope.chapters : null, scope.controlIds?.length ? scope.controlIds : null, scope.essentialOnly === true];
}

/** The roles that may lead or join an audit team. */
const AUDITOR_ROLES = ['auditor', 'security_officer'];

/** How far an audit is answered: in all, per result, per department (with its manager's sign-off). */
export interface AuditProgress {
  total: number;
  answered: number;
  byResult: Record<ChecklistResult, number>;
  departments: DepartmentProgress[];
}

export interface DepartmentProgress {
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  total: number;
  answered: number;
  nonconformities: number;
  signedOffAt: Date | null;
  signedOffById: string | null;
  signedOffByName: string | null;
  /** the manager's comment on signing off */
  signedOffNote: string | null;
}

/** An audit in a list: with its counts. */
export interface AuditSummary {
  audit: Audit;
  total: number;
  answered: number;
  findings: number;
}

/** A checklist item as the checklist shows it: with its control's question and hints, its department, its finding and evidence. */
export interface ChecklistRow {
  item: ChecklistItem;
  controlTitle: string;
  controlTitleEn: string | null;
  question: string;
  questionEn: string | null;
  evidenceHints: string | null;
  evidenceHintsEn: string | null;
  essential: boolean;
  departmentName: string;
  answeredByName: string | null;
  findingId: string | null;
  findingReference: string | null;
  evidenceCount: number;
}

interface ChecklistRowSql {
  id: string;
  organization_id: string;
  audit_id: string;
  control_id: string;
  control_code: string;
  chapter: number;
  department_id: string;
  department_code: string;
  result: ChecklistResult | null;
  note: string | null;
  answered_by_id: string | null;
  answered_at: Date | null;
  created_at: Date;
  updated_at: Date;
  control_title: string;
  control_title_en: string | null;
  audit_question: string | null;
  audit_question_en: string | null;
  evidence_hints: string | null;
  evidence_hints_en: string | null;
  essential: boolean;
  department_name: string;
  answered_by_name: string | null;
  finding_id: string | null;
  finding_reference: string | null;
  evidence_count: number;
}

/**
 * Audits and self-inspections (監査・自己点検, plan item III-3): planned by the security office with a
 * scope of controls and departments and a team that is not of those departments; started, which
 * makes the checklist (control × department) in one statement; answered item by item (a
 * non-conformity raises one finding, however often it is answered); reported once every item is
 * answered; closed when the CISO accepts the report. A self-inspection is answered by each
 * department's manager for their own department and signed off by them (課長確認).
 */
@Injectable()
export class AuditsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly findings: FindingsService,
  ) {}

  // ---------------------------------------------------------------- the plan

  /** Plans an audit: AUD-YYYY-NNNN, its scope and team checked (an auditor never of a department in scope). */
  async plan(actor: Actor, dto: PlanAuditDto): Promise<Audit> {
    assertMay(actor, AUDITS.plan);
    return this.uow.run(actor, async (tx) => {
      const plan = { ...dto, auditorIds: this.team(dto.leadAuditorId, dto.auditorIds), scope: this.scopeOf(dto.scope) };
      await this.assertPlan(tx, plan);
      const { reference } = await nextReference(tx.manager, actor.organizationId, 'AUD', dto.fiscalYear);
      return tx.create(
        Audit,
        {
          reference,
          fiscalYear: dto.fiscalYear,
          kind: dto.kind,
          title: dto.title,
          scope: plan.scope,
          departmentIds: plan.scope.departmentIds,
          leadAuditorId: dto.leadAuditorId,
          auditorIds: plan.auditorIds,
          plannedStart: dto.plannedStart,
          plannedEnd: dto.plannedEnd,
          status: 'planned',
          plannedById: actor.staffId,
        },
        { action: 'audit.plan', entityType: 'audit' },
      );
    });
  }

  /** Changes a planned audit (its checklist is made at the start, so only then). */
  async update(actor: Actor, id: string, dto: UpdateAuditDto): Promise<Audit> {
    assertMay(actor, AUDITS.plan);
    return this.uow.run(actor, async (tx) => {
      const audit = await this.lock(tx, id);
      this.assertStatus(audit, 'planned', 'in_progress');
      const leadAuditorId = dto.leadAuditorId ?? audit.leadAuditorId;
      const plan = {
        fiscalYear: audit.fiscalYear,
        kind: audit.kind,
        scope: dto.scope ? this.scopeOf(dto.scope) : audit.scope,
        leadAuditorId,
        auditorIds: this.team(leadAuditorId, dto.auditorIds ?? audit.auditorIds),
        plannedStart: dto.plannedStart ?? audit.plannedStart,
        plannedEnd: dto.plannedEnd ?? audit.plannedEnd,
      };
      await this.assertPlan(tx, plan);
      return tx.update(
        audit,
        { ...plan, title: dto.title ?? audit.title, departmentIds: plan.scope.departmentIds },
        { action: 'audit.update', entityType: 'audit' },
      );
    });
  }

  /**
   * Starts a planned audit: one checklist item per control in scope (in force) × department in
   * scope, made in one INSERT … SELECT. 400 AUDIT_SCOPE_EMPTY when the scope holds no control.
   */
  async start(actor: Actor, id: string): Promise<{ audit: Audit; items: number }> {
    assertMay(actor, AUDITS.start);
    return this.uow.run(actor, async (tx) => {
      const audit = await this.lock(tx, id);
      if (!may(actor, AUDITS.start, audit)) throw refusal(AUDITS.start);
      this.assertMove(audit, 'in_progress');
      // people move between departments during the year: the team is checked again against the scope
      await this.assertPlan(tx, audit);
      const items = await this.generateChecklist(tx.manager, audit);
      if (items === 0) throw new AppException('AUDIT_SCOPE_EMPTY', undefined, [{ field: 'scope', messages: ['no control in force is in scope'] }]);
      const started = await tx.update(
        audit,
        { status: 'in_progress', startedAt: new Date() },
        { action: 'audit.start', entityType: 'audit', context: { items } },
      );
      return { audit: started, items };
    });
  }

  /** How many controls of the organisation in force a scope holds (the audit's page says how many items starting it makes). */
  async controlsInScope(manager: EntityManager, organizationId: string, scope: AuditScope): Promise<number> {
    const [row] = (await manager.query(
      `SELECT count(*)::int AS n FROM controls c WHERE c.organization_id = $1 AND c.retired_at IS NULL AND ${scopeCondition('$2', '$3', '$4')}`,
      [organizationId, ...scopeParameters(scope)],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  /**
   * The checklist in one statement: the controls of the scope that are in force, times its
   * departments, each pair once (a restart after a return adds none). The benchmark runs this.
   */
  async generateChecklist(manager: EntityManager, audit: Pick<Audit, 'id' | 'organizationId' | 'scope'>): Promise<number> {
    const [made] = (await manager.query(
      `WITH made AS (
       INSERT INTO audit_checklist_items (organization_id, audit_id, control_id, control_code, chapter, department_id, department_code)
       SELECT $1, $2, c.id, c.code, c.chapter, d.id, d.code
         FROM controls c CROSS JOIN departments d
        WHERE c.organization_id = $1 AND c.retired_at IS NULL AND ${scopeCondition('$3', '$4', '$5')}
          AND d.organization_id = $1 AND d.id = ANY($6::uuid[]) AND d.closed_on IS NULL
       ON CONFLICT (audit_id, control_id, department_id) DO NOTHING
       RETURNING 1)
       SELECT count(*)::int AS n FROM made`,
      [audit.organizationId, audit.id, ...scopeParameters(audit.scope), audit.scope.departmentIds],
    )) as { n: number }[];
    return made!.n;
  }

  // ---------------------------------------------------------------- reading

  /** Audits the reader sees (the office and CISO all, an auditor those they are on, a manager those of their department), newest first. */
  async list(actor: Actor, query: AuditQuery): Promise<Page<AuditSummary>> {
    assertMay(actor, AUDITS.read);
    const params: unknown[] = [actor.organizationId];
    const where = ['a.organization_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    let countedDepartment = 'NULL::uuid';
    const countParams: unknown[] = [];
    if (!actor.roles.some((role) => AUDIT_READ_ALL.includes(role))) {
      const staff = actor.staffId ?? '00000000-0000-0000-0000-000000000000';
      params.push(staff);
      const me = `$${params.length}`;
      // a manager who is not on an audit's team counts their own department's items and findings only (the last parameter of the page's query)
      countParams.push(actor.departmentId ?? '00000000-0000-0000-0000-000000000000');
      countedDepartment = `CASE WHEN a.lead_auditor_id = ${me} OR ${me} = ANY(a.auditor_ids) THEN NULL ELSE $counted::uuid END`;
      const seen = [`a.lead_auditor_id = ${me}`, `${me} = ANY(a.auditor_ids)`];
      if (actor.roles.includes('manager') && actor.departmentId) {
        params.push(actor.departmentId);
        seen.push(`$${params.length} = ANY(a.department_ids)`);
      }
      where.push(`(${seen.join(' OR ')})`);
    }
    if (query.fiscalYear) add('a.fiscal_year = ?', query.fiscalYear);
    if (query.kind) add('a.kind = ?', query.kind);
    if (query.status?.length) add('a.status = ANY(?)', query.status);
    const whereSql = where.join(' AND ');
    countedDepartment = countedDepartment.replace('$counted', `$${params.length + 1}`);
    const [count, ids] = await Promise.all([
      this.uow.manager.query(`SELECT count(*)::int AS n FROM audits a WHERE ${whereSql}`, params) as Promise<{ n: number }[]>,
      this.uow.manager.query(
        `SELECT a.id, items.total, items.answered,
                (SELECT count(*)::int FROM findings f WHERE f.organization_id = a.organization_id AND f.source = 'audit' AND f.source_id = a.id
                    AND (own.department IS NULL OR f.owner_department_id = own.department)) AS findings
           FROM audits a
           CROSS JOIN LATERAL (SELECT ${countedDepartment} AS department) own
           CROSS JOIN LATERAL (SELECT count(*)::int AS total, count(i.result)::int AS answered FROM audit_checklist_items i
                                WHERE i.audit_id = a.id AND (own.department IS NULL OR i.department_id = own.department)) items
          WHERE ${whereSql}
          ORDER BY a.fiscal_year DESC, a.planned_start DESC, a.reference DESC
          LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
        [...params, ...countParams],
      ) as Promise<{ id: string; total: number; answered: number; findings: number }[]>,
    ]);
    const audits = ids.length ? await this.uow.manager.getRepository(Audit).findBy(ids.map(({ id }) => ({ id }))) : [];
    const byId = new Map(audits.map((audit) => [audit.id, audit]));
    return pageOf(
      ids.map((row) => ({ audit: byId.get(row.id)!, total: row.total, answered: row.answered, findings: row.findings })),
      count[0]!.n,
      query,
    );
  }

  /** One audit (404 outside the reader's scope). */
  async get(actor: Actor, id: string): Promise<Audit> {
    assertMay(actor, AUDITS.read);
    return this.visible(actor, this.uow.manager, id);
  }

  /** How far the audit is answered, in all and per department (a manager: their department only). */
  async progress(actor: Actor, id: string): Promise<AuditProgress> {
    assertMay(actor, AUDITS.read);
    const audit = await this.visible(actor, this.uow.manager, id);
    return this.progressOf(this.uow.manager, audit, this.onlyDepartment(actor, audit));
  }

  /** The progress of an audit, for a department or all (the report and the pages read it too). */
  async progressOf(manager: EntityManager, audit: Audit, departmentId: string | null = null): Promise<AuditProgress> {
    const rows = (await manager.query(
      `SELECT i.department_id, min(i.department_code) AS department_code, d.name AS department_name, i.result, count(*)::int AS n,
              s.signed_at, s.signed_by_id, s.note AS signed_note, p.family_name || ' ' || p.given_name AS signed_by_name
         FROM audit_checklist_items i
         JOIN departments d ON d.id = i.department_id
         LEFT JOIN audit_sign_offs s ON s.audit_id = i.audit_id AND s.department_id = i.department_id
         LEFT JOIN staff p ON p.id = s.signed_by_id
        WHERE i.audit_id = $1 AND ($2::uuid IS NULL OR i.department_id = $2)
        GROUP BY i.department_id, d.name, i.result, s.signed_at, s.signed_by_id, s.note, p.family_name, p.given_name`,
      [audit.id, departmentId],
    )) as {
      department_id: string;
      department_code: string;
      department_name: string;
      result: ChecklistResult | null;
      n: number;
      signed_at: Date | null;
      signed_by_id: string | null;
      signed_by_name: string | null;
      signed_note: string | null;
    }[];
    const byResult = { conformant: 0, observation: 0, minor_nonconformity: 0, major_nonconformity: 0, not_applicable: 0 } as Record<ChecklistResult, number>;
    const departments = new Map<string, DepartmentProgress>();
    let total = 0;
    let answered = 0;
    for (const row of rows) {
      const department = departments.get(row.department_id) ?? {
        departmentId: row.department_id,
        departmentCode: row.department_code,
        departmentName: row.department_name,
        total: 0,
        answered: 0,
        nonconformities: 0,
        signedOffAt: row.signed_at,
        signedOffById: row.signed_by_id,
        signedOffByName: row.signed_by_name,
        signedOffNote: row.signed_note,
      };
      departments.set(row.department_id, department);
      department.total += row.n;
      total += row.n;
      if (row.result) {
        department.answered += row.n;
        answered += row.n;
        byResult[row.result] += row.n;
        if (NONCONFORMITIES.includes(row.result)) department.nonconformities += row.n;
      }
    }
    return {
      total,
      answered,
      byResult,
      departments: [...departments.values()].sort((a, b) => a.departmentCode.localeCompare(b.departmentCode)),
    };
  }

  /**
   * A page of the checklist, in control-code then department order, filtered by department, result
   * (or unanswered), chapter and control code; a manager sees their department's items only.
   */
  async checklist(actor: Actor, id: string, query: ChecklistQuery): Promise<Page<ChecklistRow>> {
    assertMay(actor, AUDITS.read);
    const audit = await this.visible(actor, this.uow.manager, id);
    const own = this.onlyDepartment(actor, audit);
    const params: unknown[] = [audit.id];
    const where = ['i.audit_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (own) add('i.department_id = ?', own);
    if (query.departmentId) add('i.department_id = ?', query.departmentId);
    if (query.chapter) add('i.chapter = ?', query.chapter);
    if (query.controlCode) add(`i.control_code LIKE ? || '%'`, query.controlCode.replace(/[\\%_]/g, '\\$&'));
    if (query.result?.length) {
      const results = query.result.filter((r) => r !== 'unanswered');
      const unanswered = query.result.includes('unanswered');
      params.push(results);
      where.push(`(i.result = ANY($${params.length}::varchar[])${unanswered ? ' OR i.result IS NULL' : ''})`);
    }
    const whereSql = where.join(' AND ');
    const [count, rows] = await Promise.all([
      this.uow.manager.query(`SELECT count(*)::int AS n FROM audit_checklist_items i WHERE ${whereSql}`, params) as Promise<{ n: number }[]>,
      this.uow.manager.query(
        `SELECT i.*, c.title AS control_title, c.title_en AS control_title_en, c.audit_question, c.audit_question_en,
                c.evidence_hints, c.evidence_hints_en, c.essential, d.name AS department_name,
                p.family_name || ' ' || p.given_name AS answered_by_name, f.id AS finding_id, f.reference AS finding_reference,
                (SELECT count(*)::int FROM audit_checklist_evidence e WHERE e.checklist_item_id = i.id) AS evidence_count
           FROM (SELECT * FROM audit_checklist_items i WHERE ${whereSql}
                  ORDER BY i.control_code, i.department_code LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}) i
           JOIN controls c ON c.id = i.control_id
           JOIN departments d ON d.id = i.department_id
           LEFT JOIN staff p ON p.id = i.answered_by_id
           LEFT JOIN findings f ON f.checklist_item_id = i.id
          ORDER BY i.control_code, i.department_code`,
        params,
      ) as Promise<ChecklistRowSql[]>,
    ]);
    return pageOf(rows.map(checklistRow), count[0]!.n, query);
  }

  /** One checklist item as the checklist shows it. */
  async item(actor: Actor, auditId: string, itemId: string): Promise<ChecklistRow> {
    assertMay(actor, AUDITS.read);
    const audit = await this.visible(actor, this.uow.manager, auditId);
    return this.rowOf(this.uow.manager, audit, itemId, this.onlyDepartment(actor, audit));
  }

  // ---------------------------------------------------------------- answering

  /**
   * Answers an item (its team; in a self-inspection, the manager of its department). The same answer
   * again changes nothing; a non-conformity raises the item's finding once (a later answer only
   * updates its severity and description); an item that raised a finding cannot go back to conformant.
   * `answeredAt` (optional, for demo data of past years) is when it was answered: the item's time and
   * the day its finding is raised (and so the finding's fiscal year and default due date); now when not given.
   */
  async answer(actor: Actor, auditId: string, itemId: string, dto: AnswerItemDto, answeredAt?: Date): Promise<ChecklistRow> {
    assertMay(actor, AUDITS.answer);
    const note = dto.note?.trim() ? dto.note.trim() : null;
    if (dto.result !== 'conformant' && !note)
      throw new AppException('CHECKLIST_NOTE_REQUIRED', undefined, [
        { field: 'note', messages: [dto.result === 'not_applicable' ? 'give the reason it does not apply' : 'say what was found'] },
      ]);
    return this.uow.run(actor, async (tx) => {
      const audit = await this.visible(actor, tx.manager, auditId, 'pessimistic_read');
      const item = await tx.manager.getRepository(ChecklistItem).findOne({ where: { id: itemId, auditId: audit.id }, lock: { mode: 'pessimistic_write' } });
      const own = this.onlyDepartment(actor, audit);
      if (!item || (own && item.departmentId !== own)) throw new AppException('CHECKLIST_ITEM_NOT_FOUND');
      if (!may(actor, AUDITS.answer, { audit, departmentId: item.departmentId })) throw refusal(AUDITS.answer);
      if (audit.kind !== 'self_inspection' && actor.departmentId !== null && actor.departmentId === item.departmentId)
        throw new AppException('AUDIT_OWN_DEPARTMENT', 'An auditor may not audit their own department: this item is of yours', [
          { field: 'result', messages: ['this item is of your own department'] },
        ]);
      if (audit.status !== 'in_progress')
        throw new AppException('AUDIT_NOT_IN_PROGRESS', `The audit is ${audit.status}`, undefined, { auditStatus: audit.status });
      if (item.result === dto.result && item.note === note) return this.rowOf(tx.manager, audit, item.id, null);

      const severity = FINDING_SEVERITY_OF[dto.result];
      const finding = await this.findings.findingOfChecklistItem(tx.manager, actor.organizationId, item.id);
      if (finding && !severity)
        throw new AppException(
          'CHECKLIST_ITEM_HAS_FINDING',
          `This item raised ${finding.reference}; answer minor or major non-conformity, or follow the finding`,
          [{ field: 'result', messages: [`raised ${finding.reference}`] }],
          { findingId: finding.id, findingReference: finding.reference },
        );
      const answered = await tx.update(
        item,
        { result: dto.result, note, answeredById: actor.staffId, answeredAt: answeredAt ?? new Date() },
        { action: 'checklist_item.answer', entityType: 'checklist_item', context: { auditId: audit.id } },
      );
      if (severity) await this.raiseFinding(tx, audit, answered, severity, note ?? '', answeredAt);
      await this.withdrawSignOff(tx, audit, item.departmentId);
      return this.rowOf(tx.manager, audit, answered.id, null);
    });
  }

  /** A changed answer of a signed-off department withdraws its manager's sign-off: they confirm the department again. */
  private async withdrawSignOff(tx: Transaction, audit: Audit, departmentId: string): Promise<void> {
    const signOff = await tx.manager.getRepository(AuditSignOff).findOneBy({ auditId: audit.id, departmentId });
    if (!signOff) return;
    await tx.manager.getRepository(AuditSignOff).delete({ id: signOff.id });
    tx.audit({
      action: 'audit.sign_off_withdrawn',
      entityType: 'audit',
      entityId: audit.id,
      before: { departmentId, signedById: signOff.signedById, signedAt: signOff.signedAt },
      context: { departmentId },
    });
  }

  private async raiseFinding(tx: Transaction, audit: Audit, item: ChecklistItem, severity: FindingSeverity, note: string, raisedAt?: Date): Promise<void> {
    const [names] = (await tx.manager.query(
      `SELECT c.title AS control_title, d.name AS department_name FROM controls c, departments d WHERE c.id = $1 AND d.id = $2`,
      [item.controlId, item.departmentId],
    )) as { control_title: string; department_name: string }[];
    const title = `${item.controlCode} ${names?.control_title ?? ''}（${names?.department_name ?? ''}）`;
    await this.findings.raiseForChecklistItem(
      tx,
      { source: 'audit', sourceId: audit.id, checklistItemId: item.id, ...(raisedAt ? { raisedOn: tokyoToday(raisedAt) } : {}) },
      {
        title: title.length > 300 ? `${title.slice(0, 299)}…` : title,
        description: note,
        severity,
        ownerDepartmentId: item.departmentId,
        controlIds: [item.controlId],
      },
    );
  }

  /**
   * A manager signs off their department's self-inspection (課長確認) once every item of it is
   * answered; signing again changes nothing.
   */
  async signOff(actor: Actor, auditId: string, dto: SignOffDto): Promise<AuditSignOff> {
    assertMay(actor, AUDITS.sign_off);
    return this.uow.run(actor, async (tx) => {
      // locked for update: two sign-offs of one department at once find the first one's row
      const audit = await this.visible(actor, tx.manager, auditId, 'pessimistic_write');
      if (!may(actor, AUDITS.sign_off, { audit, departmentId: dto.departmentId })) throw refusal(AUDITS.sign_off);
      if (!audit.departmentIds.includes(dto.departmentId))
        throw new AppException('AUDIT_LINK_INVALID', undefined, [{ field: 'departmentId', messages: ['not a department of this self-inspection'] }]);
      if (audit.status !== 'in_progress')
        throw new AppException('AUDIT_NOT_IN_PROGRESS', `The audit is ${audit.status}`, undefined, { auditStatus: audit.status });
      const existing = await tx.manager.getRepository(AuditSignOff).findOneBy({ auditId: audit.id, departmentId: dto.departmentId });
      if (existing) return existing;
      const [open] = (await tx.manager.query(
        `SELECT count(*)::int AS n FROM audit_checklist_items WHERE audit_id = $1 AND department_id = $2 AND result IS NULL`,
        [audit.id, dto.departmentId],
      )) as { n: number }[];
      if (open!.n > 0)
        throw new AppException('AUDIT_SIGN_OFF_ITEMS_OPEN', `${open!.n} items of the department are not answered yet`, undefined, { openItems: open!.n });
      return tx.create(
        AuditSignOff,
        { auditId: audit.id, departmentId: dto.departmentId, signedById: actor.staffId!, signedAt: new Date(), note: dto.note?.trim() || null },
        { action: 'audit.sign_off', entityType: 'audit', context: { auditId: audit.id, departmentId: dto.departmentId } },
      );
    });
  }

  // ---------------------------------------------------------------- the report

  /** Moves the audit to reporting (the office or the lead auditor): 409 AUDIT_ITEMS_OPEN while any item is unanswered. */
  async report(actor: Actor, id: string, dto: ReportAuditDto): Promise<Audit> {
    assertMay(actor, AUDITS.report);
    return this.uow.run(actor, async (tx) => {
      const audit = await this.lock(tx, id);
      if (!may(actor, AUDITS.report, audit)) throw refusal(AUDITS.report);
      this.assertMove(audit, 'reporting');
      const [open] = (await tx.manager.query(`SELECT count(*)::int AS n FROM audit_checklist_items WHERE audit_id = $1 AND result IS NULL`, [audit.id])) as {
        n: number;
      }[];
      if (open!.n > 0) throw new AppException('AUDIT_ITEMS_OPEN', `${open!.n} checklist items are not answered yet`, undefined, { openItems: open!.n });
      if (audit.kind === 'self_inspection') {
        const unsigned = (await tx.manager.query(
          `SELECT d.id, d.name FROM departments d
            WHERE d.id = ANY($1::uuid[]) AND EXISTS (SELECT 1 FROM audit_checklist_items i WHERE i.audit_id = $2 AND i.department_id = d.id)
              AND NOT EXISTS (SELECT 1 FROM audit_sign_offs s WHERE s.audit_id = $2 AND s.department_id = d.id)
            ORDER BY d.code`,
          [audit.departmentIds, audit.id],
        )) as { id: string; name: string }[];
        if (unsigned.length)
          throw new AppException('AUDIT_SIGN_OFFS_MISSING', `Not signed off yet: ${unsigned.map((d) => d.name).join('、')}`, undefined, {
            unsignedDepartments: unsigned.map((d) => ({ id: d.id, name: d.name })),
          });
      }
      return tx.update(
        audit,
        { status: 'reporting', reportedAt: new Date(), summary: dto.summary?.trim() ?? audit.summary },
        { action: 'audit.report', entityType: 'audit' },
      );
    });
  }

  /** Writes the auditors' notes on the whole audit (in progress or reporting). */
  async writeSummary(actor: Actor, id: string, summary: string): Promise<Audit> {
    assertMay(actor, AUDITS.report);
    return this.uow.run(actor, async (tx) => {
      const audit = await this.lock(tx, id);
      if (!may(actor, AUDITS.report, audit)) throw refusal(AUDITS.report);
      if (audit.status !== 'in_progress' && audit.status !== 'reporting')
        throw new AppException('AUDIT_NOT_IN_PROGRESS', `The audit is ${audit.status}`, undefined, { auditStatus: audit.status });
      return tx.update(audit, { summary: summary.trim() }, { action: 'audit.summary', entityType: 'audit' });
    });
  }

  /** The CISO accepts the report (the audit closes) or returns it to in progress with a note saying what to do. */
  async accept(actor: Actor, id: string, dto: AcceptReportDto): Promise<Audit> {
    assertMay(actor, AUDITS.accept);
    const note = dto.note?.trim() || null;
    if (!dto.accepted && !note)
      throw new AppException('VALIDATION_FAILED', undefined, [{ field: 'note', messages: ['say what is to be done before it is accepted'] }]);
    return this.uow.run(actor, async (tx) => {
      const audit = await this.lock(tx, id);
      if (dto.accepted) {
        this.assertMove(audit, 'closed');
        return tx.update(
          audit,
          { status: 'closed', acceptedAt: new Date(), acceptedById: actor.staffId, acceptanceNote: note },
          { action: 'audit.accept', entityType: 'audit' },
        );
      }
      if (audit.status !== 'reporting') this.assertMove(audit, 'closed');
      return tx.update(audit, { status: 'in_progress', reportedAt: null, acceptanceNote: note }, { action: 'audit.return', entityType: 'audit' });
    });
  }

  // ---------------------------------------------------------------- the steps

  /** The department a reader is held to: a manager who is neither on the team nor reads all sees only their own. */
  onlyDepartment(actor: Actor, audit: AuditTeam): string | null {
    if (actor.system || actor.roles.some((role) => AUDIT_READ_ALL.includes(role))) return null;
    if (actor.staffId && (audit.leadAuditorId === actor.staffId || audit.auditorIds.includes(actor.staffId))) return null;
    return actor.departmentId ?? '00000000-0000-0000-0000-000000000000';
  }

  /** The audit, if the reader sees it (404 otherwise), optionally locked. */
  async visible(actor: Actor, manager: EntityManager, id: string, lock?: 'pessimistic_read' | 'pessimistic_write'): Promise<Audit> {
    const audit = await manager
      .getRepository(Audit)
      .findOne({ where: { id, organizationId: actor.organizationId }, ...(lock ? { lock: { mode: lock } } : {}) });
    if (!audit || !(actor.system || seesAudit(actor, audit))) throw new AppException('AUDIT_NOT_FOUND');
    return audit;
  }

  private lock(tx: Transaction, id: string): Promise<Audit> {
    return this.visible(tx.actor, tx.manager, id, 'pessimistic_write');
  }

  private async rowOf(manager: EntityManager, audit: Audit, itemId: string, own: string | null): Promise<ChecklistRow> {
    const rows = (await manager.query(
      `SELECT i.*, c.title AS control_title, c.title_en AS control_title_en, c.audit_question, c.audit_question_en,
              c.evidence_hints, c.evidence_hints_en, c.essential, d.name AS department_name,
              p.family_name || ' ' || p.given_name AS answered_by_name, f.id AS finding_id, f.reference AS finding_reference,
              (SELECT count(*)::int FROM audit_checklist_evidence e WHERE e.checklist_item_id = i.id) AS evidence_count
         FROM audit_checklist_items i
         JOIN controls c ON c.id = i.control_id
         JOIN departments d ON d.id = i.department_id
         LEFT JOIN staff p ON p.id = i.answered_by_id
         LEFT JOIN findings f ON f.checklist_item_id = i.id
        WHERE i.audit_id = $1 AND i.id = $2 AND ($3::uuid IS NULL OR i.department_id = $3)`,
      [audit.id, itemId, own],
    )) as ChecklistRowSql[];
    if (!rows[0]) throw new AppException('CHECKLIST_ITEM_NOT_FOUND');
    return checklistRow(rows[0]);
  }

  private assertStatus(audit: Audit, status: AuditStatus, to: AuditStatus): void {
    if (audit.status !== status) this.refuseMove(audit, to);
  }

  private assertMove(audit: Audit, to: AuditStatus): void {
    if (!mayMoveAudit(audit.status, to)) this.refuseMove(audit, to);
  }

  private refuseMove(audit: Audit, to: AuditStatus): never {
    const allowed = AUDIT_TRANSITIONS[audit.status];
    throw new AppException(
      'AUDIT_TRANSITION_NOT_ALLOWED',
      `The audit is ${audit.status}; from there it may go to: ${allowed.join(', ') || 'nowhere'}`,
      undefined,
      {
        from: audit.status,
        to,
        allowedTransitions: allowed,
      },
    );
  }

  /** The team without the lead and without repeats. */
  private team(leadAuditorId: string, auditorIds: readonly string[] = []): string[] {
    return [...new Set(auditorIds)].filter((id) => id !== leadAuditorId);
  }

  private scopeOf(dto: AuditScope): AuditScope {
    return {
      ...(dto.chapters?.length ? { chapters: [...new Set(dto.chapters)].sort((a, b) => a - b) } : {}),
      ...(dto.controlIds?.length ? { controlIds: [...new Set(dto.controlIds)] } : {}),
      ...(dto.essentialOnly ? { essentialOnly: true } : {}),
      departmentIds: [...new Set(dto.departmentIds)],
    };
  }

  /**
   * Checks a plan: the dates in order and the start in the fiscal year; the departments, controls and
   * auditors exist (auditors active, with the auditor or security officer role); and, for an audit
   * (not a self-inspection), no auditor belongs to a department in scope.
   */
  private async assertPlan(
    tx: Transaction,
    plan: Pick<Audit, 'fiscalYear' | 'kind' | 'scope' | 'leadAuditorId' | 'auditorIds' | 'plannedStart' | 'plannedEnd'>,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (plan.plannedEnd < plan.plannedStart) errors.push({ field: 'plannedEnd', messages: ['must be on or after plannedStart'] });
    if (fiscalYearOf(plan.plannedStart) !== plan.fiscalYear)
      errors.push({
        field: 'plannedStart',
        messages: [`must fall in fiscal year ${plan.fiscalYear} (${plan.fiscalYear}-04-01 to ${plan.fiscalYear + 1}-03-31)`],
      });
    if (errors.length) throw new AppException('VALIDATION_FAILED', undefined, errors);

    const org = tx.actor.organizationId;
    const people = [plan.leadAuditorId, ...plan.auditorIds];
    const [departments, controls, auditors] = await Promise.all([
      tx.manager.query(`SELECT id, name FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND closed_on IS NULL`, [
        org,
        plan.scope.departmentIds,
      ]) as Promise<{ id: string; name: string }[]>,
      plan.scope.controlIds?.length
        ? (tx.manager.query(`SELECT id FROM controls WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND retired_at IS NULL`, [
            org,
            plan.scope.controlIds,
          ]) as Promise<{ id: string }[]>)
        : Promise.resolve([]),
      tx.manager.query(
        `SELECT id, department_id, family_name || ' ' || given_name AS name, roles::text[] && $3::text[] AS audits
           FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'`,
        [org, people, AUDITOR_ROLES],
      ) as Promise<{ id: string; department_id: string | null; name: string; audits: boolean }[]>,
    ]);
    const departmentNames = new Map(departments.map((d) => [d.id, d.name]));
    const unknownDepartments = plan.scope.departmentIds.filter((id) => !departmentNames.has(id));
    if (unknownDepartments.length) errors.push({ field: 'scope.departmentIds', messages: [`no such open department: ${unknownDepartments.join(', ')}`] });
    const knownControls = new Set(controls.map((c) => c.id));
    const unknownControls = (plan.scope.controlIds ?? []).filter((id) => !knownControls.has(id));
    if (unknownControls.length) errors.push({ field: 'scope.controlIds', messages: [`no such control in force: ${unknownControls.join(', ')}`] });
    const byId = new Map(auditors.map((a) => [a.id, a]));
    const fieldOf = (i: number) => (i === 0 ? 'leadAuditorId' : `auditorIds.${i - 1}`);
    people.forEach((id, i) => {
      const person = byId.get(id);
      if (!person || !person.audits)
        errors.push({ field: fieldOf(i), messages: ['must be an active member of staff with the auditor or security officer role'] });
    });
    if (errors.length) throw new AppException('AUDIT_LINK_INVALID', undefined, errors);

    if (plan.kind === 'self_inspection') return;
    const own: FieldError[] = [];
    people.forEach((id, i) => {
      const person = byId.get(id)!;
      if (person.department_id && departmentNames.has(person.department_id))
        own.push({
          field: fieldOf(i),
          messages: [
            `${person.name} belongs to ${departmentNames.get(person.department_id)}, which is in scope: an auditor may not audit their own department`,
          ],
        });
    });
    if (own.length) {
      const names = [...new Set(own.map((e) => e.messages[0]!.split(' belongs to ')[1]!.split(', which')[0]))];
      throw new AppException('AUDIT_OWN_DEPARTMENT', `An auditor may not audit their own department: ${names.join('、')}`, own, {
        departments: names,
      });
    }
  }
}

function checklistRow(row: ChecklistRowSql): ChecklistRow {
  const item = Object.assign(new ChecklistItem(), {
    id: row.id,
    organizationId: row.organization_id,
    auditId: row.audit_id,
    controlId: row.control_id,
    controlCode: row.control_code,
    chapter: row.chapter,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    result: row.result,
    note: row.note,
    answeredById: row.answered_by_id,
    answeredAt: row.answered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  return {
    item,
    controlTitle: row.control_title,
    controlTitleEn: row.control_title_en,
    question: row.audit_question ?? row.control_title,
    questionEn: row.audit_question_en ?? row.control_title_en,
    evidenceHints: row.evidence_hints,
    evidenceHintsEn: row.evidence_hints_en,
    essential: row.essential,
    departmentName: row.department_name,
    answeredByName: row.answered_by_name,
    findingId: row.finding_id,
    findingReference: row.finding_reference,
    evidenceCount: row.evidence_count,
  };
}
