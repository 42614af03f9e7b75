/**
 * The demo town's versions of the emergency response plan (plan item III-5), made through the
 * services the CISO and the security office use, then dated as the story goes:
 *
 * - version 1, the plan as first written (the files of `policies/response-plan/`), approved by the
 *   CISO on 2022年3月1日 (FY2021, as the town's plan says), next review due a year later;
 * - version 2, from FY2022's first tabletop drill: the report to the mayor was 13 minutes late
 *   because the mayor could not be reached, so the security office proposes from the drill that
 *   the step name the deputy mayor when the mayor is away; approved on 2023年2月27日 (FY2022);
 * - version 3, the yearly review of FY2025: the plan's text says drill results are taken into the
 *   plan; approved on 2026年2月16日, so the plan in force today is within its review interval.
 *
 * Run after the sync (version 1's draft) and after the drills (version 2's proposal). Idempotent:
 * a version that exists is left alone.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../src/common/actor.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { ResponsePlanVersionsService } from '../src/response-plan/response-plan-versions.service.js';

export interface DemoResponsePlanResult {
  /** the versions approved by this run */
  approved: number[];
  /** the version in force after it */
  inForce: number | null;
}

/** When each version was approved and its next review (Tokyo). */
const STORY = [
  { version: 1, approvedAt: '2022-03-01T10:00:00+09:00', nextReviewDue: '2023-03-01', proposedAt: null },
  { version: 2, approvedAt: '2023-02-27T10:00:00+09:00', nextReviewDue: '2024-02-27', proposedAt: '2022-11-17T16:00:00+09:00' },
  { version: 3, approvedAt: '2026-02-16T10:00:00+09:00', nextReviewDue: '2027-02-16', proposedAt: '2026-02-02T09:30:00+09:00' },
] as const;

const MAYOR_STEP = 4;
const REVIEW_FROM = '手順はできるだけ具体的に書き、毎年度の訓練で確かめます。';
const REVIEW_TO = '手順はできるだけ具体的に書き、毎年度の訓練で確かめ、その結果をこの計画に反映します。';

export async function seedDemoResponsePlan(app: INestApplicationContext, organizationId: string): Promise<DemoResponsePlanResult> {
  const uow = app.get(UnitOfWork);
  const versions = app.get(ResponsePlanVersionsService);
  const approved: number[] = [];
  const people = (await uow.manager.query(
    `SELECT id, email, department_id, roles::text[] AS roles FROM staff WHERE organization_id = $1 AND status = 'active' AND email LIKE ANY($2::text[])`,
    [organizationId, ['ciso@%', 'security@%']],
  )) as { id: string; email: string; department_id: string | null; roles: string[] }[];
  const actor = (prefix: string): Actor => {
    const person = people.find((p) => p.email.startsWith(prefix));
    if (!person) throw new Error(`demo response plan: nobody ${prefix}…`);
    return {
      staffId: person.id,
      organizationId,
      roles: person.roles as Actor['roles'],
      departmentId: person.department_id,
      clientAddress: null,
      sessionId: null,
      mfa: true,
      label: `${person.email} (seed)`,
    };
  };
  const ciso = actor('ciso@');
  const officer = actor('security@');
  const existing = async (): Promise<Map<number, string>> =>
    new Map(
      (
        (await uow.manager.query(`SELECT version, status FROM response_plan_versions WHERE organization_id = $1`, [organizationId])) as {
          version: number;
          status: string;
        }[]
      ).map((row) => [row.version, row.status]),
    );
  const approve = async (version: number): Promise<void> => {
    await versions.approve(ciso, version);
    const story = STORY.find((s) => s.version === version)!;
    await uow.manager.query(
      `UPDATE response_plan_versions SET approved_at = $3, next_review_due = $4, created_at = least(created_at, coalesce($5::timestamptz, $3::timestamptz - interval '14 days'))
        WHERE organization_id = $1 AND version = $2`,
      [organizationId, version, story.approvedAt, story.nextReviewDue, story.proposedAt],
    );
    // the version it superseded stopped being in force that day
    await uow.manager.query(`UPDATE response_plan_versions SET superseded_at = $3 WHERE organization_id = $1 AND version = $2 - 1`, [
      organizationId,
      version,
      story.approvedAt,
    ]);
    approved.push(version);
  };

  let known = await existing();
  // version 1: the sync opened it as a draft
  if (known.get(1) === 'draft') await approve(1);

  // version 2: the proposal from FY2022's tabletop drill
  known = await existing();
  if (known.get(1) === 'approved' && !known.has(2)) {
    const [drill] = (await uow.manager.query(
      `SELECT d.id FROM drills d JOIN response_scenarios sc ON sc.id = d.scenario_id
        WHERE d.organization_id = $1 AND d.fiscal_year = 2022 AND d.status = 'completed' AND sc.key = 'ransomware' ORDER BY d.starts_at LIMIT 1`,
      [organizationId],
    )) as { id: string }[];
    if (drill) {
      const [step] = (await uow.manager.query(
        `SELECT p.action FROM playbook_steps p JOIN response_scenarios sc ON sc.id = p.scenario_id AND p.revision = sc.revision
          WHERE sc.organization_id = $1 AND sc.key = 'ransomware' AND p.position = $2`,
        [organizationId, MAYOR_STEP],
      )) as { action: string }[];
      if (step && !step.action.includes('副町長')) {
        const proposal = await versions.propose(officer, drill.id, {
          position: MAYOR_STEP,
          action: step.action.replace('町長に報告し', '町長（不在のときは副町長）に報告し'),
          reason: '訓練で町長に連絡がつかず、対策本部の設置が13分遅れた。不在時の報告先を手順に書く。',
        });
        await uow.manager.query(`UPDATE drill_proposals SET created_at = $2, updated_at = $2 WHERE id = $1`, [proposal.proposal.id, STORY[1].proposedAt]);
        await approve(2);
      }
    }
  }

  // version 3: FY2025's yearly review of the text
  known = await existing();
  if (known.get(2) === 'approved' && !known.has(3)) {
    const plan = await versions.current(officer);
    const body = plan.inForce?.body ?? '';
    if (body.includes(REVIEW_FROM)) {
      await versions.editPlan(officer, {
        body: body.replace(REVIEW_FROM, REVIEW_TO),
        changeNote: '令和7年度の定期見直し：訓練の結果を計画に反映することを明記',
      });
      await approve(3);
    }
  }

  const [inForce] = (await uow.manager.query(`SELECT version FROM response_plan_versions WHERE organization_id = $1 AND status = 'approved'`, [
    organizationId,
  ])) as { version: number }[];
  return { approved, inForce: inForce?.version ?? null };
}
