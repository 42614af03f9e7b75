import type { EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

/** A finding by its reference and title: 「FND-2022-0003 誤送信防止の手順が周知されていない」. */
async function findingNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, reference, title FROM findings WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
    organizationId,
    ids,
  ])) as {
    id: string;
    reference: string;
    title: string;
  }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.reference} ${row.title}` }]));
}

/** A corrective action by its finding's reference and what it does. */
async function actionNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT a.id, f.reference, a.description FROM corrective_actions a JOIN findings f ON f.id = a.finding_id
      WHERE a.organization_id = $1 AND a.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; reference: string; description: string }[];
  return new Map(
    rows.map((row) => [row.id, { name: `${row.reference} ${row.description.length > 60 ? `${row.description.slice(0, 60)}…` : row.description}` }]),
  );
}

/** The audit trail of findings and corrective actions, in words. */
export const FINDINGS_AUDIT = {
  actions: {
    'finding.raise': { ja: '指摘事項を登録', en: 'Raised a finding' },
    'finding.update': { ja: '指摘事項を変更', en: 'Changed a finding' },
    'finding.status': { ja: '指摘事項の状況が是正措置に応じて変化', en: 'A finding’s status followed its corrective actions' },
    'corrective_action.plan': { ja: '是正措置を計画', en: 'Planned a corrective action' },
    'corrective_action.done': { ja: '是正措置の完了を報告', en: 'Reported a corrective action done' },
    'corrective_action.verify': { ja: '是正措置を確認（有効）', en: 'Verified a corrective action' },
    'corrective_action.reopen': { ja: '是正措置を差し戻し', en: 'Reopened a corrective action' },
    'corrective_action.reminders_sent': { ja: '是正措置の期限の通知を送信（日次）', en: 'Sent the daily reminders of corrective actions’ due dates' },
  },
  entityTypes: {
    finding: { ja: '指摘事項', en: 'Finding', records: findingNames },
    corrective_action: { ja: '是正措置', en: 'Corrective action', records: actionNames },
  },
} as const satisfies AuditTrailVocabulary;
