/**
 * `npm run bench`: figures for the foundation's hot paths, on a database of its own.
 * Prints one line per figure; compare runs on the same machine.
 */
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { AuditTrailService } from '../../src/audit-trail/audit-trail.service.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp } from '../support/test-app.js';

const CHANGES = 2_000;
const IMPORT_ROWS = 2_000;
const REQUESTS = 500;

function line(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(48)} ${value}\n`);
}

async function main(): Promise<void> {
  const t = await createTestApp();
  try {
    const org = await testOrganization(t);
    const uow = t.get(UnitOfWork);

    let start = performance.now();
    for (let i = 0; i < CHANGES; i++)
      await uow.run(systemActor(org, 'bench'), (tx) => tx.audit({ action: 'bench.change', entityType: 'bench', entityId: String(i), after: { i } }));
    let ms = performance.now() - start;
    line('audit-trail: changes committed, one at a time', `${(CHANGES / (ms / 1000)).toFixed(0)} /s (${(ms / CHANGES).toFixed(2)} ms each)`);

    start = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = 0; i < CHANGES / 8; i++)
            await uow.run(systemActor(org, 'bench'), (tx) => tx.audit({ action: 'bench.parallel', entityType: 'bench', entityId: `${w}-${i}` }));
        })(),
      ),
    );
    ms = performance.now() - start;
    line('audit-trail: changes committed, 8 concurrent writers', `${(CHANGES / (ms / 1000)).toFixed(0)} /s`);

    start = performance.now();
    const verified = await t.get(AuditTrailService).verify(org);
    ms = performance.now() - start;
    line('audit-trail: verify', `${(verified.checked / (ms / 1000)).toFixed(0)} rows/s (${verified.checked} rows, ok=${verified.ok})`);

    const department = await createDepartment(t, org, { code: 'BENCH' });
    const admin = await createPerson(t, org, { roles: ['admin'] });
    const token = (await signIn(t, admin)).accessToken;
    const header = 'employeeNumber,familyName,givenName,email,departmentCode,roles,status';
    const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => `B${i},山田,太郎${i},bench${i}@town.example,${department.code},staff,在職`);
    start = performance.now();
    const imported = await request(t.http)
      .post('/api/v1/staff/import')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', Buffer.from([header, ...rows].join('\n')), { filename: 'staff.csv', contentType: 'text/csv' });
    ms = performance.now() - start;
    line(`staff CSV import (${IMPORT_ROWS} new rows)`, `${ms.toFixed(0)} ms (status ${imported.status}, ${(IMPORT_ROWS / (ms / 1000)).toFixed(0)} rows/s)`);

    start = performance.now();
    for (let i = 0; i < REQUESTS; i++) await request(t.http).get('/api/v1/staff?pageSize=50').set('Authorization', `Bearer ${token}`);
    ms = performance.now() - start;
    line('GET /api/v1/staff?pageSize=50 (sequential)', `${(ms / REQUESTS).toFixed(2)} ms per request`);

    const person = await createPerson(t, org);
    start = performance.now();
    for (let i = 0; i < 20; i++) await request(t.http).post('/api/v1/auth/login').send({ email: person.email, password: person.password });
    ms = performance.now() - start;
    line('POST /api/v1/auth/login (argon2id verify)', `${(ms / 20).toFixed(1)} ms per sign-in`);

    // the CISO approves a policy version that every active member of staff must acknowledge
    await t.get(PoliciesSyncService).sync(systemActor(org, 'bench'));
    const ciso = await createPerson(t, org, { roles: ['ciso'] });
    const cisoActor = {
      staffId: ciso.staff.id,
      organizationId: org,
      roles: ciso.staff.roles,
      departmentId: null,
      clientAddress: null,
      sessionId: null,
      mfa: true,
      label: ciso.email,
    };
    const policy = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'basic-policy' });
    const activeStaff = await t.dataSource.getRepository(Staff).countBy({ organizationId: org, status: 'active' });
    start = performance.now();
    await t.get(PolicyVersionsService).approve(cisoActor, policy.id, 1, { requireAcknowledgement: true });
    ms = performance.now() - start;
    line(`policy approval with acknowledgement duties (${activeStaff} staff)`, `${ms.toFixed(0)} ms`);

    const rss = process.memoryUsage().rss / 1024 / 1024;
    line('resident memory after the run', `${rss.toFixed(0)} MiB`);
  } finally {
    await t.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
