import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { accessScope } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { assertMay, may } from '../common/permissions.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type {
  DurationFiguresView,
  IncidentCountsView,
  IncidentFigureGroup,
  IncidentFiguresQuery,
  IncidentFiguresRowView,
  IncidentFiguresView,
} from './dto/figures.dto.js';
import { INCIDENT_CATEGORIES, SEVERITIES, type IncidentCategory, type Severity } from './incident.entity.js';
import { INCIDENT_SCOPE, INCIDENTS } from './incidents.permissions.js';

/**
 * Whether an incident (alias `i`) is a near miss (ヒヤリハット): triage's severity decides once there
 * is one (L0), the reporter's tick until then. Never counted against the "0 incidents" indicator.
 */
export function nearMissSql(i: string): string {
  return `(CASE WHEN ${i}.severity IS NOT NULL THEN ${i}.severity = 'L0' ELSE ${i}.near_miss END)`;
}

/** The minutes from the report to a moment of an incident (alias `i`), as a double. */
const minutesFromReport = (i: string, column: string): string => `(extract(epoch FROM ${i}.${column} - ${i}.reported_at) / 60)::float8`;

/** The median and 90th percentile (continuous) of a duration column over the incidents (`incident`) of a group. */
function durationSql(column: string, name: string): string {
  return `count(${column}) FILTER (WHERE incident)::int AS ${name}_n,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column}) FILTER (WHERE incident) AS ${name}_p50,
          percentile_cont(0.9) WITHIN GROUP (ORDER BY ${column}) FILTER (WHERE incident) AS ${name}_p90`;
}

interface FiguresSqlRow {
  is_total: boolean;
  key: string | null;
  incidents: number;
  counted: number;
  open: number;
  near_misses: number;
  rejected: number;
  ack_n: number;
  ack_p50: number | null;
  ack_p90: number | null;
  contain_n: number;
  contain_p50: number | null;
  contain_p90: number | null;
  close_n: number;
  close_p50: number | null;
  close_p90: number | null;
  code?: string | null;
  name?: string | null;
  name_en?: string | null;
}

/** Minutes to 0.1. */
const tenth = (value: number | null): number | null => (value === null ? null : Math.round(Number(value) * 10) / 10);

function duration(n: number, p50: number | null, p90: number | null): DurationFiguresView {
  return { measured: n, medianMinutes: tenth(p50), p90Minutes: tenth(p90) };
}

function countsOf(row: FiguresSqlRow): IncidentCountsView {
  return {
    incidents: row.incidents,
    counted: row.counted,
    open: row.open,
    nearMisses: row.near_misses,
    rejected: row.rejected,
    timeToAcknowledge: duration(row.ack_n, row.ack_p50, row.ack_p90),
    timeToContain: duration(row.contain_n, row.contain_p50, row.contain_p90),
    timeToClose: duration(row.close_n, row.close_p50, row.close_p90),
  };
}

/** The work of the security office's desk: reports to triage, incidents nobody has acknowledged, external reports coming due. */
export interface IncidentDeskCounts {
  /** reported, waiting for triage */
  toTriage: number;
  /** of those, reported over a day ago */
  toTriageLate: number;
  /** open incidents (not near misses) nobody has acknowledged */
  unacknowledged: number;
  /** of those, escalated past the first level */
  unacknowledgedEscalated: number;
  /** external reports not sent nor cancelled, due within a day or overdue */
  externalReportsDue: number;
  /** of those, overdue */
  externalReportsOverdue: number;
}

/**
 * Incident figures (インシデントの件数と対応時間) of a fiscal year, each one aggregate SQL statement over
 * the incidents: counts by severity, category or department with near misses apart and rejected
 * reports left out, the indicator's count (the configured severities), and the median and 90th
 * percentile of the time to acknowledge, to contain and to close. The CSIRT, the security office and
 * the CISO see every department; a manager their own (where it happened, or where the reporter works).
 */
@Injectable()
export class IncidentFiguresService {
  private readonly countedSeverities: readonly Severity[];

  constructor(
    private readonly uow: UnitOfWork,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.countedSeverities = config.get('incidents', { infer: true }).countedSeverities;
  }

  async figures(actor: Actor, query: Pick<IncidentFiguresQuery, 'fiscalYear'> & { groupBy?: IncidentFigureGroup }): Promise<IncidentFiguresView> {
    assertMay(actor, INCIDENTS.read_figures);
    const groupBy = query.groupBy ?? 'severity';
    const scope = accessScope(actor, INCIDENT_SCOPE);
    const params: unknown[] = [actor.organizationId, query.fiscalYear, [...this.countedSeverities]];
    let where = 'i.organization_id = $1 AND i.fiscal_year = $2';
    if (scope.kind !== 'all') {
      params.push(actor.departmentId);
      where += ' AND (i.department_id = $4::uuid OR i.reporter_department_id = $4::uuid)';
    }
    const key = groupBy === 'severity' ? 'i.severity' : groupBy === 'category' ? 'i.category' : 'i.department_id::text';
    const rows = (await this.uow.manager.query(
      `WITH scoped AS (
         SELECT ${key} AS key,
                i.status,
                i.status = 'rejected' AS rejected,
                ${nearMissSql('i')} AS near_miss,
                i.status <> 'rejected' AND NOT ${nearMissSql('i')} AS incident,
                i.severity = ANY($3::varchar[]) AS counted_severity,
                ${minutesFromReport('i', 'acknowledged_at')} AS ack,
                ${minutesFromReport('i', 'contained_at')} AS contain,
                CASE WHEN i.status = 'closed' THEN ${minutesFromReport('i', 'closed_at')} END AS close
           FROM incidents i
          WHERE ${where}),
       figures AS (
         SELECT GROUPING(key) = 1 AS is_total, key,
                count(*) FILTER (WHERE incident)::int AS incidents,
                count(*) FILTER (WHERE incident AND counted_severity)::int AS counted,
                count(*) FILTER (WHERE incident AND status <> 'closed')::int AS open,
                count(*) FILTER (WHERE near_miss AND NOT rejected)::int AS near_misses,
                count(*) FILTER (WHERE rejected)::int AS rejected,
                ${durationSql('ack', 'ack')},
                ${durationSql('contain', 'contain')},
                ${durationSql('close', 'close')}
           FROM scoped
          GROUP BY GROUPING SETS ((key), ()))
       SELECT f.*${groupBy === 'department' ? ', d.code, d.name, d.name_en' : ''}
         FROM figures f
         ${groupBy === 'department' ? 'LEFT JOIN departments d ON d.id = f.key::uuid AND d.organization_id = $1' : ''}`,
      params,
    )) as FiguresSqlRow[];
    const total = rows.find((row) => row.is_total)!;
    const items = rows
      .filter((row) => !row.is_total)
      .map((row) => ({ row, view: { ...this.groupFields(groupBy, row), ...countsOf(row) } as IncidentFiguresRowView }))
      .sort((a, b) => this.order(groupBy, a.row) - this.order(groupBy, b.row) || String(a.row.code ?? '').localeCompare(String(b.row.code ?? '')))
      .map(({ view }) => view);
    return {
      fiscalYear: query.fiscalYear,
      groupBy,
      scope: scope.kind === 'all' ? 'all' : 'department',
      countedSeverities: [...this.countedSeverities],
      items,
      total: items.length,
      totals: countsOf(total),
    };
  }

  /** The fiscal years that have reports (of the reader's scope), newest first, and the current one. */
  async fiscalYears(actor: Actor): Promise<number[]> {
    assertMay(actor, INCIDENTS.read_figures);
    const rows = (await this.uow.manager.query(`SELECT DISTINCT fiscal_year FROM incidents WHERE organization_id = $1`, [actor.organizationId])) as {
      fiscal_year: number;
    }[];
    const years = new Set([fiscalYearOf(tokyoToday()), ...rows.map((row) => row.fiscal_year)]);
    return [...years].sort((a, b) => b - a);
  }

  /**
   * The desk's work (the work queue's counts), one statement: reports waiting for triage (late
   * after a day), open incidents nobody has acknowledged (escalated past the first level), and
   * external reports not sent that fall due within a day or are overdue.
   */
  async deskCounts(actor: Actor, now: Date = new Date()): Promise<IncidentDeskCounts> {
    assertMay(actor, INCIDENTS.read_all);
    const [row] = (await this.uow.manager.query(
      `SELECT w.*, r.*
         FROM (SELECT count(*) FILTER (WHERE i.status = 'reported')::int AS to_triage,
                      count(*) FILTER (WHERE i.status = 'reported' AND i.reported_at < $2::timestamptz - interval '1 day')::int AS to_triage_late,
                      count(*) FILTER (WHERE i.acknowledged_at IS NULL AND NOT ${nearMissSql('i')})::int AS unacknowledged,
                      count(*) FILTER (WHERE i.acknowledged_at IS NULL AND NOT ${nearMissSql('i')}
                                         AND EXISTS (SELECT 1 FROM escalation_firings f WHERE f.incident_id = i.id AND f.level > 0))::int AS unacknowledged_escalated
                 FROM incidents i
                WHERE i.organization_id = $1 AND i.status IN ('reported', 'triaged', 'contained', 'eradicated', 'recovered', 'reopened')) w,
              (SELECT count(*)::int AS external_due, count(*) FILTER (WHERE x.due_at < $2::timestamptz)::int AS external_overdue
                 FROM external_reports x
                WHERE x.organization_id = $1 AND x.sent_at IS NULL AND x.cancelled_at IS NULL AND x.due_at < $2::timestamptz + interval '1 day') r`,
      [actor.organizationId, now.toISOString()],
    )) as {
      to_triage: number;
      to_triage_late: number;
      unacknowledged: number;
      unacknowledged_escalated: number;
      external_due: number;
      external_overdue: number;
    }[];
    return {
      toTriage: may(actor, INCIDENTS.respond) ? row!.to_triage : 0,
      toTriageLate: may(actor, INCIDENTS.respond) ? row!.to_triage_late : 0,
      unacknowledged: row!.unacknowledged,
      unacknowledgedEscalated: row!.unacknowledged_escalated,
      externalReportsDue: row!.external_due,
      externalReportsOverdue: row!.external_overdue,
    };
  }

  private groupFields(groupBy: IncidentFigureGroup, row: FiguresSqlRow): Partial<IncidentFiguresRowView> {
    switch (groupBy) {
      case 'severity':
        return { severity: row.key as Severity | null };
      case 'category':
        return { category: row.key as IncidentCategory | null };
      case 'department':
        return { departmentId: row.key, departmentCode: row.code ?? null, departmentName: row.name ?? null, departmentNameEn: row.name_en ?? null };
    }
  }

  /** Rows in the order of the scale (L0 … L3), of the category list, or by department code; the unassessed last. */
  private order(groupBy: IncidentFigureGroup, row: FiguresSqlRow): number {
    if (row.key === null) return Number.MAX_SAFE_INTEGER;
    if (groupBy === 'severity') return SEVERITIES.indexOf(row.key as Severity);
    if (groupBy === 'category') return INCIDENT_CATEGORIES.indexOf(row.key as IncidentCategory);
    return 0;
  }
}
