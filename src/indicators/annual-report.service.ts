import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { eraYear, formatFiscalYear } from '../common/dates.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { nearMissSql } from '../incidents/incident-figures.service.js';
import { fiscalYearDays } from '../training/courses.service.js';
import { boundAfter, controlsAtSql, percent } from './computed-sources.js';
import type {
  AnnualAuditView,
  AnnualCourseView,
  AnnualDrillView,
  AnnualIndicatorView,
  AnnualMailDrillView,
  AnnualPlanItemsView,
  AnnualReportView,
  AnnualReviewView,
  CountByView,
  YearLabelsView,
} from './dto/annual-report.dto.js';
import { INDICATORS } from './indicators.permissions.js';
import { IndicatorsService, yearDayOf } from './indicators.service.js';

/** A fiscal year named both ways: 令和4年度 and 2022年度 (FY2019 is 令和元年度). */
export function yearLabels(fiscalYear: number): YearLabelsView {
  return {
    era: `${eraYear(fiscalYear)}度`,
    western: `${fiscalYear}年度`,
    ja: formatFiscalYear(fiscalYear, 'ja'),
    en: formatFiscalYear(fiscalYear, 'en'),
  };
}

/** The plan's own measures (III-…) first, in their order, then the other chapters' items. */
export function comparePlanItems(a: string, b: string): number {
  const own = (item: string) => (item.startsWith('III-') ? 0 : 1);
  return own(a) - own(b) || a.localeCompare(b, 'en', { numeric: true });
}

const q = async <T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> => (await manager.query(sql, params)) as T[];

/**
 * The CIO's annual report for the promotion committee (plan chapter 5): every indicator of the year
 * against its target with last year's value beside it (closed years from their close), and what was
 * done per plan item III-1 … III-5, each part one aggregate statement over the records as they are.
 */
@Injectable()
export class AnnualReportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly indicators: IndicatorsService,
  ) {}

  async report(actor: Actor, fiscalYear: number): Promise<AnnualReportView> {
    assertMay(actor, INDICATORS.read_report);
    return this.reportOf(this.uow.manager, actor.organizationId, fiscalYear);
  }

  /** The report of an organisation's year (no permission check: the CLI's and the pages' too). */
  async reportOf(manager: EntityManager, organizationId: string, fiscalYear: number): Promise<AnnualReportView> {
    const [year, previous] = await Promise.all([
      this.indicators.yearFigures(manager, organizationId, yearDayOf(fiscalYear)),
      this.indicators.yearFigures(manager, organizationId, yearDayOf(fiscalYear - 1)),
    ]);
    const before = new Map(previous.items.map((row) => [row.code, row]));
    // one order everywhere (the page, the CSV, the workbook, the API): by plan item (the plan's own III-… first), then as listed
    const ordered = [...year.items].sort((a, b) => comparePlanItems(a.planItem, b.planItem));
    const indicators = ordered.map((row): AnnualIndicatorView => {
      const last = before.get(row.code);
      return {
        code: row.code,
        title: row.title,
        titleEn: row.titleEn,
        planItem: row.planItem,
        unit: row.unit,
        direction: row.direction,
        source: row.source,
        target: row.target,
        value: row.value,
        status: row.status,
        frozen: row.frozen,
        changedSinceClose: row.changedSinceClose,
        currentValue: row.currentValue,
        previousTarget: last?.target ?? null,
        previousValue: last?.value ?? null,
        previousStatus: last?.status ?? 'no_data',
        sourceNote: row.sourceNote,
      };
    });
    return {
      fiscalYear,
      labels: yearLabels(fiscalYear),
      previousLabels: yearLabels(fiscalYear - 1),
      asOf: year.asOf,
      yearOver: year.yearOver,
      closed: year.closed,
      previousClosed: previous.closed,
      changedSinceClose: indicators.some((row) => row.changedSinceClose),
      indicators,
      planItems: await this.planItems(manager, organizationId, fiscalYear),
      generatedAt: new Date().toISOString(),
    };
  }

  /** What was done per plan item, from the records as they are now (the year's end once it is over). */
  async planItems(manager: EntityManager, org: string, fy: number): Promise<AnnualPlanItemsView> {
    const { first, last } = fiscalYearDays(fy);
    const today = tokyoToday();
    const end = boundAfter(today < last ? today : last);
    const yearStart = new Date(`${first}T00:00:00+09:00`).toISOString();
    const yearEnd = boundAfter(last);
    const [controls, courses, mailDrills, audits, findings, reviews, incidents, plan, drills] = await Promise.all([
      q<CountByView>(manager, `WITH at AS (${controlsAtSql}) SELECT status AS key, count(*)::int AS count FROM at GROUP BY status ORDER BY status`, [org, end]),
      q<Omit<AnnualCourseView, 'rate'>>(
        manager,
        `SELECT c.title, c.title_en AS "titleEn", c.kind, c.due_on::text AS "dueOn",
                count(e.id) FILTER (WHERE e.withdrawn_at IS NULL OR e.withdrawn_at >= $3::timestamptz OR e.completed_at < $3::timestamptz)::int AS enrolled,
                count(e.id) FILTER (WHERE e.exempt_at < $3::timestamptz AND (e.completed_at IS NULL OR e.completed_at >= $3::timestamptz)
                                      AND (e.withdrawn_at IS NULL OR e.withdrawn_at >= $3::timestamptz))::int AS exempt,
                count(e.id) FILTER (WHERE e.completed_at < $3::timestamptz)::int AS completed
           FROM courses c LEFT JOIN enrolments e ON e.course_id = c.id AND e.organization_id = $1 AND e.enrolled_at < $3::timestamptz
          WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND c.kind <> 'targeted_mail_drill' AND c.status <> 'draft'
          GROUP BY c.id ORDER BY c.due_on, c.title`,
        // counted as the training indicator counts them: at the year's end (or today), completions after it left out
        [org, fy, end],
      ),
      q<AnnualMailDrillView>(
        manager,
        `SELECT c.title, c.title_en AS "titleEn", c.due_on::text AS "dueOn",
                count(m.id) FILTER (WHERE m.sent)::int AS recipients, count(m.id) FILTER (WHERE m.sent AND m.reported)::int AS reported,
                count(m.id) FILTER (WHERE m.sent AND m.clicked)::int AS clicked
           FROM courses c LEFT JOIN mail_drill_results m ON m.course_id = c.id AND m.organization_id = $1
          WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND c.kind = 'targeted_mail_drill' AND c.status <> 'draft'
          GROUP BY c.id ORDER BY c.due_on, c.title`,
        [org, fy],
      ),
      q<Omit<AnnualAuditView, 'findings'> & { high: number; medium: number; low: number }>(
        manager,
        `SELECT a.reference, a.title, a.kind, a.status, a.planned_start::text AS "plannedStart", a.planned_end::text AS "plannedEnd",
                (a.reported_at AT TIME ZONE 'Asia/Tokyo')::date::text AS "reportedOn",
                count(f.id) FILTER (WHERE f.severity = 'high')::int AS high, count(f.id) FILTER (WHERE f.severity = 'medium')::int AS medium,
                count(f.id) FILTER (WHERE f.severity = 'low')::int AS low
           FROM audits a LEFT JOIN findings f ON f.organization_id = $1 AND f.source = 'audit' AND f.source_id = a.id
          WHERE a.organization_id = $1 AND a.fiscal_year = $2
          GROUP BY a.id ORDER BY a.planned_start, a.reference`,
        [org, fy],
      ),
      q<{ raised: number; verified: number }>(
        manager,
        `SELECT count(*)::int AS raised, count(*) FILTER (WHERE f.status = 'verified')::int AS verified
           FROM findings f WHERE f.organization_id = $1 AND f.fiscal_year = $2`,
        [org, fy],
      ),
      q<AnnualReviewView>(
        manager,
        `SELECT p.title AS policy, p.title_en AS "policyEn", r.due_on::text AS "dueOn", (r.reviewed_at AT TIME ZONE 'Asia/Tokyo')::date::text AS "reviewedOn",
                r.outcome
           FROM policy_reviews r JOIN policies p ON p.id = r.policy_id AND p.organization_id = $1
          WHERE r.organization_id = $1 AND r.reviewed_at >= $2::timestamptz AND r.reviewed_at < $3::timestamptz
          ORDER BY r.reviewed_at, p.title`,
        [org, yearStart, yearEnd],
      ),
      q<{ key: string; count: number; near_miss: boolean }>(
        manager,
        `SELECT coalesce(i.severity, 'unassessed') AS key, ${nearMissSql('i')} AS near_miss, count(*)::int AS count
           FROM incidents i
          WHERE i.organization_id = $1 AND i.fiscal_year = $2 AND i.status <> 'rejected'
          GROUP BY 1, 2 ORDER BY 1`,
        [org, fy],
      ),
      q<{ version: number | null; approved_on: string | null; next_review_due: string | null }>(
        manager,
        `SELECT v.version, (v.approved_at AT TIME ZONE 'Asia/Tokyo')::date::text AS approved_on, v.next_review_due::text AS next_review_due
           FROM response_plan_versions v
          WHERE v.organization_id = $1 AND v.approved_at < $2::timestamptz ORDER BY v.version DESC LIMIT 1`,
        [org, end],
      ),
      q<Omit<AnnualDrillView, 'attendanceRate'>>(
        manager,
        `SELECT d.title, d.kind, (d.starts_at AT TIME ZONE 'Asia/Tokyo')::date::text AS date, d.status,
                coalesce(att.invited, 0)::int AS invited, coalesce(att.present, 0)::int AS present,
                coalesce(st.on_time, 0)::int AS "stepsOnTime", coalesce(st.late, 0)::int AS "stepsLate", coalesce(st.not_done, 0)::int AS "stepsNotDone"
           FROM drills d
           LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE a.invited) AS invited, count(*) FILTER (WHERE a.invited AND a.present) AS present
                                FROM drill_attendance a WHERE a.organization_id = $1 AND a.drill_id = d.id) att ON d.status = 'completed'
           LEFT JOIN LATERAL (SELECT count(r.id) FILTER (WHERE ceil(extract(epoch FROM r.done_at - d.started_at) / 60) <= p.target_minutes) AS on_time,
                                     count(r.id) FILTER (WHERE ceil(extract(epoch FROM r.done_at - d.started_at) / 60) > p.target_minutes) AS late,
                                     count(*) FILTER (WHERE r.id IS NULL) AS not_done
                                FROM playbook_steps p LEFT JOIN drill_step_records r ON r.organization_id = $1 AND r.drill_id = d.id AND r.position = p.position
                               WHERE p.organization_id = $1 AND p.scenario_id = d.scenario_id AND p.revision = d.scenario_revision) st ON d.status = 'completed'
          WHERE d.organization_id = $1 AND d.fiscal_year = $2
          ORDER BY d.starts_at, d.title`,
        [org, fy],
      ),
    ]);
    const [version] = plan;
    const day = today < last ? today : last;
    return {
      controls,
      courses: courses.map((c) => ({ ...c, rate: percent(c.completed, c.enrolled - c.exempt) })),
      mailDrills,
      audits: audits.map(({ high, medium, low, ...a }) => ({ ...a, findings: { high, medium, low } })),
      findings: { raised: findings[0]!.raised, verified: findings[0]!.verified, open: findings[0]!.raised - findings[0]!.verified },
      reviews,
      incidents: incidents.filter((r) => !r.near_miss).map(({ key, count }) => ({ key, count })),
      nearMisses: incidents.filter((r) => r.near_miss).reduce((sum, r) => sum + r.count, 0),
      plan: {
        version: version?.version ?? null,
        approvedOn: version?.approved_on ?? null,
        nextReviewDue: version?.next_review_due ?? null,
        inForce: !!version && (version.next_review_due === null || version.next_review_due >= day),
      },
      drills: drills.map((d) => ({ ...d, attendanceRate: percent(d.present, d.invited) })),
    };
  }
}
