/**
 * The demo town's compliance state, made through the same services a person would use: the policy
 * texts and control catalogue from `policies/`, the CISO's approval of the policies (the basic policy
 * asks every member of staff to acknowledge it), and implementation statuses for the controls.
 * Idempotent: an approved policy, or a control that was ever checked, is left alone.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Actor } from '../src/common/actor.js';
import { systemActor } from '../src/common/actor.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { Control, type ControlStatus } from '../src/controls/control.entity.js';
import { ControlsService } from '../src/controls/controls.service.js';
import { EscalationPoliciesSync } from '../src/incidents/escalation-policies.sync.js';
import { PoliciesSyncService, type SyncResult } from '../src/policies/policies-sync.service.js';
import { PolicyVersion } from '../src/policies/policy-version.entity.js';
import { PolicyVersionsService } from '../src/policies/policy-versions.service.js';
import { Policy } from '../src/policies/policy.entity.js';
import { Department } from '../src/staff/department.entity.js';
import { Staff } from '../src/staff/staff.entity.js';
import { DEMO_EMAIL_DOMAIN } from './demo-town.data.js';

export interface DemoComplianceResult {
  policies: SyncResult;
  approved: string[];
  controlStatuses: number;
}

/** Controls the demo town has not reached yet, and the ones that do not apply to it. */
const PARTIAL = new Set(['2-01', '4-05', '5-05', '6-03', '6-09', '7-04', '8-02', '9-03']);
const NOT_IMPLEMENTED = new Set(['3-05', '6-10', '7-06', '8-04']);
const NOT_APPLICABLE: Record<string, string> = {
  '3-06': '本町はαモデルを採用しており、α′・β・β′モデルの追加対策は対象外（The town uses the α model.）',
};

/** Who answers for each chapter in the town: 総務課 for organisation, people and review; 情報政策室 for the systems. */
const OWNER_DEPARTMENT_BY_CHAPTER: Record<number, string> = {
  1: 'SOMU',
  2: 'SOMU',
  3: 'JOHO',
  4: 'JOHO',
  5: 'SOMU',
  6: 'JOHO',
  7: 'JOHO',
  8: 'JOHO',
  9: 'SOMU',
};

function demoStatus(code: string): { status: ControlStatus; reason?: string } {
  if (NOT_APPLICABLE[code]) return { status: 'not_applicable', reason: NOT_APPLICABLE[code] };
  if (PARTIAL.has(code)) return { status: 'partial', reason: '一部の課で未実施（令和4年度中に完了予定）' };
  if (NOT_IMPLEMENTED.has(code)) return { status: 'not_implemented' };
  return { status: 'implemented' };
}

export async function demoActor(app: INestApplicationContext, organizationId: string, local: string): Promise<Actor> {
  const staff = await app
    .get(UnitOfWork)
    .manager.getRepository(Staff)
    .findOneByOrFail({ organizationId, email: `${local}@${DEMO_EMAIL_DOMAIN}` });
  // the seed acts as this person would after signing in with the second factor
  return {
    staffId: staff.id,
    organizationId,
    roles: staff.roles,
    departmentId: staff.departmentId,
    clientAddress: null,
    sessionId: null,
    mfa: true,
    label: `${staff.email} (seed)`,
  };
}

export async function seedDemoCompliance(app: INestApplicationContext, organizationId: string): Promise<DemoComplianceResult> {
  const manager = app.get(UnitOfWork).manager;
  const policies = await app.get(PoliciesSyncService).sync(systemActor(organizationId, 'seed'));
  await app.get(EscalationPoliciesSync).sync(systemActor(organizationId, 'seed')); // policies/escalation.yaml, as `escalation:sync`

  const ciso = await demoActor(app, organizationId, 'ciso');
  const approved: string[] = [];
  for (const policy of await manager.getRepository(Policy).find({ where: { organizationId }, order: { key: 'ASC' } })) {
    const hasApproved = await manager.getRepository(PolicyVersion).existsBy({ organizationId, policyId: policy.id, status: 'approved' });
    if (hasApproved) continue;
    const latest = await manager.getRepository(PolicyVersion).findOneOrFail({ where: { organizationId, policyId: policy.id }, order: { version: 'DESC' } });
    await app.get(PolicyVersionsService).approve(ciso, policy.id, latest.version, { requireAcknowledgement: policy.kind === 'basic_policy' });
    approved.push(policy.key);
  }

  const officer = await demoActor(app, organizationId, 'security');
  const departments = new Map((await manager.getRepository(Department).findBy({ organizationId })).map((d) => [d.code, d.id]));
  const untouched = await manager
    .getRepository(Control)
    .find({ where: { organizationId, lastCheckedAt: IsNull(), retiredAt: IsNull() }, order: { code: 'ASC' } });
  for (const control of untouched) {
    const { status, reason } = demoStatus(control.code);
    const ownerDepartmentId = departments.get(OWNER_DEPARTMENT_BY_CHAPTER[control.chapter] ?? 'JOHO');
    await app.get(ControlsService).update(officer, control.id, { status, ...(reason ? { reason } : {}), ...(ownerDepartmentId ? { ownerDepartmentId } : {}) });
    // not_implemented is the status it already had: record the check that found it so
    if (status === 'not_implemented') await app.get(ControlsService).recordCheck(officer, control.id, {});
  }
  return { policies, approved, controlStatuses: untouched.length };
}
