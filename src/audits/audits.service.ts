import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, type Page } from '../common/pagination.js';
import { assertMay, may, refusal } from '../common/permissions.js';
import { nextReference } from '../database/reference-numbers.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { FindingSeverity } from '../findings/finding.entity.js';
import { FindingsService } from '../findings/findings.service.js';
import { assertPlan, assertTeamOutsideScope, scopeCondition, scopeOf, scopeParameters, teamWithoutLead } from './audit-plan-checks.js';
import { AuditSignOff } from './audit-sign-off.entity.js';
import { AUDIT_TRANSITIONS, mayMoveAudit } from './audit-transitions.js';
import { Audit, type AuditScope, type AuditStatus } from './audit.entity.js';
import { AUDIT_READ_ALL, AUDITS, seesAudit, type AuditTeam } from './audits.permissions.js';
import { ChecklistItem, NONCONFORMITIES, type ChecklistResult } from './checklist-item.entity.js';
import { checklistRow, checklistRowsSql, type ChecklistRow, type ChecklistRowSql } from './checklist-rows.js';
import type { AcceptReportDto, AnswerItemDto, AuditQuery, ChecklistQuery, PlanAuditDto, ReportAuditDto, SignOffDto, UpdateAuditDto } from './dto/audit.dto.js';

/** The severity of the finding a non-conformity raises. */
export const FINDING_SEVERITY_OF: Partial<Record<ChecklistResult, FindingSeverity>> = { major_nonconformity: 'high', minor_nonconformity: 'medium' };

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
      const plan = { ...dto, auditorIds: teamWithoutLead(dto.leadAuditorId, dto.auditorIds), scope: scopeOf(dto.scope) };
      await assertPlan(tx, plan);
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
        scope: dto.scope ? scopeOf(dto.scope) : audit.scope,
        leadAuditorId,
        auditorIds: teamWithoutLead(leadAuditorId, dto.auditorIds ?? audit.auditorIds),
        plannedStart: dto.plannedStart ?? audit.plannedStart,
        plannedEnd: dto.plannedEnd ?? audit.plannedEnd,
      };
      await assertPlan(tx, plan);
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
      if (audit.kind !== 'self_inspection') await assertTeamOutsideScope(tx, audit);
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
        checklistRowsSql(
          `(SELECT * FROM audit_checklist_items i WHERE ${whereSql}
             ORDER BY i.control_code, i.department_code LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize})`,
        ),
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
      checklistRowsSql(`(SELECT * FROM audit_checklist_items i WHERE i.audit_id = $1 AND i.id = $2 AND ($3::uuid IS NULL OR i.department_id = $3))`),
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
}
