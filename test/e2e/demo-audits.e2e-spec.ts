import { AuthService } from '../../src/auth/auth.service.js';
import { TotpService } from '../../src/auth/totp.service.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { DEMO_AUDITS } from '../../seeds/demo-audits.data.js';
import { seedDemoAudits } from '../../seeds/demo-audits.seed.js';
import { seedDemoTown } from '../../seeds/demo-town.seed.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('demo seed: the town’s audits and self-inspections, FY2019–FY2022', () => {
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
  });
  afterAll(() => t.close());

  const rows = async <R>(sql: string): Promise<R[]> => (await t.dataSource.query(sql, [org])) as R[];
  const count = async (sql: string): Promise<number> => (await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`))[0]!.n;

  it('an internal audit and a self-inspection a year, closed on their own days, findings of their year, a few carried over; a second run changes nothing', async () => {
    const seeded = await seedDemoAudits(t.app, org, '2026-11-30');
    const nonconformities = DEMO_AUDITS.flatMap((a) => a.nonconformities);
    expect(seeded.created).toMatchObject({
      audits: 8,
      findings: nonconformities.length,
      correctiveActions: nonconformities.flatMap((n) => n.actions).length,
      signOffs: 80,
    });
    expect(seeded.carriedOver).toBe(4);

    const audits = await rows<{ fiscal_year: number; kind: string; reference: string; status: string; items: number; answered: number; in_year: boolean }>(
      `SELECT a.fiscal_year, a.kind, a.reference, a.status,
              (SELECT count(*)::int FROM audit_checklist_items i WHERE i.audit_id = a.id) AS items,
              (SELECT count(*)::int FROM audit_checklist_items i WHERE i.audit_id = a.id AND i.answered_at BETWEEN a.started_at AND a.reported_at) AS answered,
              a.created_at < a.started_at AND a.started_at < a.reported_at AND a.reported_at < a.accepted_at
                AND (a.started_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN make_date(a.fiscal_year, 4, 1) AND make_date(a.fiscal_year + 1, 3, 31)
                AND (a.accepted_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN make_date(a.fiscal_year, 4, 1) AND make_date(a.fiscal_year + 1, 3, 31) AS in_year
         FROM audits a WHERE a.organization_id = $1 ORDER BY a.reference`,
    );
    expect(audits.map((a) => [a.reference, a.kind, a.status])).toEqual(
      [2019, 2020, 2021, 2022].flatMap((fy) => [
        [`AUD-${fy}-0001`, 'self_inspection', 'closed'],
        [`AUD-${fy}-0002`, 'internal_audit', 'closed'],
      ]),
    );
    // every item answered while the audit ran; a self-inspection: 52 essential controls × 20 departments
    for (const audit of audits) expect(audit).toMatchObject({ answered: audit.items, in_year: true });
    expect(audits.filter((a) => a.kind === 'self_inspection').map((a) => a.items)).toEqual([1040, 1040, 1040, 1040]);
    // no auditor of a department in scope
    expect(
      await count(
        `audits a JOIN staff s ON s.id = a.lead_auditor_id OR s.id = ANY(a.auditor_ids) WHERE a.organization_id = $1 AND a.kind = 'internal_audit' AND s.department_id = ANY(a.department_ids)`,
      ),
    ).toBe(0);

    // one finding per non-conformity, of the audit's fiscal year, numbered per year
    const findings = await rows<{ fiscal_year: number; n: number; open: number; refs: string[] }>(
      `SELECT f.fiscal_year, count(*)::int AS n, count(*) FILTER (WHERE f.status <> 'verified')::int AS open, array_agg(f.reference ORDER BY f.reference) AS refs
         FROM findings f JOIN audits a ON a.id = f.source_id
        WHERE f.organization_id = $1 AND f.source = 'audit' AND f.fiscal_year = a.fiscal_year
          AND (f.created_at AT TIME ZONE 'Asia/Tokyo')::date = (SELECT (i.answered_at AT TIME ZONE 'Asia/Tokyo')::date FROM audit_checklist_items i WHERE i.id = f.checklist_item_id)
        GROUP BY f.fiscal_year ORDER BY f.fiscal_year`,
    );
    expect(findings.map((f) => [f.fiscal_year, f.n, f.open])).toEqual([
      [2019, 7, 0],
      [2020, 8, 0],
      [2021, 7, 1],
      [2022, 9, 3],
    ]);
    for (const f of findings) expect(f.refs[0]).toBe(`FND-${f.fiscal_year}-0001`);
    expect(await count(`audit_checklist_items WHERE organization_id = $1 AND result IN ('minor_nonconformity', 'major_nonconformity')`)).toBe(31);
    // verified actions were done and checked; the carried-over ones are in every open state
    expect(await count(`corrective_actions WHERE organization_id = $1 AND status = 'verified' AND (done_at IS NULL OR verified_at <= done_at)`)).toBe(0);
    expect(
      (await rows<{ status: string }>(`SELECT status FROM findings WHERE organization_id = $1 AND status <> 'verified' ORDER BY status`)).map((f) => f.status),
    ).toEqual(['action_planned', 'done', 'in_progress', 'reopened']);
    // the audit trail holds every answer, the findings and the actions
    expect(await count(`audit_trail WHERE organization_id = $1 AND action = 'checklist_item.answer'`)).toBe(
      await count(`audit_checklist_items WHERE organization_id = $1`),
    );
    expect(await count(`audit_trail WHERE organization_id = $1 AND action = 'finding.raise'`)).toBe(31);

    const tables = ['audits', 'audit_checklist_items', 'audit_sign_offs', 'findings', 'corrective_actions', 'audit_trail'];
    const before = await Promise.all(tables.map((table) => count(`${table} WHERE organization_id = $1`)));
    const again = await seedDemoAudits(t.app, org, '2026-11-30');
    expect(again).toEqual({ created: { audits: 0, checklistItems: 0, findings: 0, correctiveActions: 0, signOffs: 0 }, carriedOver: 4 });
    expect(await Promise.all(tables.map((table) => count(`${table} WHERE organization_id = $1`)))).toEqual(before);
  });
});
