import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { CorrectiveActionStatus } from '../findings/corrective-action.entity.js';
import type { FindingSeverity, FindingStatus } from '../findings/finding.entity.js';
import type { Audit, AuditKind } from './audit.entity.js';
import { AUDITS } from './audits.permissions.js';
import { AuditsService } from './audits.service.js';
import { CHECKLIST_RESULTS, type ChecklistResult } from './checklist-item.entity.js';

/**
 * The conformance rate (適合率) of a set of checklist items:
 *
 *   rate = (conformant + observation) ÷ (answered − not_applicable)
 *
 * An observation (観察事項) is a remark on a control that is in place, so it counts as conformant;
 * minor and major non-conformities do not; items not applicable leave the denominator, as do items
 * not answered yet. `null` when no answered item is applicable (nothing to measure).
 */
export const CONFORMANCE_RATE_RULE = 'rate = (conformant + observation) ÷ (answered − not_applicable); null when nothing answered is applicable';

/** The counts of a set of checklist items and their conformance rate (CONFORMANCE_RATE_RULE). */
export interface ConformanceFigures {
  items: number;
  answered: number;
  byResult: Record<ChecklistResult, number>;
  /** answered − not_applicable: the rate's denominator */
  applicable: number;
  /** (conformant + observation) ÷ applicable, 0–1; null when applicable is 0 */
  rate: number | null;
}

export interface ChapterConformance extends ConformanceFigures {
  chapter: number;
}

export interface DepartmentConformance extends ConformanceFigures {
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  departmentNameEn: string | null;
}

export interface PersonName {
  id: string;
  name: string;
}

export interface ReportAction {
  id: string;
  description: string;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string;
  status: CorrectiveActionStatus;
  doneAt: Date | null;
  verifiedAt: Date | null;
}

export interface ReportFinding {
  id: string;
  reference: string;
  title: string;
  description: string;
  severity: FindingSeverity;
  status: FindingStatus;
  dueDate: string;
  ownerDepartmentId: string | null;
  ownerDepartmentName: string | null;
  ownerDepartmentNameEn: string | null;
  /** the checklist item whose non-conformity raised it; null for a finding raised by hand against the audit */
  checklistItemId: string | null;
  controlCode: string | null;
  verifiedAt: Date | null;
  actions: ReportAction[];
}

/** A checklist item as the report lists it (its notes, and the workbook's every item). */
export interface ReportItem {
  id: string;
  controlCode: string;
  chapter: number;
  controlTitle: string;
  controlTitleEn: string | null;
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  departmentNameEn: string | null;
  result: ChecklistResult | null;
  note: string | null;
  answeredByName: string | null;
  answeredAt: Date | null;
  findingReference: string | null;
}

/** An audit's report: the audit, its team, the conformance by chapter and department, the findings and actions, the notes, the acceptance. */
export interface AuditReport {
  audit: Audit;
  /** the department the reader is held to (a manager not on the team), else null */
  departmentId: string | null;
  leadAuditor: PersonName;
  auditors: PersonName[];
  acceptedBy: PersonName | null;
  departmentNames: { id: string; code: string; name: string; nameEn: string | null }[];
  overall: ConformanceFigures;
  byChapter: ChapterConformance[];
  byDepartment: DepartmentConformance[];
  findings: ReportFinding[];
  /** the items observed or found non-conformant, with the auditors' note on each: the first REPORT_NOTES_LIMIT (the workbook has them all) */
  notes: ReportItem[];
  /** how many items are observed or found non-conformant in all (notes holds the first REPORT_NOTES_LIMIT of them) */
  notesTotal: number;
}

/** The notes the report lists (the JSON report and its page); the workbook's 監査項目 sheet has every item. */
export const REPORT_NOTES_LIMIT = 500;

/** Where a page of items ends, in their order (control code, department code, id): the next page starts after it. */
export interface ItemKey {
  controlCode: string;
  departmentCode: string;
  id: string;
}

/** A read-only REPEATABLE READ transaction on a connection of its own: every read through `manager` sees the same moment; `close()` ends it. */
export interface ReportSnapshot {
  manager: EntityManager;
  close(): Promise<void>;
}

/** One fiscal year's audits of a kind (or of every kind: `kind` null), held = reporting or closed. */
export interface TrendFigures {
  fiscalYear: number;
  kind: AuditKind | null;
  audits: number;
  items: number;
  answered: number;
  applicable: number;
  conformant: number;
  observation: number;
  rate: number | null;
  findingsRaised: number;
  findingsVerified: number;
}

export interface TrendYear {
  fiscalYear: number;
  total: TrendFigures;
  byKind: TrendFigures[];
}

interface CountsSql {
  items: number;
  answered: number;
  conformant: number;
  observation: number;
  minor_nonconformity: number;
  major_nonconformity: number;
  not_applicable: number;
}

/** The result counts of a set of items, as SQL aggregates (the items aliased `i`). */
const COUNTS_SQL = `count(*)::int AS items, count(i.result)::int AS answered,
  ${CHECKLIST_RESULTS.map((result) => `count(*) FILTER (WHERE i.result = '${result}')::int AS ${result}`).join(',\n  ')}`;

export function conformanceOf(row: CountsSql): ConformanceFigures {
  const byResult = Object.fromEntries(CHECKLIST_RESULTS.map((result) => [result, row[result]])) as Record<ChecklistResult, number>;
  const applicable = row.answered - row.not_applicable;
  return {
    items: row.items,
    answered: row.answered,
    byResult,
    applicable,
    rate: rateOf(row.conformant + row.observation, applicable),
  };
}

function rateOf(conforming: number, applicable: number): number | null {
  return applicable > 0 ? conforming / applicable : null;
}

const ZERO: CountsSql = { items: 0, answered: 0, conformant: 0, observation: 0, minor_nonconformity: 0, major_nonconformity: 0, not_applicable: 0 };

/**
 * The audit report (監査報告) and the conformance trend across fiscal years. The figures are
 * counted by PostgreSQL (one GROUP BY GROUPING SETS over the checklist: by chapter, by department
 * and overall), so a report of 100,000 items costs one pass over the audit's rows.
 */
@Injectable()
export class AuditReportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audits: AuditsService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The report of an audit the reader sees (404 otherwise; a manager not on its team sees their own
   * department's items and findings only): conformance by chapter, department and overall, every
   * finding the audit raised (by its checklist or by hand against it) with its corrective actions,
   * the first REPORT_NOTES_LIMIT of the auditors' notes (and how many there are), the team and the
   * CISO's acceptance. Read in one snapshot (ReportSnapshot), so the figures and the notes agree
   * while the audit is being answered.
   */
  async report(actor: Actor, auditId: string): Promise<AuditReport> {
    assertMay(actor, AUDITS.read);
    const snapshot = await this.snapshot();
    try {
      return await this.reportIn(actor, snapshot.manager, auditId, REPORT_NOTES_LIMIT);
    } finally {
      await snapshot.close();
    }
  }

  /**
   * Opens a read-only REPEATABLE READ transaction on a connection of its own (not the UnitOfWork's,
   * which is for changes): the report and the workbook read everything they show through its
   * manager, so the figures and the rows are of one moment. The caller closes it (a rollback:
   * nothing was written) and so gives the connection back.
   */
  async snapshot(): Promise<ReportSnapshot> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      throw error;
    }
    let closed = false;
    return {
      manager: runner.manager,
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
        } finally {
          await runner.release();
        }
      },
    };
  }

  /** The report, read through `manager` (a snapshot's), with at most `notesLimit` notes. The caller has checked AUDITS.read. */
  async reportIn(actor: Actor, manager: EntityManager, auditId: string, notesLimit: number): Promise<AuditReport> {
    const audit = await this.audits.visible(actor, manager, auditId);
    const own = this.audits.onlyDepartment(actor, audit);
    // one connection: the statements take turns on it
    const figures = await this.figures(manager, audit.id, own);
    const findings = await this.findings(manager, audit, own);
    const notes = notesLimit > 0 ? await this.items(manager, audit.id, own, { notesOnly: true, limit: notesLimit }) : [];
    const people = await this.names(manager, audit.organizationId, [
      audit.leadAuditorId,
      ...audit.auditorIds,
      ...(audit.acceptedById ? [audit.acceptedById] : []),
    ]);
    const departments = (await manager.query(
      `SELECT id, code, name, name_en FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) ORDER BY code`,
      [audit.organizationId, own ? [own] : audit.departmentIds],
    )) as { id: string; code: string; name: string; name_en: string | null }[];
    const person = (id: string): PersonName => ({ id, name: people.get(id) ?? '' });
    const { byResult } = figures.overall;
    return {
      audit,
      departmentId: own,
      leadAuditor: person(audit.leadAuditorId),
      auditors: audit.auditorIds.map(person),
      acceptedBy: audit.acceptedById ? person(audit.acceptedById) : null,
      departmentNames: departments.map((d) => ({ id: d.id, code: d.code, name: d.name, nameEn: d.name_en })),
      ...figures,
      findings,
      notes,
      notesTotal: byResult.observation + byResult.minor_nonconformity + byResult.major_nonconformity,
    };
  }

  /**
   * Every checklist item of the report (the workbook's 監査項目 sheet), in control-code, department-code
   * then id order, `batch` at a time: each batch one statement after the last item of the one before
   * (keyset), so 100,000 items are never held at once. Read through `manager` (a snapshot's).
   */
  async *itemBatches(manager: EntityManager, report: Pick<AuditReport, 'audit' | 'departmentId'>, batch: number): AsyncGenerator<ReportItem[]> {
    let after: ItemKey | null = null;
    for (;;) {
      const items = await this.items(manager, report.audit.id, report.departmentId, { notesOnly: false, limit: batch, after });
      if (items.length) yield items;
      if (items.length < batch) return;
      after = items.at(-1)!;
    }
  }

  /**
   * The conformance trend (適合率の推移): per fiscal year, and per kind within it, the audits held
   * (reporting or closed), their items, conformance rate (CONFORMANCE_RATE_RULE), the findings they
   * raised and how many of those are verified; every fiscal year, oldest first.
   */
  async trend(actor: Actor, query: { kind?: AuditKind }): Promise<TrendYear[]> {
    assertMay(actor, AUDITS.read_trend);
    const rows = (await this.uow.manager.query(
      `WITH held AS (
         SELECT id, fiscal_year, kind FROM audits
          WHERE organization_id = $1 AND status IN ('reporting', 'closed') AND ($2::text IS NULL OR kind = $2)
       ),
       counted AS (
         SELECT h.id, count(i.id)::int AS items, count(i.result)::int AS answered,
                count(*) FILTER (WHERE i.result = 'conformant')::int AS conformant,
                count(*) FILTER (WHERE i.result = 'observation')::int AS observation,
                count(*) FILTER (WHERE i.result = 'not_applicable')::int AS not_applicable
           FROM held h LEFT JOIN audit_checklist_items i ON i.audit_id = h.id
          GROUP BY h.id
       ),
       found AS (
         SELECT h.id, count(f.id)::int AS raised, count(*) FILTER (WHERE f.status = 'verified')::int AS verified
           FROM held h JOIN findings f ON f.organization_id = $1 AND f.source = 'audit' AND f.source_id = h.id
          GROUP BY h.id
       )
       SELECT h.fiscal_year, h.kind, GROUPING(h.kind) AS all_kinds, count(*)::int AS audits,
              coalesce(sum(c.items), 0)::int AS items, coalesce(sum(c.answered), 0)::int AS answered,
              coalesce(sum(c.conformant), 0)::int AS conformant, coalesce(sum(c.observation), 0)::int AS observation,
              coalesce(sum(c.not_applicable), 0)::int AS not_applicable,
              coalesce(sum(f.raised), 0)::int AS raised, coalesce(sum(f.verified), 0)::int AS verified
         FROM held h JOIN counted c ON c.id = h.id LEFT JOIN found f ON f.id = h.id
        GROUP BY GROUPING SETS ((h.fiscal_year, h.kind), (h.fiscal_year))
        ORDER BY h.fiscal_year, all_kinds DESC, h.kind`,
      [actor.organizationId, query.kind ?? null],
    )) as {
      fiscal_year: number;
      kind: AuditKind | null;
      all_kinds: number;
      audits: number;
      items: number;
      answered: number;
      conformant: number;
      observation: number;
      not_applicable: number;
      raised: number;
      verified: number;
    }[];
    const years = new Map<number, TrendYear>();
    for (const row of rows) {
      const applicable = row.answered - row.not_applicable;
      const figures: TrendFigures = {
        fiscalYear: row.fiscal_year,
        kind: row.all_kinds ? null : row.kind,
        audits: row.audits,
        items: row.items,
        answered: row.answered,
        applicable,
        conformant: row.conformant,
        observation: row.observation,
        rate: rateOf(row.conformant + row.observation, applicable),
        findingsRaised: row.raised,
        findingsVerified: row.verified,
      };
      // the year's total comes first (all_kinds DESC), its kinds after it
      if (figures.kind === null) years.set(row.fiscal_year, { fiscalYear: row.fiscal_year, total: figures, byKind: [] });
      else years.get(row.fiscal_year)?.byKind.push(figures);
    }
    return [...years.values()];
  }

  // ---------------------------------------------------------------- the parts

  /** By chapter, by department and overall, in one pass (GROUPING SETS). */
  private async figures(manager: EntityManager, auditId: string, own: string | null): Promise<Pick<AuditReport, 'overall' | 'byChapter' | 'byDepartment'>> {
    const rows = (await manager.query(
      `WITH grouped AS (
         SELECT GROUPING(i.chapter) AS no_chapter, GROUPING(i.department_id) AS no_department, i.chapter, i.department_id,
                min(i.department_code) AS department_code, ${COUNTS_SQL}
           FROM audit_checklist_items i
          WHERE i.audit_id = $1 AND ($2::uuid IS NULL OR i.department_id = $2)
          GROUP BY GROUPING SETS ((i.chapter), (i.department_id), ())
       )
       SELECT g.*, d.name AS department_name, d.name_en AS department_name_en
         FROM grouped g LEFT JOIN departments d ON d.id = g.department_id
        ORDER BY g.chapter NULLS LAST, g.department_code NULLS LAST`,
      [auditId, own],
    )) as (CountsSql & {
      no_chapter: number;
      no_department: number;
      chapter: number | null;
      department_id: string | null;
      department_code: string | null;
      department_name: string | null;
      department_name_en: string | null;
    })[];
    let overall = conformanceOf(ZERO);
    const byChapter: ChapterConformance[] = [];
    const byDepartment: DepartmentConformance[] = [];
    for (const row of rows) {
      if (row.no_chapter && row.no_department) overall = conformanceOf(row);
      else if (!row.no_chapter) byChapter.push({ chapter: row.chapter!, ...conformanceOf(row) });
      else
        byDepartment.push({
          departmentId: row.department_id!,
          departmentCode: row.department_code ?? '',
          departmentName: row.department_name ?? '',
          departmentNameEn: row.department_name_en,
          ...conformanceOf(row),
        });
    }
    return { overall, byChapter, byDepartment };
  }

  /** The findings the audit raised (source audit, its id): by its checklist's non-conformities and by hand; a manager their department's. */
  private async findings(manager: EntityManager, audit: Audit, own: string | null): Promise<ReportFinding[]> {
    const findings = (await manager.query(
      `SELECT f.id, f.reference, f.title, f.description, f.severity, f.status, f.due_date::text AS due_date, f.owner_department_id,
              f.checklist_item_id, f.verified_at, d.name AS department_name, d.name_en AS department_name_en, i.control_code
         FROM findings f
         LEFT JOIN departments d ON d.id = f.owner_department_id
         LEFT JOIN audit_checklist_items i ON i.id = f.checklist_item_id
        WHERE f.organization_id = $1 AND f.source = 'audit' AND f.source_id = $2 AND ($3::uuid IS NULL OR f.owner_department_id = $3)
        ORDER BY f.fiscal_year, f.reference`,
      [audit.organizationId, audit.id, own],
    )) as {
      id: string;
      reference: string;
      title: string;
      description: string;
      severity: FindingSeverity;
      status: FindingStatus;
      due_date: string;
      owner_department_id: string | null;
      checklist_item_id: string | null;
      verified_at: Date | null;
      department_name: string | null;
      department_name_en: string | null;
      control_code: string | null;
    }[];
    const actions = findings.length
      ? ((await manager.query(
          `SELECT a.id, a.finding_id, a.description, a.assignee_id, p.family_name || ' ' || p.given_name AS assignee_name,
                  a.due_date::text AS due_date, a.status, a.done_at, a.verified_at
             FROM corrective_actions a LEFT JOIN staff p ON p.id = a.assignee_id
            WHERE a.finding_id = ANY($1::uuid[])
            ORDER BY a.created_at, a.id`,
          [findings.map((f) => f.id)],
        )) as {
          id: string;
          finding_id: string;
          description: string;
          assignee_id: string | null;
          assignee_name: string | null;
          due_date: string;
          status: CorrectiveActionStatus;
          done_at: Date | null;
          verified_at: Date | null;
        }[])
      : [];
    return findings.map((f) => ({
      id: f.id,
      reference: f.reference,
      title: f.title,
      description: f.description,
      severity: f.severity,
      status: f.status,
      dueDate: f.due_date,
      ownerDepartmentId: f.owner_department_id,
      ownerDepartmentName: f.department_name,
      ownerDepartmentNameEn: f.department_name_en,
      checklistItemId: f.checklist_item_id,
      controlCode: f.control_code,
      verifiedAt: f.verified_at,
      actions: actions
        .filter((a) => a.finding_id === f.id)
        .map((a) => ({
          id: a.id,
          description: a.description,
          assigneeId: a.assignee_id,
          assigneeName: a.assignee_name,
          dueDate: a.due_date,
          status: a.status,
          doneAt: a.done_at,
          verifiedAt: a.verified_at,
        })),
    }));
  }

  /**
   * The items of the audit (a manager: their department's): those with an observation or a
   * non-conformity, or every one; at most `limit`, after the item `after` (keyset), in control-code,
   * department-code then id order. The page is chosen on the items alone (their index on audit,
   * control code and department code) before the joins.
   */
  private async items(
    manager: EntityManager,
    auditId: string,
    own: string | null,
    page: { notesOnly: boolean; limit: number; after?: ItemKey | null },
  ): Promise<ReportItem[]> {
    const params: unknown[] = [auditId, own, page.notesOnly, page.limit];
    let keyset = '';
    if (page.after) {
      params.push(page.after.controlCode, page.after.departmentCode, page.after.id);
      // the first comparison is the index's (it bounds the scan), the second breaks ties by id
      keyset = `AND (i.control_code, i.department_code) >= ($5, $6) AND (i.control_code, i.department_code, i.id) > ($5, $6, $7::uuid)`;
    }
    const rows = (await manager.query(
      `SELECT i.id, i.control_code, i.chapter, c.title AS control_title, c.title_en AS control_title_en, i.department_id, i.department_code,
              d.name AS department_name, d.name_en AS department_name_en, i.result, i.note, i.answered_at,
              p.family_name || ' ' || p.given_name AS answered_by_name, f.reference AS finding_reference
         FROM (SELECT * FROM audit_checklist_items i
                WHERE i.audit_id = $1 AND ($2::uuid IS NULL OR i.department_id = $2)
                  AND (NOT $3 OR i.result IN ('observation', 'minor_nonconformity', 'major_nonconformity'))
                  ${keyset}
                ORDER BY i.control_code, i.department_code, i.id
                LIMIT $4) i
         JOIN controls c ON c.id = i.control_id
         JOIN departments d ON d.id = i.department_id
         LEFT JOIN staff p ON p.id = i.answered_by_id
         LEFT JOIN findings f ON f.checklist_item_id = i.id
        ORDER BY i.control_code, i.department_code, i.id`,
      params,
    )) as {
      id: string;
      control_code: string;
      chapter: number;
      control_title: string;
      control_title_en: string | null;
      department_id: string;
      department_code: string;
      department_name: string;
      department_name_en: string | null;
      result: ChecklistResult | null;
      note: string | null;
      answered_at: Date | null;
      answered_by_name: string | null;
      finding_reference: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      controlCode: row.control_code,
      chapter: row.chapter,
      controlTitle: row.control_title,
      controlTitleEn: row.control_title_en,
      departmentId: row.department_id,
      departmentCode: row.department_code,
      departmentName: row.department_name,
      departmentNameEn: row.department_name_en,
      result: row.result,
      note: row.note,
      answeredByName: row.answered_by_name,
      answeredAt: row.answered_at,
      findingReference: row.finding_reference,
    }));
  }

  private async names(manager: EntityManager, organizationId: string, ids: string[]): Promise<Map<string, string>> {
    const rows = (await manager.query(`SELECT id, family_name || ' ' || given_name AS name FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
      organizationId,
      [...new Set(ids)],
    ])) as { id: string; name: string }[];
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}
