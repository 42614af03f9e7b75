import type { EntityManager } from 'typeorm';
import { AUDITS } from '../audits/audits.permissions.js';
import type { Permission } from '../common/permissions.js';
import { CONTROLS } from '../controls/controls.permissions.js';
import { FINDINGS } from '../findings/findings.permissions.js';
import { INCIDENTS } from '../incidents/incidents.permissions.js';
import { POLICIES } from '../policies/policies.permissions.js';
import { RESPONSE_PLAN } from '../response-plan/response-plan.permissions.js';
import { TRAINING } from '../training/training.permissions.js';
import { addDays } from '../common/calendar.js';
import type { Severity } from '../incidents/incident.entity.js';
import { nearMissSql } from '../incidents/incident-figures.service.js';
import { fiscalYearDays } from '../training/courses.service.js';
import { DEFAULT_FIGURE_KINDS } from '../training/training-figures.service.js';

/** What a computed indicator is computed for: one organisation's fiscal year, as the records stood at the end of a day. */
export interface ComputeContext {
  manager: EntityManager;
  organizationId: string;
  fiscalYear: number;
  /** the day asked (YYYY-MM-DD, Asia/Tokyo); the records as they stood at its end */
  asOf: string;
  /** the severities the "0 incidents" indicator counts (configuration) */
  countedSeverities: readonly Severity[];
}

/** A computed figure: its value, the counts it comes from, and where the year is heading. */
export interface ComputedFigure {
  /** null when there is nothing to count (no enrolment, no finding due …) */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /**
   * what the value becomes by the year's end if what is planned or pending now happens on time
   * (open enrolments not yet due are completed, scheduled drills are held …); the pace for
   * `on_track` / `at_risk`. Omitted when nothing pending can move it.
   */
  projected?: number | null;
  /** the parts, for the detail page (e.g. `{ exempt: 3, late: 2 }`) */
  details?: Record<string, number>;
}

/** One record a figure counts (or, for a rate, the ones that keep it below its target), for the detail page. */
export interface CountedRecord {
  id: string;
  /** reference or name */
  label: string;
  /** what it is (a title, a department, a course) */
  detail: string | null;
  /** the day that puts it in the year (due day, report day, drill day) */
  on: string | null;
  /** why it is listed: `counted`, `not_completed`, `late`, `overdue`, `held` … */
  state: string;
  /** the kind of record, for the link: `incident`, `enrolment`, `drill`, `audit`, `finding`, `policy`, `control`, `mail_drill` */
  kind: string;
  /** the record's own id for the link (an enrolment links to its person) */
  linkId: string | null;
}

export interface ComputedSource {
  /** who may see the records behind the figure (the owning module's own rule); others get the figure only */
  recordsReadBy: Permission<never>;
  /** one aggregate statement over the records */
  compute(ctx: ComputeContext): Promise<ComputedFigure>;
  /** the records behind the figure (at most `limit`): for a rate, those that keep it from its target; for the indicator's detail */
  records(ctx: ComputeContext, limit: number): Promise<CountedRecord[]>;
}

/** The first moment after a day in Asia/Tokyo. */
export function boundAfter(day: string): string {
  return new Date(`${addDays(day, 1)}T00:00:00+09:00`).toISOString();
}

/** The last day the year's figure can take in: the day asked, or the year's last day once it is over. */
export function yearDay(ctx: Pick<ComputeContext, 'fiscalYear' | 'asOf'>): string {
  const { last } = fiscalYearDays(ctx.fiscalYear);
  return ctx.asOf < last ? ctx.asOf : last;
}

/**
 * A percentage to 1 decimal, rounded half up, as a clerk checking in Excel would get it; but never
 * 100% while someone is missing, nor 0% once someone counts (the status is judged on the exact ratio).
 */
export function percent(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  const rounded = Math.round((numerator * 1000) / denominator) / 10;
  if (rounded >= 100 && numerator < denominator) return 99.9;
  if (rounded <= 0 && numerator > 0) return 0.1;
  return rounded;
}

const rows = async <T>(ctx: ComputeContext, sql: string, params: unknown[]): Promise<T[]> => (await ctx.manager.query(sql, params)) as T[];

// ---------------------------------------------------------------- III-2 training

/**
 * 研修の受講率: completed ÷ (enrolled − exempt) over the year's courses (targeted-mail drills left
 * out), each enrolment as it stood at the end of the day (completions after the year's end do not
 * count for it). The same counting as the completion figures (`TrainingFiguresService`).
 */
const trainingCompletion: ComputedSource = {
  recordsReadBy: TRAINING.read_figures as Permission<never>,
  async compute(ctx) {
    const bound = boundAfter(yearDay(ctx));
    const [row] = await rows<{ enrolled: number; exempt: number; completed: number; late: number; pending: number }>(
      ctx,
      `WITH counted AS (
         SELECT e.completed_at, e.completed_late, e.exempt_at, e.withdrawn_at, e.due_on
           FROM enrolments e
          WHERE e.organization_id = $1 AND e.fiscal_year = $2
            AND e.course_id = ANY(ARRAY(SELECT c.id FROM courses c WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND c.kind = ANY($4::text[])))
            AND e.enrolled_at < $3::timestamptz
            AND (e.withdrawn_at IS NULL OR e.withdrawn_at >= $3::timestamptz OR e.completed_at < $3::timestamptz))
       SELECT count(*)::int AS enrolled,
              count(*) FILTER (WHERE exempt_at < $3::timestamptz AND (completed_at IS NULL OR completed_at >= $3::timestamptz))::int AS exempt,
              count(*) FILTER (WHERE completed_at < $3::timestamptz)::int AS completed,
              count(*) FILTER (WHERE completed_at < $3::timestamptz AND completed_late)::int AS late,
              count(*) FILTER (WHERE (completed_at IS NULL OR completed_at >= $3::timestamptz) AND (exempt_at IS NULL OR exempt_at >= $3::timestamptz)
                                 AND due_on > $5::date)::int AS pending
         FROM counted`,
      [ctx.organizationId, ctx.fiscalYear, bound, [...DEFAULT_FIGURE_KINDS], yearDay(ctx)],
    );
    const owed = row!.enrolled - row!.exempt;
    return {
      value: percent(row!.completed, owed),
      numerator: row!.completed,
      denominator: owed,
      projected: percent(row!.completed + row!.pending, owed),
      details: { enrolled: row!.enrolled, exempt: row!.exempt, completed: row!.completed, late: row!.late, notYetDue: row!.pending },
    };
  },
  async records(ctx, limit) {
    const bound = boundAfter(yearDay(ctx));
    const found = await rows<{ id: string; staff_id: string; name: string; title: string; due_on: string; overdue: boolean }>(
      ctx,
      `SELECT e.id, e.staff_id, s.family_name || ' ' || s.given_name AS name, d.name || ' / ' || c.title AS title, e.due_on::text AS due_on,
              e.due_on <= $5::date AS overdue
         FROM enrolments e
         JOIN courses c ON c.id = e.course_id
         JOIN staff s ON s.id = e.staff_id AND s.organization_id = $1
         LEFT JOIN departments d ON d.id = e.department_id AND d.organization_id = $1
        WHERE e.organization_id = $1 AND e.fiscal_year = $2 AND c.organization_id = $1 AND c.fiscal_year = $2 AND c.kind = ANY($4::text[])
          AND e.enrolled_at < $3::timestamptz
          AND (e.withdrawn_at IS NULL OR e.withdrawn_at >= $3::timestamptz)
          AND (e.completed_at IS NULL OR e.completed_at >= $3::timestamptz)
          AND (e.exempt_at IS NULL OR e.exempt_at >= $3::timestamptz)
          -- the three conditions above once more, as ix_enrolments_open_until reads them (the year's open enrolments, not all of them)
          AND coalesce(least(e.completed_at, e.exempt_at, e.withdrawn_at), 'infinity'::timestamptz) >= $3::timestamptz
        ORDER BY e.due_on, d.code NULLS LAST, s.employee_number
        LIMIT $6`,
      [ctx.organizationId, ctx.fiscalYear, bound, [...DEFAULT_FIGURE_KINDS], yearDay(ctx), limit],
    );
    return found.map((r) => ({
      id: r.id,
      label: r.name,
      detail: r.title,
      on: r.due_on,
      state: r.overdue ? 'overdue' : 'not_completed',
      kind: 'enrolment',
      linkId: r.staff_id,
    }));
  },
};

/**
 * 標的型メール訓練の報告率: of the staff sent the year's targeted-mail drill messages, those who
 * reported them (the mail-drill figures' total).
 */
const targetedMailReportRate: ComputedSource = {
  recordsReadBy: TRAINING.read_figures as Permission<never>,
  async compute(ctx) {
    const [row] = await rows<{ recipients: number; reported: number; clicked: number }>(
      ctx,
      `SELECT count(*) FILTER (WHERE m.sent)::int AS recipients, count(*) FILTER (WHERE m.sent AND m.reported)::int AS reported,
              count(*) FILTER (WHERE m.sent AND m.clicked)::int AS clicked
         FROM mail_drill_results m JOIN courses c ON c.id = m.course_id
        WHERE m.organization_id = $1 AND c.organization_id = $1 AND c.kind = 'targeted_mail_drill' AND c.fiscal_year = $2
          AND m.created_at < $3::timestamptz`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf)],
    );
    return {
      value: percent(row!.reported, row!.recipients),
      numerator: row!.reported,
      denominator: row!.recipients,
      details: { recipients: row!.recipients, reported: row!.reported, clicked: row!.clicked },
    };
  },
  async records(ctx, limit) {
    const found = await rows<{ id: string; title: string; due_on: string; recipients: number; reported: number }>(
      ctx,
      `SELECT c.id, c.title, c.due_on::text AS due_on, count(*) FILTER (WHERE m.sent)::int AS recipients, count(*) FILTER (WHERE m.sent AND m.reported)::int AS reported
         FROM courses c JOIN mail_drill_results m ON m.course_id = c.id AND m.organization_id = $1
        WHERE c.organization_id = $1 AND c.kind = 'targeted_mail_drill' AND c.fiscal_year = $2 AND m.created_at < $3::timestamptz
        GROUP BY c.id ORDER BY c.due_on LIMIT $4`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf), limit],
    );
    return found.map((r) => ({
      id: r.id,
      label: r.title,
      detail: `${r.reported}/${r.recipients}`,
      on: r.due_on,
      state: 'counted',
      kind: 'mail_drill',
      linkId: r.id,
    }));
  },
};

// ---------------------------------------------------------------- III-3, III-4 incidents

/** The incidents of the year reported by the end of the day, not rejected; `counted` those the indicator counts. */
function incidentRows(
  ctx: ComputeContext,
  nearMisses: boolean,
  limit: number | null,
): Promise<{ id: string; reference: string; title: string; reported_on: string; severity: string | null }[]> {
  return rows(
    ctx,
    `SELECT i.id, i.reference, i.title, (i.reported_at AT TIME ZONE 'Asia/Tokyo')::date::text AS reported_on, i.severity
       FROM incidents i
      WHERE i.organization_id = $1 AND i.fiscal_year = $2 AND i.reported_at < $3::timestamptz AND i.status <> 'rejected'
        AND ${nearMisses ? nearMissSql('i') : `NOT ${nearMissSql('i')} AND i.severity = ANY($4::varchar[])`}
      ORDER BY i.reported_at, i.reference
      LIMIT $${nearMisses ? 4 : 5}`,
    nearMisses
      ? [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf), limit]
      : [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf), [...ctx.countedSeverities], limit],
  );
}

/**
 * インシデントの件数: incidents of the year (by the day they were reported, Asia/Tokyo) at the
 * counted severities, not rejected; near misses (L0, or ticked and not yet triaged) never count.
 * Reported by the end of the day asked.
 */
const securityIncidents: ComputedSource = {
  recordsReadBy: INCIDENTS.read_all as Permission<never>,
  async compute(ctx) {
    const [row] = await rows<{ counted: number; unassessed: number }>(
      ctx,
      `SELECT count(*) FILTER (WHERE i.severity = ANY($4::varchar[]))::int AS counted,
              count(*) FILTER (WHERE i.severity IS NULL)::int AS unassessed
         FROM incidents i
        WHERE i.organization_id = $1 AND i.fiscal_year = $2 AND i.reported_at < $3::timestamptz AND i.status <> 'rejected' AND NOT ${nearMissSql('i')}`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf), [...ctx.countedSeverities]],
    );
    return { value: row!.counted, numerator: row!.counted, denominator: null, details: { counted: row!.counted, awaitingTriage: row!.unassessed } };
  },
  async records(ctx, limit) {
    return (await incidentRows(ctx, false, limit)).map((r) => ({
      id: r.id,
      label: r.reference,
      detail: `${r.severity ?? ''} ${r.title}`.trim(),
      on: r.reported_on,
      state: 'counted',
      kind: 'incident',
      linkId: r.id,
    }));
  },
};

/** ヒヤリハットの件数: near misses of the year, not rejected (for information; no target). */
const nearMisses: ComputedSource = {
  recordsReadBy: INCIDENTS.read_all as Permission<never>,
  async compute(ctx) {
    const [row] = await rows<{ n: number }>(
      ctx,
      `SELECT count(*)::int AS n FROM incidents i
        WHERE i.organization_id = $1 AND i.fiscal_year = $2 AND i.reported_at < $3::timestamptz AND i.status <> 'rejected' AND ${nearMissSql('i')}`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf)],
    );
    return { value: row!.n, numerator: row!.n, denominator: null };
  },
  async records(ctx, limit) {
    return (await incidentRows(ctx, true, limit)).map((r) => ({
      id: r.id,
      label: r.reference,
      detail: r.title,
      on: r.reported_on,
      state: 'counted',
      kind: 'incident',
      linkId: r.id,
    }));
  },
};

// ---------------------------------------------------------------- III-3 audits and findings

/** 監査・自己点検の実施件数: the year's audits reported (every item answered) by the end of the day; planned and running ones are the pace. */
const auditsHeld: ComputedSource = {
  recordsReadBy: AUDITS.read_trend as Permission<never>,
  async compute(ctx) {
    const [row] = await rows<{ held: number; pending: number }>(
      ctx,
      `SELECT count(*) FILTER (WHERE a.status IN ('reporting', 'closed') AND a.reported_at < $3::timestamptz)::int AS held,
              count(*) FILTER (WHERE NOT (a.status IN ('reporting', 'closed') AND a.reported_at < $3::timestamptz) AND a.created_at < $3::timestamptz)::int AS pending
         FROM audits a WHERE a.organization_id = $1 AND a.fiscal_year = $2`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf)],
    );
    return {
      value: row!.held,
      numerator: row!.held,
      denominator: null,
      projected: row!.held + row!.pending,
      details: { held: row!.held, planned: row!.pending },
    };
  },
  async records(ctx, limit) {
    const found = await rows<{ id: string; title: string; kind: string; planned_start: string; held: boolean }>(
      ctx,
      `SELECT a.id, a.title, a.kind, a.planned_start::text AS planned_start, (a.status IN ('reporting', 'closed') AND a.reported_at < $3::timestamptz) AS held
         FROM audits a WHERE a.organization_id = $1 AND a.fiscal_year = $2 AND a.created_at < $3::timestamptz
        ORDER BY a.planned_start, a.title LIMIT $4`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf), limit],
    );
    return found.map((r) => ({
      id: r.id,
      label: r.title,
      detail: r.kind,
      on: r.planned_start,
      state: r.held ? 'held' : 'planned',
      kind: 'audit',
      linkId: r.id,
    }));
  },
};

/**
 * The findings due in the year (between `$2` and `$3`) raised by the end of the day (`$4` the bound):
 * `closed_on` the day (Asia/Tokyo) the correction was done (its last corrective action done, else
 * the verification) when the finding is verified by then, else null.
 */
const findingsDueSql = `
  SELECT f.id, f.reference, f.title, f.due_date,
         CASE WHEN f.verified_at < $4::timestamptz
              THEN (coalesce(x.done_at, f.verified_at) AT TIME ZONE 'Asia/Tokyo')::date END AS closed_on
    FROM findings f
    LEFT JOIN LATERAL (SELECT max(c.done_at) AS done_at FROM corrective_actions c WHERE c.organization_id = $1 AND c.finding_id = f.id AND c.done_at < $4::timestamptz) x ON true
   WHERE f.organization_id = $1 AND f.due_date BETWEEN $2::date AND $3::date AND f.created_at < $4::timestamptz`;

/**
 * 指摘事項の期限内是正率: of the findings (from audits, drills, incidents, reviews) due in the year up
 * to the day asked, those corrected by their due day (Asia/Tokyo: the last corrective action done by
 * then) and verified. Findings due later in the year and not yet late are the pace: if they are all
 * corrected on time, the year ends at `projected`.
 */
const findingsClosedOnTime: ComputedSource = {
  recordsReadBy: FINDINGS.read as Permission<never>,
  async compute(ctx) {
    const { first, last } = fiscalYearDays(ctx.fiscalYear);
    const day = yearDay(ctx);
    const [row] = await rows<{ due: number; on_time: number; open: number; later: number }>(
      ctx,
      `WITH found AS (${findingsDueSql})
       SELECT count(*) FILTER (WHERE due_date <= $5::date)::int AS due,
              count(*) FILTER (WHERE due_date <= $5::date AND closed_on <= due_date)::int AS on_time,
              count(*) FILTER (WHERE due_date <= $5::date AND closed_on IS NULL)::int AS open,
              count(*) FILTER (WHERE due_date > $5::date AND (closed_on IS NULL OR closed_on <= due_date))::int AS later
         FROM found`,
      [ctx.organizationId, first, last, boundAfter(ctx.asOf), day],
    );
    return {
      value: percent(row!.on_time, row!.due),
      numerator: row!.on_time,
      denominator: row!.due,
      projected: percent(row!.on_time + row!.later, row!.due + row!.later),
      details: { due: row!.due, onTime: row!.on_time, late: row!.due - row!.on_time - row!.open, notClosed: row!.open, dueLater: row!.later },
    };
  },
  async records(ctx, limit) {
    const { first } = fiscalYearDays(ctx.fiscalYear);
    const found = await rows<{ id: string; reference: string; title: string; due_date: string; state: string }>(
      ctx,
      `WITH found AS (${findingsDueSql})
       SELECT id, reference, title, due_date::text AS due_date,
              CASE WHEN closed_on IS NULL THEN 'overdue' ELSE 'late' END AS state
         FROM found
        WHERE closed_on IS NULL OR closed_on > due_date
        ORDER BY due_date, reference LIMIT $5`,
      [ctx.organizationId, first, yearDay(ctx), boundAfter(ctx.asOf), limit],
    );
    return found.map((r) => ({ id: r.id, label: r.reference, detail: r.title, on: r.due_date, state: r.state, kind: 'finding', linkId: r.id }));
  },
};

// ---------------------------------------------------------------- III-4 policy reviews

/**
 * ポリシーの期限内見直し率: reviews due in the year up to the day asked (a review recorded against its
 * due day, or a policy whose review fell due and is still not done), those done by their due day.
 * Reviews due later in the year are the pace.
 */
const policyReviewsOnTime: ComputedSource = {
  recordsReadBy: POLICIES.read_reviews as Permission<never>,
  async compute(ctx) {
    const { first, last } = fiscalYearDays(ctx.fiscalYear);
    const day = yearDay(ctx);
    const bound = boundAfter(ctx.asOf);
    const [row] = await rows<{ done: number; on_time: number; overdue: number; later: number }>(
      ctx,
      `WITH reviews AS (
         SELECT r.due_on, (r.reviewed_at AT TIME ZONE 'Asia/Tokyo')::date <= r.due_on AS on_time
           FROM policy_reviews r
          WHERE r.organization_id = $1 AND r.due_on BETWEEN $2::date AND $3::date AND r.reviewed_at < $5::timestamptz),
       waiting AS (
         SELECT p.next_review_due AS due_on FROM policies p
          WHERE p.organization_id = $1 AND p.next_review_due BETWEEN $2::date AND $3::date
            AND NOT EXISTS (SELECT 1 FROM policy_reviews r WHERE r.organization_id = $1 AND r.policy_id = p.id AND r.due_on = p.next_review_due AND r.reviewed_at < $5::timestamptz))
       SELECT (SELECT count(*) FROM reviews WHERE due_on <= $4::date)::int AS done,
              (SELECT count(*) FROM reviews WHERE due_on <= $4::date AND on_time)::int AS on_time,
              (SELECT count(*) FROM waiting WHERE due_on <= $4::date)::int AS overdue,
              ((SELECT count(*) FROM waiting WHERE due_on > $4::date) + (SELECT count(*) FROM reviews WHERE due_on > $4::date AND on_time))::int AS later`,
      [ctx.organizationId, first, last, day, bound],
    );
    const due = row!.done + row!.overdue;
    return {
      value: percent(row!.on_time, due),
      numerator: row!.on_time,
      denominator: due,
      projected: percent(row!.on_time + row!.later, due + row!.later),
      details: { due, onTime: row!.on_time, late: row!.done - row!.on_time, overdue: row!.overdue, dueLater: row!.later },
    };
  },
  async records(ctx, limit) {
    const { first } = fiscalYearDays(ctx.fiscalYear);
    const bound = boundAfter(ctx.asOf);
    const found = await rows<{ id: string; title: string; due_on: string; state: string }>(
      ctx,
      `SELECT * FROM (
         SELECT p.id, p.title, r.due_on::text AS due_on,
                CASE WHEN (r.reviewed_at AT TIME ZONE 'Asia/Tokyo')::date <= r.due_on THEN 'on_time' ELSE 'late' END AS state
           FROM policy_reviews r JOIN policies p ON p.id = r.policy_id AND p.organization_id = $1
          WHERE r.organization_id = $1 AND r.due_on BETWEEN $2::date AND $3::date AND r.reviewed_at < $4::timestamptz
         UNION ALL
         SELECT p.id, p.title, p.next_review_due::text, 'overdue'
           FROM policies p
          WHERE p.organization_id = $1 AND p.next_review_due BETWEEN $2::date AND $3::date
            AND NOT EXISTS (SELECT 1 FROM policy_reviews r WHERE r.organization_id = $1 AND r.policy_id = p.id AND r.due_on = p.next_review_due AND r.reviewed_at < $4::timestamptz)) x
        ORDER BY due_on, title LIMIT $5`,
      [ctx.organizationId, first, yearDay(ctx), bound, limit],
    );
    return found.map((r) => ({ id: `${r.id}:${r.due_on}`, label: r.title, detail: null, on: r.due_on, state: r.state, kind: 'policy', linkId: r.id }));
  },
};

// ---------------------------------------------------------------- III-1 controls

/**
 * The controls as they stood at the end of a day: each control made before then and not retired by
 * then, with the status of its last status change by then (the `status` change of the audit trail's
 * `control.update` rows; before any, the catalogue's `not_implemented`).
 */
export const controlsAtSql = `
  SELECT c.id, c.code, c.title, c.essential,
         coalesce((SELECT a.changes->'status'->>'after' FROM audit_trail a
                    WHERE a.organization_id = $1 AND a.entity_type = 'control' AND a.entity_id = c.id::text
                      AND a.action = 'control.update' AND a.changes ? 'status' AND a.occurred_at < $2::timestamptz
                    ORDER BY a.seq DESC LIMIT 1), 'not_implemented') AS status
    FROM controls c
   WHERE c.organization_id = $1 AND c.created_at < $2::timestamptz AND (c.retired_at IS NULL OR c.retired_at >= $2::timestamptz)`;

/** 管理策の実施率: implemented ÷ (controls − not applicable), at the end of the year (or the day asked). */
const controlsImplemented: ComputedSource = {
  recordsReadBy: CONTROLS.read as Permission<never>,
  async compute(ctx) {
    const [row] = await rows<{ total: number; applicable: number; implemented: number; partial: number }>(
      ctx,
      `WITH at AS (${controlsAtSql})
       SELECT count(*)::int AS total, count(*) FILTER (WHERE status <> 'not_applicable')::int AS applicable,
              count(*) FILTER (WHERE status = 'implemented')::int AS implemented, count(*) FILTER (WHERE status = 'partial')::int AS partial
         FROM at`,
      [ctx.organizationId, boundAfter(yearDay(ctx))],
    );
    return {
      value: percent(row!.implemented, row!.applicable),
      numerator: row!.implemented,
      denominator: row!.applicable,
      details: { controls: row!.total, applicable: row!.applicable, implemented: row!.implemented, partial: row!.partial },
    };
  },
  async records(ctx, limit) {
    const found = await rows<{ id: string; code: string; title: string; status: string }>(
      ctx,
      `WITH at AS (${controlsAtSql}) SELECT id, code, title, status FROM at WHERE status NOT IN ('implemented', 'not_applicable') ORDER BY code LIMIT $3`,
      [ctx.organizationId, boundAfter(yearDay(ctx)), limit],
    );
    return found.map((r) => ({ id: r.id, label: r.code, detail: r.title, on: null, state: r.status, kind: 'control', linkId: r.id }));
  },
};

// ---------------------------------------------------------------- III-5 plan and drills

/** 緊急時対応計画の承認: 1 when, at the end of the year (or the day asked), an approved version is in force and within its review interval. */
const responsePlanApproved: ComputedSource = {
  recordsReadBy: RESPONSE_PLAN.read as Permission<never>,
  async compute(ctx) {
    const day = yearDay(ctx);
    const [row] = await rows<{ version: number | null; next_review_due: string | null; draft: boolean }>(
      ctx,
      `SELECT (SELECT v.version FROM response_plan_versions v
                WHERE v.organization_id = $1 AND v.approved_at < $2::timestamptz ORDER BY v.version DESC LIMIT 1) AS version,
              (SELECT v.next_review_due::text FROM response_plan_versions v
                WHERE v.organization_id = $1 AND v.approved_at < $2::timestamptz ORDER BY v.version DESC LIMIT 1) AS next_review_due,
              EXISTS (SELECT 1 FROM response_plan_versions v WHERE v.organization_id = $1 AND v.status = 'draft' AND v.created_at < $2::timestamptz) AS draft`,
      [ctx.organizationId, boundAfter(day)],
    );
    const inForce = row!.version !== null && (row!.next_review_due === null || row!.next_review_due >= day);
    return {
      value: inForce ? 1 : 0,
      numerator: null,
      denominator: null,
      projected: inForce || row!.draft ? 1 : 0,
      details: { version: row!.version ?? 0, draftWaiting: row!.draft ? 1 : 0 },
    };
  },
  async records(ctx, limit) {
    const found = await rows<{ id: string; version: number; status: string; approved_on: string | null }>(
      ctx,
      `SELECT v.id, v.version, v.status, (v.approved_at AT TIME ZONE 'Asia/Tokyo')::date::text AS approved_on
         FROM response_plan_versions v
        WHERE v.organization_id = $1 AND v.created_at < $2::timestamptz
        ORDER BY v.version DESC LIMIT $3`,
      [ctx.organizationId, boundAfter(yearDay(ctx)), limit],
    );
    return found.map((r) => ({
      id: r.id,
      label: String(r.version),
      detail: null,
      on: r.approved_on,
      state: r.approved_on ? 'approved' : 'draft',
      kind: 'plan_version',
      linkId: String(r.version),
    }));
  },
};

/** 訓練の実施回数: the year's drills finished by the end of the day; those scheduled or running are the pace. */
const drillsHeld: ComputedSource = {
  recordsReadBy: RESPONSE_PLAN.read_drill_figures as Permission<never>,
  async compute(ctx) {
    const [row] = await rows<{ held: number; pending: number }>(
      ctx,
      `SELECT count(*) FILTER (WHERE d.status = 'completed' AND d.finished_at < $3::timestamptz)::int AS held,
              count(*) FILTER (WHERE d.status IN ('scheduled', 'running') AND d.created_at < $3::timestamptz)::int AS pending
         FROM drills d WHERE d.organization_id = $1 AND d.fiscal_year = $2`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf)],
    );
    return {
      value: row!.held,
      numerator: row!.held,
      denominator: null,
      projected: row!.held + row!.pending,
      details: { held: row!.held, scheduled: row!.pending },
    };
  },
  async records(ctx, limit) {
    const found = await rows<{ id: string; title: string; kind: string; starts_on: string; held: boolean; status: string }>(
      ctx,
      `SELECT d.id, d.title, d.kind, (d.starts_at AT TIME ZONE 'Asia/Tokyo')::date::text AS starts_on, d.status,
              (d.status = 'completed' AND d.finished_at < $3::timestamptz) AS held
         FROM drills d WHERE d.organization_id = $1 AND d.fiscal_year = $2 AND d.created_at < $3::timestamptz
        ORDER BY d.starts_at LIMIT $4`,
      [ctx.organizationId, ctx.fiscalYear, boundAfter(ctx.asOf), limit],
    );
    return found.map((r) => ({ id: r.id, label: r.title, detail: r.kind, on: r.starts_on, state: r.held ? 'held' : r.status, kind: 'drill', linkId: r.id }));
  },
};

/** The computed indicators by name (`computed:<name>` in `policies/indicators.yaml`). */
export const COMPUTED_SOURCES: Readonly<Record<string, ComputedSource>> = {
  training_completion: trainingCompletion,
  targeted_mail_report_rate: targetedMailReportRate,
  security_incidents: securityIncidents,
  near_misses: nearMisses,
  audits_held: auditsHeld,
  audit_findings_closed_on_time: findingsClosedOnTime,
  policy_reviews_on_time: policyReviewsOnTime,
  controls_implemented: controlsImplemented,
  response_plan_approved: responsePlanApproved,
  drills_held: drillsHeld,
};
