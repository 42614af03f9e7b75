import { AuthService } from '../../src/auth/auth.service.js';
import { TotpService } from '../../src/auth/totp.service.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { EscalationPolicy } from '../../src/incidents/escalation-policy.entity.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { DEMO_INCIDENTS, DEMO_LIVE_INCIDENT } from '../../seeds/demo-incidents.data.js';
import { seedDemoIncidents } from '../../seeds/demo-incidents.seed.js';
import { seedDemoTown } from '../../seeds/demo-town.seed.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('demo seed: the town’s incidents and near misses, FY2019 to now', () => {
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
  });
  afterAll(() => t.close());

  const count = async (sql: string): Promise<number> => ((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, [org])) as { n: number }[])[0]!.n;

  it('without escalation policies: the history only, numbered per fiscal year in the order of reporting, each step on the timeline at its time', async () => {
    const seeded = await seedDemoIncidents(t.app, org);
    expect(seeded.underEscalation).toBeNull();
    expect(seeded.created.incidents + seeded.created.nearMisses).toBe(DEMO_INCIDENTS.length);
    expect(seeded.created).toMatchObject({ externalReports: 6, reviews: 4 });
    const years = (await t.dataSource.query(
      `SELECT fiscal_year, count(*)::int AS n, array_agg(reference ORDER BY reported_at) AS refs FROM incidents WHERE organization_id = $1 GROUP BY 1 ORDER BY 1`,
      [org],
    )) as { fiscal_year: number; n: number; refs: string[] }[];
    expect(years[0]!.fiscal_year).toBe(2019);
    for (const year of years) expect(year.refs).toEqual(Array.from({ length: year.n }, (_, i) => `INC-${year.fiscal_year}-${String(i + 1).padStart(4, '0')}`));
    // every state of the story on the timeline, in order, none after now; closed L2s have their review and sent reports
    expect(
      await count(
        `incidents i WHERE i.organization_id = $1 AND NOT EXISTS (SELECT 1 FROM incident_timeline e WHERE e.incident_id = i.id AND e.kind = 'reported' AND e.at = i.reported_at)`,
      ),
    ).toBe(0);
    expect(await count(`incident_timeline e WHERE e.organization_id = $1 AND e.at > now()`)).toBe(0);
    expect(
      await count(
        `incidents i WHERE i.organization_id = $1 AND i.status <> 'reported' AND i.status IS DISTINCT FROM
           (SELECT e.to_status FROM incident_timeline e WHERE e.incident_id = i.id AND e.kind = 'transition' ORDER BY e.at DESC LIMIT 1)`,
      ),
    ).toBe(0);
    expect(
      await count(
        `incidents i WHERE i.organization_id = $1 AND i.status = 'closed' AND i.severity IN ('L2', 'L3') AND NOT EXISTS (SELECT 1 FROM post_incident_reviews r WHERE r.incident_id = i.id)`,
      ),
    ).toBe(0);
    expect(await count(`external_reports WHERE organization_id = $1 AND sent_at > due_at`)).toBe(0);
    const [usb] = (await t.dataSource.query(
      `SELECT i.severity, i.status, (SELECT count(*)::int FROM external_reports r WHERE r.incident_id = i.id AND r.recipient = 'ppc') AS ppc
         FROM incidents i WHERE i.organization_id = $1 AND i.title LIKE 'USBメモリの紛失%'`,
      [org],
    )) as { severity: string; status: string; ppc: number }[];
    expect(usb).toEqual({ severity: 'L2', status: 'closed', ppc: 2 });
    // the demo staff account has reports of its own, one of them still open
    expect(
      await count(
        `incidents i JOIN staff s ON s.id = i.reporter_id WHERE i.organization_id = $1 AND s.email = 'staff@demo.mamori.example' AND i.status NOT IN ('closed', 'rejected')`,
      ),
    ).toBe(1);
  });

  it('with the town’s escalation policies: the open L2 climbs on the L2 policy, unacknowledged; a second run changes nothing', async () => {
    const levels = [{ recipients: { roles: ['csirt' as const] }, channels: ['in_app' as const, 'email' as const], timeoutMinutes: 15, repeat: 1 }];
    await t.dataSource.getRepository(EscalationPolicy).save([
      { organizationId: org, key: 'untriaged', name: '未判定', triggers: ['untriaged'], levels },
      { organizationId: org, key: 'serious', name: 'L2以上', triggers: ['L2', 'L3'], levels },
    ]);
    const seeded = await seedDemoIncidents(t.app, org);
    expect(seeded.created).toEqual({ incidents: 0, nearMisses: 0, timelineEntries: 0, externalReports: 0, reviews: 0 });
    expect(seeded.underEscalation).toMatch(/^INC-\d{4}-\d{4}$/);
    const climbs = (await t.dataSource.query(
      `SELECT i.status, i.severity, i.acknowledged_at, c.trigger, c.stopped_at, c.policy->>'key' AS policy
         FROM incidents i JOIN escalation_climbs c ON c.incident_id = i.id WHERE i.organization_id = $1 AND i.title = $2 ORDER BY c.started_at`,
      [org, DEMO_LIVE_INCIDENT.title],
    )) as { status: string; severity: string; acknowledged_at: Date | null; trigger: string; stopped_at: Date | null; policy: string }[];
    // the report's climb (untriaged) gave way to the L2 one at triage
    expect(climbs.map((c) => [c.trigger, c.policy, c.stopped_at === null ? 'running' : 'stopped'])).toEqual([
      ['untriaged', 'untriaged', 'stopped'],
      ['L2', 'serious', 'running'],
    ]);
    expect(climbs[1]).toMatchObject({ status: 'triaged', severity: 'L2', acknowledged_at: null });

    const before = [
      await count('incidents WHERE organization_id = $1'),
      await count('incident_timeline WHERE organization_id = $1'),
      await count('audit_trail WHERE organization_id = $1'),
      await count('escalation_climbs WHERE organization_id = $1'),
    ];
    const again = await seedDemoIncidents(t.app, org);
    expect(again).toEqual({ created: { incidents: 0, nearMisses: 0, timelineEntries: 0, externalReports: 0, reviews: 0 }, underEscalation: null });
    expect([
      await count('incidents WHERE organization_id = $1'),
      await count('incident_timeline WHERE organization_id = $1'),
      await count('audit_trail WHERE organization_id = $1'),
      await count('escalation_climbs WHERE organization_id = $1'),
    ]).toEqual(before);
  });
});
