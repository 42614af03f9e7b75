import { In, type EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';
import { PolicyReview } from './policy-review.entity.js';
import { PolicyVersion } from './policy-version.entity.js';
import { Policy } from './policy.entity.js';

/** A policy by its title; its page is found by its key. */
async function policyNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const policies = await manager
    .getRepository(Policy)
    .find({ where: { organizationId, id: In([...ids]) }, select: { id: true, key: true, title: true, titleEn: true } });
  return new Map(policies.map((policy) => [policy.id, { name: policy.title, nameEn: policy.titleEn, params: { key: policy.key } }]));
}

/** A version by its policy's title and number: 「情報セキュリティ対策基準 第2版」. */
async function versionNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager
    .getRepository(PolicyVersion)
    .createQueryBuilder('v')
    .innerJoin(Policy, 'p', 'p.id = v.policyId')
    .select(['v.id AS id', 'v.version AS version', 'p.key AS key', 'p.title AS title', 'p.titleEn AS "titleEn"'])
    .where('v.organizationId = :organizationId AND v.id IN (:...ids)', { organizationId, ids })
    .getRawMany()) as { id: string; version: number; key: string; title: string; titleEn: string | null }[];
  return new Map(
    rows.map((row) => [
      row.id,
      { name: `${row.title} 第${row.version}版`, nameEn: `${row.titleEn ?? row.title} v${row.version}`, params: { key: row.key, version: row.version } },
    ]),
  );
}

/** A review by its policy (the review is shown on the policy's page). */
async function reviewNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager
    .getRepository(PolicyReview)
    .createQueryBuilder('r')
    .innerJoin(Policy, 'p', 'p.id = r.policyId')
    .select(['r.id AS id', 'p.key AS key', 'p.title AS title', 'p.titleEn AS "titleEn"'])
    .where('r.organizationId = :organizationId AND r.id IN (:...ids)', { organizationId, ids })
    .getRawMany()) as { id: string; key: string; title: string; titleEn: string | null }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.title}の見直し`, nameEn: `Review of ${row.titleEn ?? row.title}`, params: { key: row.key } }]));
}

/** The audit trail of policies, their versions and reviews, in words; their records' pages (acknowledgements: training.audit.ts). */
export const POLICIES_AUDIT = {
  actions: {
    'policy.create': { ja: 'ポリシーを登録', en: 'Added a policy' },
    'policy.update': { ja: 'ポリシーを変更', en: 'Changed a policy' },
    'policy.review_reminder': { ja: 'ポリシーの見直し時期を通知', en: 'Sent a policy review reminder' },
    'policy_review.create': { ja: 'ポリシーの見直しを記録', en: 'Recorded a policy review' },
    'policy_version.create': { ja: 'ポリシーの新しい版を作成', en: 'Created a policy version' },
    'policy_version.approve': { ja: 'ポリシーの版を承認', en: 'Approved a policy version' },
    'policy_version.supersede': { ja: 'ポリシーの旧版を失効', en: 'Superseded a policy version' },
  },
  entityTypes: {
    policy: { ja: 'ポリシー', en: 'Policy', page: '/policies/:key', records: policyNames },
    policy_version: { ja: 'ポリシーの版', en: 'Policy version', page: '/policies/:key/versions/:version', records: versionNames },
    policy_review: { ja: 'ポリシーの見直し', en: 'Policy review', page: '/policies/:key', records: reviewNames },
  },
} as const satisfies AuditTrailVocabulary;
