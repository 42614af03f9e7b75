import { AuthService } from '../../src/auth/auth.service.js';
import { TotpService } from '../../src/auth/totp.service.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { DrillRunsService } from '../../src/response-plan/drill-runs.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { demoActor } from '../../seeds/demo-compliance.seed.js';
import { seedDemoDrills } from '../../seeds/demo-drills.seed.js';
import { seedDemoResponsePlan } from '../../seeds/demo-response-plan.seed.js';
import { seedDemoTown } from '../../seeds/demo-town.seed.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('demo seed: the response plan’s drills, FY2022 to now', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ organizationId: org } = await seedDemoTown({
      uow: t.get(UnitOfWork),
      organizations: t.get(OrganizationsService),
      totp: t.get(TotpService),
      auth: t.get(AuthService),
    }));
    await t.get(PoliciesSyncService).sync(systemActor(org, 'seed'));
    await t.get(ResponsePlanSync).sync(systemActor(org, 'seed'));
  });
  afterAll(() => t.close());

  const rows = async <R>(sql: string): Promise<R[]> => (await t.dataSource.query(sql, [org])) as R[];
  const count = async (sql: string): Promise<number> => (await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`))[0]!.n;

  it('FY2022’s first tabletop drill entered from paper: two steps late, 10 of 12 there, two findings of FY2022; FY2023’s all on time; this year’s scheduled; a second run changes nothing', async () => {
    const seeded = await seedDemoDrills(t.app, org, '2026-11-30');
    expect(seeded).toEqual({ created: { drills: 3, stepRecords: 28, events: 10, findings: 2, correctiveActions: 3 }, held: 2, scheduled: 1 });
    // the plan: approved in FY2021, revised from FY2022's drill (a proposal), reviewed in FY2025
    expect(await seedDemoResponsePlan(t.app, org)).toEqual({ approved: [1, 2, 3], inForce: 3 });
    const proposals = await rows<{ position: number; reason: string }>(`SELECT position, reason FROM drill_proposals WHERE organization_id = $1`);
    expect(proposals).toEqual([{ position: 4, reason: expect.stringContaining('13分遅れた') }]);

    const drills = await rows<{ id: string; fiscal_year: number; kind: string; status: string; recorded_on_paper: boolean; key: string; scheduled_on: string }>(
      `SELECT d.id, d.fiscal_year, d.kind, d.status, d.recorded_on_paper, sc.key, to_char(d.created_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS scheduled_on
         FROM drills d JOIN response_scenarios sc ON sc.id = d.scenario_id WHERE d.organization_id = $1 ORDER BY d.starts_at`,
    );
    expect(drills.map((d) => [d.fiscal_year, d.key, d.kind, d.status, d.recorded_on_paper, d.scheduled_on])).toEqual([
      [2022, 'ransomware', 'tabletop', 'completed', true, '2022-10-03'],
      [2023, 'ransomware', 'functional', 'completed', true, '2023-10-02'],
      [2026, 'core-system-outage', 'tabletop', 'scheduled', false, expect.any(String)],
    ]);

    const officer = await demoActor(t.app, org, 'security');
    const runs = t.get(DrillRunsService);
    const record = await runs.record(officer, drills[0]!.id);
    expect(record).toMatchObject({
      title: '令和4年度 情報セキュリティ緊急時対応 机上訓練（ランサムウェア感染）',
      drillStatus: 'completed',
      recordedOnPaper: true,
      facilitatorName: '高橋 美穂',
      durationMinutes: 125,
      stepSummary: { total: 14, done: 14, onTime: 12, late: 2, notDone: 0 },
      attendance: { invited: 12, present: 10, walkIns: 0, rate: 10 / 12 },
    });
    // exactly two late: the report to the mayor (target 45 min) and the check of the backup (target 90 min)
    expect(record.steps.filter((s) => s.late).map((s) => [s.position, s.targetMinutes, s.elapsedMinutes, s.minutesLate])).toEqual([
      [4, 45, 58, 13],
      [6, 90, 106, 16],
    ]);
    expect(record.steps.every((s) => s.doneAt !== null && s.late !== null)).toBe(true);
    expect(record.events.map((e) => e.kind)).toEqual(['inject', 'inject', 'problem', 'inject', 'problem', 'problem', 'inject']);
    expect(record.lessons.split('\n')).toHaveLength(5);
    expect(record.attendance.people.filter((p) => p.invited && !p.present).map((p) => p.departmentName)).toEqual(['福祉課', '企画課']);
    expect(record.findings.map((f) => [f.reference, f.severity, f.status])).toEqual([
      ['FND-2022-0001', 'medium', 'verified'],
      ['FND-2022-0002', 'high', 'verified'],
    ]);

    // the findings are of FY2022, from the drill, raised at the review and verified by FY2023; their actions done before they were verified
    const findings = await rows<{ fiscal_year: number; source: string; raised_on: string; verified_on: string; owner: string; controls: string[] }>(
      `SELECT f.fiscal_year, f.source, to_char(f.created_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS raised_on,
              to_char(f.verified_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS verified_on, d.code AS owner,
              array(SELECT c.code FROM controls c WHERE c.id = ANY(f.control_ids) ORDER BY c.code) AS controls
         FROM findings f JOIN departments d ON d.id = f.owner_department_id WHERE f.organization_id = $1 ORDER BY f.reference`,
    );
    expect(findings).toEqual([
      { fiscal_year: 2022, source: 'drill', raised_on: '2022-11-17', verified_on: '2023-01-11', owner: 'SOMU', controls: ['1-04'] },
      { fiscal_year: 2022, source: 'drill', raised_on: '2022-11-17', verified_on: '2023-07-05', owner: 'JOHO', controls: ['6-03'] },
    ]);
    expect(await count(`corrective_actions WHERE organization_id = $1 AND NOT (status = 'verified' AND created_at < done_at AND done_at < verified_at)`)).toBe(
      0,
    );
    // the record's rows bear the day it was entered from paper, not today
    expect(
      await count(
        `drill_step_records r JOIN drills d ON d.id = r.drill_id WHERE d.organization_id = $1 AND (r.created_at AT TIME ZONE 'Asia/Tokyo')::date <> (d.started_at AT TIME ZONE 'Asia/Tokyo')::date + 1`,
      ),
    ).toBe(0);

    // the year's figures, as the figures page shows them
    expect(await runs.figures(officer, 2022)).toEqual({
      fiscalYear: 2022,
      held: { tabletop: 1, functional: 0, full_scale: 0, total: 1 },
      planned: 0,
      cancelled: 0,
      invited: 12,
      present: 10,
      attendanceRate: 10 / 12,
      steps: { total: 14, done: 14, onTime: 12, late: 2, notDone: 0 },
      onTimeRate: 12 / 14,
      findings: 2,
      plan: { approved: true, version: 2, approvedAt: '2023-02-27T01:00:00.000Z', nextReviewDue: '2024-02-27', reviewedWithinInterval: true },
    });
    expect((await runs.figures(officer, 2021)).plan).toEqual({
      approved: true,
      version: 1,
      approvedAt: '2022-03-01T01:00:00.000Z',
      nextReviewDue: '2023-03-01',
      reviewedWithinInterval: true,
    });
    expect((await runs.figures(officer, 2023)).plan).toMatchObject({ version: 2, reviewedWithinInterval: false });
    expect(await runs.figures(officer, 2023)).toMatchObject({ held: { functional: 1, total: 1 }, steps: { total: 14, onTime: 14, late: 0 }, findings: 0 });
    expect(await runs.figures(officer, 2026)).toMatchObject({ held: { total: 0 }, planned: 1 });

    const tables = [
      'response_plan_versions',
      'drill_proposals',
      'drills',
      'drill_attendance',
      'drill_step_records',
      'drill_events',
      'findings',
      'corrective_actions',
      'audit_trail',
    ];
    const before = await Promise.all(tables.map((table) => count(`${table} WHERE organization_id = $1`)));
    const again = await seedDemoDrills(t.app, org, '2026-11-30');
    expect(await seedDemoResponsePlan(t.app, org)).toEqual({ approved: [], inForce: 3 });
    expect(again).toEqual({ created: { drills: 0, stepRecords: 0, events: 0, findings: 0, correctiveActions: 0 }, held: 2, scheduled: 1 });
    expect(await Promise.all(tables.map((table) => count(`${table} WHERE organization_id = $1`)))).toEqual(before);
  });
});
