/**
 * Incident volume for benchmarks: the incidents and near misses of several fiscal years for one
 * organisation (its staff made first with `generateBenchData`), written set-based: one statement
 * takes the numbers of every fiscal year from `reference_counters` (locked until commit, so the
 * references stay gapless beside real reports), one INSERT … SELECT writes the incidents with their
 * timeline (the report, and the move to where each stands now).
 *
 * `npm run bench:data -- --incidents 50000` (see bench-data.ts).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { fiscalYearOf } from '../../src/common/dates.js';
import { timeOrderedIdsSql } from '../../src/common/uuid.js';

export interface BenchIncidentOptions {
  /** how many incidents and near misses to add, over all the fiscal years */
  incidents: number;
  /** the first and last fiscal year (default FY2019 to the current one) */
  years?: readonly [number, number];
}

export interface BenchIncidentResult {
  incidents: number;
  /** how many each fiscal year got, and the first and last number given */
  byYear: { fiscalYear: number; incidents: number; first: number; last: number }[];
  ms: number;
}

/** Reports grow as the habit takes hold: each fiscal year's weight (the current one counts for the part of it gone by). */
const YEAR_WEIGHT = 1.12;

/** Titles by category, as staff write them; near misses have theirs. */
const TITLES: Record<string, readonly string[]> = {
  targeted_mail: ['不審なメールの添付ファイルを開いた', '取引先を装ったメールのURLをクリックした', '標的型メールの疑い'],
  mis_sent_mail: ['メールの誤送信（宛先間違い）', 'BCCにすべき宛先をTOで送信', 'FAXの誤送信'],
  lost_device: ['USBメモリの紛失', '公用スマートフォンの紛失', '書類の入ったかばんの置き忘れ'],
  malware: ['端末でウイルスを検知', 'ランサムウェアの疑い', '不審なプログラムの実行'],
  unauthorised_access: ['不正ログインの試行を検知', '退職者アカウントでのログイン', 'ファイアウォールで不審な通信を遮断'],
  information_leak: ['個人情報を含む書類の誤交付', 'ホームページへの個人情報の誤掲載', '窓口での個人情報の誤提供'],
  web_defacement: ['ホームページの改ざん'],
  denial_of_service: ['ホームページに接続できない（大量アクセス）'],
  system_failure: ['基幹系システムの障害', 'ファイルサーバーに接続できない', 'ネットワーク機器の故障'],
  insider: ['業務外の個人情報の閲覧'],
  other: ['施錠されていないキャビネット', 'パスワードを書いた付箋', 'その他'],
};
const NEAR_MISS_TITLES: Record<string, readonly string[]> = {
  targeted_mail: ['不審なメールを受信（開封せず）', '偽の宅配通知メール（開封せず）'],
  mis_sent_mail: ['宛先間違いに送信前に気付いた', '添付ファイルの間違いに送信前に気付いた'],
  lost_device: ['USBメモリを一時置き忘れ（すぐに回収）'],
  other: ['離席時に画面ロックを忘れていた', '印刷物の置き忘れ（すぐに回収）'],
};

/** Systems named in reports, with their network zone. */
const SYSTEMS: readonly [string, string][] = [
  ['住民記録システム', 'my_number'],
  ['税務システム', 'my_number'],
  ['LGWAN メール', 'lgwan'],
  ['財務会計システム', 'lgwan'],
  ['インターネット閲覧端末', 'internet'],
  ['ホームページ', 'internet'],
  ['グループウェア', 'cloud'],
];

/**
 * The category drawn from a number in [0, 1): what a town of this size sees (targeted mail and
 * mis-sent mail most, then lost devices and system failures).
 */
const CATEGORY_SHARES: readonly [string, number][] = [
  ['targeted_mail', 0.22],
  ['mis_sent_mail', 0.2],
  ['lost_device', 0.14],
  ['system_failure', 0.1],
  ['information_leak', 0.08],
  ['malware', 0.08],
  ['unauthorised_access', 0.06],
  ['denial_of_service', 0.02],
  ['insider', 0.02],
  ['web_defacement', 0.01],
  ['other', 0.07],
];

/** A CASE choosing among `shares` by the draw `u` (SQL text; the names are fixed strings of this file). */
function choose(u: string, shares: readonly [string, number][]): string {
  let sum = 0;
  const arms = shares.slice(0, -1).map(([name, share]) => {
    sum += share;
    return `WHEN ${u} < ${sum.toFixed(4)} THEN '${name}'`;
  });
  return `CASE ${arms.join(' ')} ELSE '${shares[shares.length - 1]![0]}' END`;
}

/** How many of `total` each fiscal year gets: weights growing by YEAR_WEIGHT, the current year by the share of it gone by. */
export function incidentsPerYear(total: number, from: number, to: number, now: Date = new Date()): Map<number, number> {
  const current = fiscalYearOf(now);
  const weights = new Map<number, number>();
  for (let year = from; year <= to; year++) {
    const start = Date.parse(`${year}-04-01T00:00:00+09:00`);
    const end = Date.parse(`${year + 1}-04-01T00:00:00+09:00`);
    const share = year < current ? 1 : year > current ? 0 : Math.max(0, Math.min(1, (now.getTime() - start) / (end - start)));
    weights.set(year, YEAR_WEIGHT ** (year - from) * share);
  }
  const sum = [...weights.values()].reduce((a, b) => a + b, 0);
  const counts = new Map<number, number>();
  let given = 0;
  for (const [year, weight] of weights) {
    const n = Math.floor((total * weight) / sum);
    counts.set(year, n);
    given += n;
  }
  // what rounding left goes to the last year with any weight
  const last = [...weights].filter(([, w]) => w > 0).pop()?.[0] ?? to;
  counts.set(last, counts.get(last)! + total - given);
  return counts;
}

/**
 * Adds `options.incidents` incidents and near misses to the organisation (its staff report them):
 * per fiscal year more than the year before; 40% near misses (L0); of the incidents L1 about 70%,
 * L2 22%, L3 3%, L0 5%; categories as {@link CATEGORY_SHARES}; references gapless per fiscal year in
 * the order of reporting, continuing the organisation's counters. Past years' incidents are closed
 * (8% rejected, a few still recovering); this year's recent ones are spread over the open states,
 * the last days' mostly untriaged. Each gets its timeline: the report, and the move to its state.
 */
export async function generateBenchIncidents(databaseUrl: string, organizationId: string, options: BenchIncidentOptions): Promise<BenchIncidentResult> {
  const now = new Date();
  const [from, to] = options.years ?? [2019, fiscalYearOf(now)];
  if (!Number.isInteger(options.incidents) || options.incidents < 0) throw new Error('incidents must be a whole number of at least 0');
  const perYear = [...incidentsPerYear(options.incidents, from, to, now)].filter(([, n]) => n > 0);
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // each year's numbers, taken at once: the counter rows stay locked until the commit
    const { rows: taken } = (await client.query(
      `INSERT INTO reference_counters (organization_id, series, fiscal_year, last)
       SELECT $1, 'INC', y.fy, y.n FROM unnest($2::int[], $3::int[]) AS y(fy, n)
       ON CONFLICT (organization_id, series, fiscal_year) DO UPDATE SET last = reference_counters.last + EXCLUDED.last
       RETURNING fiscal_year, last`,
      [organizationId, perYear.map(([fy]) => fy), perYear.map(([, n]) => n)],
    )) as { rows: { fiscal_year: number; last: number }[] };
    const byYear = perYear.map(([fiscalYear, incidents]) => {
      const last = taken.find((row) => row.fiscal_year === fiscalYear)!.last;
      return { fiscalYear, incidents, first: last - incidents + 1, last };
    });
    const { rows: staffCount } = (await client.query(`SELECT count(*)::int AS n FROM staff WHERE organization_id = $1 AND status = 'active'`, [
      organizationId,
    ])) as { rows: { n: number }[] };
    if (options.incidents > 0 && staffCount[0]!.n === 0)
      throw new Error('the organisation has no active staff to report incidents: make them first (generateBenchData)');

    const titleArms = (titles: Record<string, readonly string[]>, draw: string) =>
      `CASE d.category ${Object.entries(titles)
        .map(([category, list]) => `WHEN '${category}' THEN (ARRAY[${list.map((t) => `'${t}'`).join(', ')}])[1 + floor(${draw} * ${list.length})::int]`)
        .join(' ')} ELSE '${titles.other![0]}' END`;
    const params: unknown[] = [
      organizationId,
      byYear.map((y) => y.fiscalYear),
      byYear.map((y) => y.incidents),
      byYear.map((y) => y.first),
      now.toISOString(),
      SYSTEMS.map(([name]) => name),
      SYSTEMS.map(([, zone]) => zone),
    ];
    const id = timeOrderedIdsSql(params, 'row_number() OVER (ORDER BY d.reported_at)');
    const inserted = await client.query(
      `WITH people AS (
              SELECT s.id, s.department_id, row_number() OVER (ORDER BY s.employee_number) AS rn
                FROM staff s WHERE s.organization_id = $1 AND s.status = 'active'),
            headcount AS (SELECT count(*) AS total FROM people),
            responders AS (SELECT array_agg(p.id) AS ids FROM (SELECT id FROM people ORDER BY rn LIMIT 5) p),
            years AS (
              SELECT y.fy, y.n, y.first,
                     make_timestamptz(y.fy, 4, 1, 0, 0, 0, 'Asia/Tokyo') AS opens,
                     least(make_timestamptz(y.fy + 1, 4, 1, 0, 0, 0, 'Asia/Tokyo'), $5::timestamptz - interval '10 minutes') AS closes
                FROM unnest($2::int[], $3::int[], $4::int[]) AS y(fy, n, first)),
            draws AS (
              -- six numbers in [0, 1) per incident, from a hash of its year and place: the same on every run
              SELECT y.fy, y.first + k - 1 AS number, k, y.n, y.opens, y.closes,
                     (hashint8extended(y.fy * 1000000 + k, 1) & 2147483647)::float8 / 2147483648.0 AS u1,
                     (hashint8extended(y.fy * 1000000 + k, 2) & 2147483647)::float8 / 2147483648.0 AS u2,
                     (hashint8extended(y.fy * 1000000 + k, 3) & 2147483647)::float8 / 2147483648.0 AS u3,
                     (hashint8extended(y.fy * 1000000 + k, 4) & 2147483647)::float8 / 2147483648.0 AS u4,
                     (hashint8extended(y.fy * 1000000 + k, 5) & 2147483647)::float8 / 2147483648.0 AS u5,
                     (hashint8extended(y.fy * 1000000 + k, 6) & 2147483647)::float8 / 2147483648.0 AS u6
                FROM years y CROSS JOIN LATERAL generate_series(1, y.n) k),
            timed AS (
              -- reported in the order of the numbers, spread over the year; age in days now
              SELECT d.*, d.opens + (d.closes - d.opens) * ((d.k - 1 + d.u1) / d.n) AS reported_at
                FROM draws d),
            fated AS (
              SELECT t.*, extract(epoch FROM ($5::timestamptz - t.reported_at)) / 86400 AS age,
                     1 + floor(t.u6 * (SELECT total FROM headcount))::int AS reporter_rn,
                     t.u2 < 0.4 AS near_miss,
                     ${choose('t.u3', CATEGORY_SHARES)} AS category
                FROM timed t),
            d AS MATERIALIZED (
              SELECT f.*,
                     CASE WHEN f.near_miss THEN 'L0' ELSE ${choose('f.u4', [
                       ['L1', 0.7],
                       ['L2', 0.22],
                       ['L3', 0.03],
                       ['L0', 0.05],
                     ])} END AS assessed,
                     -- where it stands now: the last days' mostly untriaged, the recent ones open, the rest closed or rejected
                     CASE WHEN f.age < 3 THEN ${choose('f.u5', [
                       ['reported', 0.45],
                       ['triaged', 0.3],
                       ['contained', 0.15],
                       ['rejected', 0.05],
                       ['closed', 0.05],
                     ])}
                          WHEN f.age < 60 THEN ${choose('f.u5', [
                            ['triaged', 0.12],
                            ['contained', 0.15],
                            ['eradicated', 0.1],
                            ['recovered', 0.13],
                            ['reopened', 0.02],
                            ['rejected', 0.08],
                            ['closed', 0.4],
                          ])}
                          ELSE ${choose('f.u5', [
                            ['recovered', 0.015],
                            ['contained', 0.005],
                            ['rejected', 0.08],
                            ['closed', 0.9],
                          ])} END AS status,
                     p.id AS reporter_id, p.department_id
                FROM fated f
                JOIN people p ON p.rn = f.reporter_rn),
            inserted AS (
              INSERT INTO incidents (id, organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at,
                                     reporter_id, reporter_department_id, department_id, system, network_zone, near_miss, personal_data_suspected,
                                     my_number_suspected, affected_people, status, severity, category, affected_systems, personal_data, assignee_id,
                                     rejection_reason, acknowledged_at, acknowledged_by_id, triaged_at, contained_at, closed_at, version, created_at, updated_at)
              SELECT ${id}, $1, 'INC-' || d.fy || '-' || lpad(d.number::text, greatest(4, length(d.number::text)), '0'), d.fy, 'staff',
                     CASE WHEN d.near_miss AND d.category IN ('targeted_mail', 'mis_sent_mail', 'lost_device')
                          THEN ${titleArms(NEAR_MISS_TITLES, 'd.u1')} ELSE ${titleArms(TITLES, 'd.u1')} END,
                     'ベンチマーク用の報告です。発生した事象と対応の経過を記載します。',
                     d.reported_at - (d.u2 * 36) * interval '1 hour', d.reported_at, d.reported_at,
                     d.reporter_id, d.department_id, d.department_id,
                     ($6::text[])[1 + floor(d.u3 * 7)::int], ($7::text[])[1 + floor(d.u3 * 7)::int],
                     d.near_miss, pd.involved, pd.involved AND d.u4 < 0.1, pd.people,
                     d.status,
                     CASE WHEN d.status = 'reported' OR (d.status = 'rejected' AND d.u6 < 0.5) THEN NULL ELSE d.assessed END,
                     CASE WHEN d.status = 'reported' OR (d.status = 'rejected' AND d.u6 < 0.5) THEN NULL ELSE d.category END,
                     CASE WHEN d.status = 'reported' THEN '[]'::jsonb
                          ELSE jsonb_build_array(jsonb_build_object('name', ($6::text[])[1 + floor(d.u3 * 7)::int], 'zone', ($7::text[])[1 + floor(d.u3 * 7)::int])) END,
                     CASE WHEN d.status NOT IN ('reported', 'rejected') THEN jsonb_build_object('involved', pd.involved, 'affectedPeople', pd.people,
                          'sensitive', pd.involved AND d.u5 < 0.05, 'myNumber', pd.involved AND d.u4 < 0.1, 'financialHarm', false, 'unlawfulPurpose', false,
                          'ordinanceSensitive', false) END,
                     CASE WHEN d.status NOT IN ('reported', 'rejected') THEN (r.ids)[1 + floor(d.u5 * array_length(r.ids, 1))::int] END,
                     CASE WHEN d.status = 'rejected' THEN 'not_an_incident' END,
                     CASE WHEN NOT d.near_miss AND (d.status <> 'reported' OR d.u6 < 0.3) THEN tm.acknowledged END,
                     CASE WHEN NOT d.near_miss AND (d.status <> 'reported' OR d.u6 < 0.3) THEN (r.ids)[1] END,
                     CASE WHEN d.status NOT IN ('reported', 'rejected') THEN tm.triaged END,
                     CASE WHEN d.status IN ('contained', 'eradicated', 'recovered', 'closed', 'reopened') THEN tm.contained END,
                     CASE WHEN d.status IN ('closed', 'rejected') THEN tm.closed END,
                     CASE d.status WHEN 'reported' THEN 1 WHEN 'triaged' THEN 2 WHEN 'rejected' THEN 2 WHEN 'contained' THEN 3 WHEN 'eradicated' THEN 4
                                   WHEN 'recovered' THEN 5 WHEN 'closed' THEN 6 ELSE 7 END,
                     d.reported_at, greatest(d.reported_at, least($5::timestamptz, coalesce(tm.closed, tm.contained, tm.triaged, d.reported_at)))
                FROM d CROSS JOIN responders r
               CROSS JOIN LATERAL (
                 SELECT d.category IN ('mis_sent_mail', 'lost_device', 'information_leak', 'insider') AS involved,
                        CASE WHEN d.category IN ('mis_sent_mail', 'lost_device', 'information_leak', 'insider')
                             THEN 1 + floor(power(d.u4, 3) * 400)::int END AS people) pd
               CROSS JOIN LATERAL (
                 -- acknowledged within the hour, triaged the same day, contained in two days, closed within a month; none after now
                 SELECT least($5::timestamptz, d.reported_at + (5 + d.u2 * 55) * interval '1 minute') AS acknowledged,
                        least($5::timestamptz, d.reported_at + (1 + d.u3 * 7) * interval '1 hour') AS triaged,
                        least($5::timestamptz, d.reported_at + (8 + d.u4 * 40) * interval '1 hour') AS contained,
                        least($5::timestamptz, d.reported_at + (2 + d.u5 * 28) * interval '1 day') AS closed) tm
               ORDER BY d.reported_at
              RETURNING id, reported_at, status, reporter_id, triaged_at, contained_at, closed_at, reference, near_miss)
       INSERT INTO incident_timeline (organization_id, incident_id, at, kind, actor_id, actor_label, from_status, to_status, text, data, created_at)
       SELECT $1, i.id, e.at, e.kind, e.actor_id, 'bench-data', e.from_status, e.to_status, e.text, e.data, e.at
         FROM inserted i
        CROSS JOIN LATERAL (
          VALUES ('reported', i.reported_at, i.reporter_id, NULL, 'reported', NULL::text,
                  jsonb_build_object('reference', i.reference, 'source', 'staff', 'nearMiss', i.near_miss)),
                 ('transition', coalesce(i.closed_at, i.contained_at, i.triaged_at), NULL::uuid, 'reported', i.status, '対応の経過により更新', '{}'::jsonb)
        ) AS e(kind, at, actor_id, from_status, to_status, text, data)
        WHERE e.kind = 'reported' OR i.status <> 'reported'`,
      params,
    );
    const written = byYear.reduce((sum, y) => sum + y.incidents, 0);
    if (inserted.rowCount === null || inserted.rowCount < written) throw new Error(`wrote ${inserted.rowCount} timeline entries for ${written} incidents`);
    await client.query('COMMIT');
    return { incidents: written, byYear, ms: performance.now() - started };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
