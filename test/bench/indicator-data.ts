/**
 * The indicators' other sources for benchmarks (issue 13), beside the staff, enrolments and
 * incidents of bench-data.ts and incident-data.ts: for one organisation (its staff made first, its
 * policies, controls and response-plan scenarios synced through the app) and the fiscal years
 * asked, set-based: a targeted-mail drill a year with its results for a share of the staff, audits
 * and self-inspections, findings due through the year (most verified on time, some late, some
 * open), drills, a review a year of each policy (one in five late, one in five policies overdue in
 * the last year), the controls' status changes in the audit trail and filler rows around them (the
 * trail of a large organisation). Audit-trail rows carry dummy hashes: the organisation's chain
 * does not verify (a bench organisation only). A second run finds the year's mail drill and adds
 * nothing.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export interface BenchIndicatorSourceOptions {
  /** the first and last fiscal year */
  years: readonly [number, number];
  /** the share of the staff sent each year's targeted-mail drill (0–1) */
  mailDrillShare: number;
  auditsPerYear: number;
  findingsPerYear: number;
  drillsPerYear: number;
  /** audit-trail rows of other entities around the controls' (enrolments, staff, courses) */
  auditTrailRows: number;
}

export interface BenchIndicatorSourceResult {
  mailDrillResults: number;
  audits: number;
  findings: number;
  drills: number;
  policyReviews: number;
  controlChanges: number;
  auditTrailRows: number;
  ms: number;
}

/** A number in [0, 1) drawn from a uuid column and a seed (the same on every run). */
const draw = (column: string, seed: string): string => `((uuid_hash_extended(${column}, ${seed}) & 2147483647) / 2147483648.0)`;

export async function generateBenchIndicatorSources(
  databaseUrl: string,
  organizationId: string,
  options: BenchIndicatorSourceOptions,
): Promise<BenchIndicatorSourceResult> {
  const [from, to] = options.years;
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const empty: BenchIndicatorSourceResult = {
    mailDrillResults: 0,
    audits: 0,
    findings: 0,
    drills: 0,
    policyReviews: 0,
    controlChanges: 0,
    auditTrailRows: 0,
    ms: 0,
  };
  try {
    const { rows: done } = (await client.query(
      `SELECT count(*)::int AS n FROM courses WHERE organization_id = $1 AND kind = 'targeted_mail_drill' AND title LIKE 'ベンチ標的型メール訓練 %'`,
      [organizationId],
    )) as { rows: { n: number }[] };
    if (done[0]!.n > 0) return { ...empty, ms: performance.now() - started };
    await client.query('BEGIN');
    await client.query(`SET LOCAL work_mem = '64MB'`);
    const { rows: lead } = (await client.query(`SELECT id FROM staff WHERE organization_id = $1 AND status = 'active' ORDER BY employee_number LIMIT 1`, [
      organizationId,
    ])) as { rows: { id: string }[] };
    if (!lead[0]) throw new Error('the organisation has no staff: make them first (generateBenchData)');
    const leadId = lead[0].id;

    // a targeted-mail drill a year, sent to a share of the staff; reporting rises 10 points a year from 20%
    const mail = await client.query(
      `WITH c AS (
         INSERT INTO courses (organization_id, fiscal_year, kind, title, title_en, body, audience, opens_on, due_on, statement, statement_en,
                              status, published_at, closed_at, created_at, updated_at)
         SELECT $1, y, 'targeted_mail_drill', 'ベンチ標的型メール訓練 ' || y, 'Bench targeted-mail drill ' || y, '# 標的型メール訓練', '{"all": true}',
                make_date(y, 10, 1), make_date(y, 10, 31), '訓練に参加しました。', 'I took part in the drill.', 'closed',
                make_timestamptz(y, 10, 1, 9, 0, 0, 'Asia/Tokyo'), make_timestamptz(y + 1, 3, 31, 18, 0, 0, 'Asia/Tokyo'),
                make_timestamptz(y, 9, 15, 9, 0, 0, 'Asia/Tokyo'), make_timestamptz(y + 1, 3, 31, 18, 0, 0, 'Asia/Tokyo')
           FROM generate_series($2::int, $3::int) y
         RETURNING id, fiscal_year)
       INSERT INTO mail_drill_results (organization_id, course_id, staff_id, department_id, sent, opened, clicked, submitted_data, reported, created_at, updated_at)
       SELECT $1, c.id, s.id, s.department_id, true, r.h < 0.4, r.h < 0.12, r.h < 0.03, r.k < 0.2 + 0.1 * (c.fiscal_year - $2),
              make_timestamptz(c.fiscal_year, 11, 5, 10, 0, 0, 'Asia/Tokyo'), make_timestamptz(c.fiscal_year, 11, 5, 10, 0, 0, 'Asia/Tokyo')
         FROM c
         JOIN staff s ON s.organization_id = $1 AND s.status <> 'retired' AND ${draw('s.id', 'c.fiscal_year::bigint')} < $4::float8
        CROSS JOIN LATERAL (SELECT ${draw('s.id', 'c.fiscal_year::bigint + 7')} AS h, ${draw('s.id', 'c.fiscal_year::bigint + 13')} AS k) r
        ORDER BY c.id, s.id`,
      [organizationId, from, to, options.mailDrillShare],
    );

    // audits and self-inspections through the year: nine in ten reported, the rest still under way
    const audits = await client.query(
      `INSERT INTO audits (organization_id, reference, fiscal_year, kind, title, scope, lead_auditor_id, planned_start, planned_end, status,
                           started_at, reported_at, summary, created_at, updated_at)
       SELECT $1, 'BAUD-' || y || '-' || lpad(k::text, 4, '0'), y, (ARRAY['internal_audit', 'external_audit', 'self_inspection'])[1 + k % 3],
              'ベンチ監査 ' || y || '-' || k, '{}'::jsonb, $4, make_date(y, 5, 1) + (k * 37) % 300, make_date(y, 5, 1) + (k * 37) % 300 + 14,
              CASE WHEN k % 10 = 0 THEN 'in_progress' WHEN k % 3 = 0 THEN 'reporting' ELSE 'closed' END,
              (make_date(y, 5, 1) + (k * 37) % 300 + time '09:00') AT TIME ZONE 'Asia/Tokyo',
              CASE WHEN k % 10 <> 0 THEN (make_date(y, 5, 1) + (k * 37) % 300 + 20 + time '17:00') AT TIME ZONE 'Asia/Tokyo' END,
              '', make_timestamptz(y, 4, 10, 9, 0, 0, 'Asia/Tokyo'), make_timestamptz(y, 4, 10, 9, 0, 0, 'Asia/Tokyo')
         FROM generate_series($2::int, $3::int) y CROSS JOIN generate_series(1, $5::int) k`,
      [organizationId, from, to, leadId, options.auditsPerYear],
    );

    // findings due through the year: 70% verified by their due day, 15% verified late, 15% still open
    const findings = await client.query(
      `INSERT INTO findings (organization_id, reference, fiscal_year, source, title, description, severity, due_date, status, raised_by_id,
                             verified_at, created_at, updated_at)
       SELECT $1, 'BFND-' || y || '-' || lpad(k::text, 6, '0'), y, (ARRAY['audit', 'incident', 'drill', 'review', 'manual'])[1 + k % 5],
              'ベンチ指摘事項 ' || y || '-' || k, '', (ARRAY['low', 'medium', 'high'])[1 + k % 3], f.due,
              CASE WHEN k % 20 < 17 THEN 'verified' ELSE 'open' END, $4,
              CASE WHEN k % 20 < 14 THEN (f.due - 3 + time '15:00') AT TIME ZONE 'Asia/Tokyo'
                   WHEN k % 20 < 17 THEN (f.due + 12 + time '15:00') AT TIME ZONE 'Asia/Tokyo' END,
              (f.due - 60 + time '10:00') AT TIME ZONE 'Asia/Tokyo', (f.due - 60 + time '10:00') AT TIME ZONE 'Asia/Tokyo'
         FROM generate_series($2::int, $3::int) y CROSS JOIN generate_series(1, $5::int) k
        CROSS JOIN LATERAL (SELECT make_date(y, 4, 1) + (k * 7919) % 365 AS due) f`,
      [organizationId, from, to, leadId, options.findingsPerYear],
    );

    // drills of the plan's scenarios: completed, one in four of the last year's still scheduled
    const { rows: scenarios } = (await client.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 ORDER BY key`, [organizationId])) as {
      rows: { id: string }[];
    };
    const drills = scenarios.length
      ? await client.query(
          `INSERT INTO drills (organization_id, scenario_id, kind, title, starts_at, ends_at, facilitator_id, invitees, status, fiscal_year,
                               started_at, finished_at, created_at, updated_at)
           SELECT $1, ($5::uuid[])[1 + k % array_length($5::uuid[], 1)], (ARRAY['tabletop', 'functional', 'full_scale'])[1 + k % 3],
                  'ベンチ訓練 ' || y || '-' || k, d.starts, d.starts + interval '2 hours', $4, '{}'::jsonb, d.status, y,
                  CASE WHEN d.status = 'completed' THEN d.starts END, CASE WHEN d.status = 'completed' THEN d.starts + interval '2 hours' END,
                  d.starts - interval '30 days', d.starts
             FROM generate_series($2::int, $3::int) y CROSS JOIN generate_series(1, $6::int) k
            CROSS JOIN LATERAL (SELECT make_timestamptz(y, 6, 10, 13, 0, 0, 'Asia/Tokyo') + ((k * 23) % 270) * interval '1 day' AS starts,
                                       CASE WHEN y = $3 AND k % 4 = 0 THEN 'scheduled' ELSE 'completed' END AS status) d`,
          [organizationId, from, to, leadId, scenarios.map((s) => s.id), options.drillsPerYear],
        )
      : { rowCount: 0 };

    // a review a year of each policy, due 30 September: four in five on time; one policy in five overdue in the last year
    const reviews = await client.query(
      `INSERT INTO policy_reviews (organization_id, policy_id, outcome, notes, reviewed_by_id, reviewed_at, due_on, created_at, updated_at)
       SELECT $1, p.id, 'no_change', 'ベンチ見直し', $4, r.at, make_date(y, 9, 30), r.at, r.at
         FROM policies p CROSS JOIN generate_series($2::int, $3::int) y
        CROSS JOIN LATERAL (SELECT CASE WHEN ${draw('p.id', 'y::bigint')} < 0.8 THEN make_timestamptz(y, 9, 20, 10, 0, 0, 'Asia/Tokyo')
                                        ELSE make_timestamptz(y, 10, 20, 10, 0, 0, 'Asia/Tokyo') END AS at) r
        WHERE p.organization_id = $1 AND NOT (y = $3 AND ${draw('p.id', '0')} < 0.2)`,
      [organizationId, from, to, leadId],
    );
    await client.query(`UPDATE policies p SET next_review_due = make_date($2, 12, 31) WHERE p.organization_id = $1 AND ${draw('p.id', '0')} < 0.2`, [
      organizationId,
      to,
    ]);

    // the catalogue in force from the first year (the sync made it today)
    await client.query(
      `UPDATE controls SET created_at = make_timestamptz($2, 4, 1, 9, 0, 0, 'Asia/Tokyo') WHERE organization_id = $1 AND created_at > make_timestamptz($2, 4, 1, 9, 0, 0, 'Asia/Tokyo')`,
      [organizationId, from],
    );
    // the controls' status changes, one a year from the first: not implemented → partial → implemented (one in ten not applicable, one in eight stuck at partial)
    const controls = await client.query(
      `INSERT INTO audit_trail (id, organization_id, actor_id, actor_label, action, entity_type, entity_id, changes, occurred_at, previous_hash, hash)
       SELECT gen_random_uuid(), $1, $4, 'bench', 'control.update', 'control', c.id::text,
              jsonb_build_object('status', jsonb_build_object('before', s.from_status, 'after', s.to_status),
                                 '@context', jsonb_build_object('after', jsonb_build_object('statusFrom', s.from_status, 'statusTo', s.to_status))),
              make_timestamptz($2 + s.step, 6, 1 + (abs(hashtext(c.code)) % 28), 10, 0, 0, 'Asia/Tokyo'), repeat('0', 64), repeat('0', 64)
         FROM controls c
        CROSS JOIN LATERAL (SELECT ${draw('c.id', '0')} AS u) r
        CROSS JOIN LATERAL (VALUES (0, 'not_implemented', CASE WHEN r.u < 0.1 THEN 'not_applicable' ELSE 'partial' END),
                                   (1, 'partial', 'implemented')) AS s(step, from_status, to_status)
        WHERE c.organization_id = $1 AND (s.step = 0 OR (r.u >= 0.1 AND r.u < 0.875)) AND $2 + s.step <= $3
        ORDER BY 9`,
      [organizationId, from, to, leadId],
    );

    // the rest of a large organisation's trail: changes to enrolments, staff and courses over the years
    const filler = await client.query(
      `INSERT INTO audit_trail (id, organization_id, actor_id, actor_label, action, entity_type, entity_id, changes, occurred_at, previous_hash, hash)
       SELECT gen_random_uuid(), $1, $4, 'bench', t.entity || '.update', t.entity, md5(n::text)::uuid::text,
              '{"status": {"before": "open", "after": "done"}}'::jsonb,
              make_timestamptz($2, 4, 1, 9, 0, 0, 'Asia/Tokyo') + (n::float8 / $5) * ($3 - $2 + 1) * interval '365 days', repeat('0', 64), repeat('0', 64)
         FROM generate_series(1, $5::int) n
        CROSS JOIN LATERAL (SELECT (ARRAY['enrolment', 'enrolment', 'enrolment', 'staff', 'course', 'incident', 'finding'])[1 + n % 7] AS entity) t`,
      [organizationId, from, to, leadId, options.auditTrailRows],
    );
    await client.query('COMMIT');
    for (const table of ['courses', 'mail_drill_results', 'audits', 'findings', 'drills', 'policy_reviews', 'policies', 'controls', 'audit_trail'])
      await client.query(`VACUUM ANALYZE ${table}`);
    return {
      mailDrillResults: mail.rowCount ?? 0,
      audits: audits.rowCount ?? 0,
      findings: findings.rowCount ?? 0,
      drills: drills.rowCount ?? 0,
      policyReviews: reviews.rowCount ?? 0,
      controlChanges: controls.rowCount ?? 0,
      auditTrailRows: filler.rowCount ?? 0,
      ms: performance.now() - started,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
