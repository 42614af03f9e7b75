import type { EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

/** An audit by its reference and title: 「AUD-2022-0001 令和4年度 情報セキュリティ内部監査」. */
async function auditNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, reference, title FROM audits WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [organizationId, ids])) as {
    id: string;
    reference: string;
    title: string;
  }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.reference} ${row.title}` }]));
}

/** A checklist item by its audit, control and department: 「AUD-2022-0001 5-02 税務課」. */
async function itemNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT i.id, a.reference, i.control_code, d.name AS department
       FROM audit_checklist_items i JOIN audits a ON a.id = i.audit_id LEFT JOIN departments d ON d.id = i.department_id
      WHERE i.organization_id = $1 AND i.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; reference: string; control_code: string; department: string | null }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.reference} ${row.control_code} ${row.department ?? ''}`.trim() }]));
}

/** The audit trail of audits and self-inspections, in words. */
export const AUDITS_AUDIT = {
  actions: {
    'audit.plan': { ja: '監査を計画', en: 'Planned an audit' },
    'audit.update': { ja: '監査の計画を変更', en: 'Changed an audit’s plan' },
    'audit.start': { ja: '監査を開始（チェックリストを作成）', en: 'Started an audit (made its checklist)' },
    'audit.report': { ja: '監査を報告段階へ', en: 'Moved an audit to reporting' },
    'audit.summary': { ja: '監査報告の所見を記入', en: 'Wrote an audit report’s summary' },
    'audit.accept': { ja: '監査報告を承認（完了）', en: 'Accepted an audit report (closed)' },
    'audit.return': { ja: '監査報告を差し戻し', en: 'Returned an audit report' },
    'checklist_item.answer': { ja: '監査項目に回答', en: 'Answered a checklist item' },
    'checklist_item.evidence': { ja: '監査項目に証跡を添付', en: 'Attached evidence to a checklist item' },
    'audit.sign_off': { ja: '自己点検を課長確認', en: 'Signed off a self-inspection' },
    'checklist_evidence.download': { ja: '監査項目の証跡をダウンロード', en: 'Downloaded checklist evidence' },
  },
  entityTypes: {
    audit: { ja: '監査', en: 'Audit', records: auditNames },
    checklist_item: { ja: '監査項目', en: 'Checklist item', records: itemNames },
    checklist_evidence: { ja: '監査項目の証跡', en: 'Checklist evidence', records: evidenceNames },
  },
} as const satisfies AuditTrailVocabulary;

/** A checklist item's evidence file by its item and file name: 「AUD-2022-0001 5-02 税務課 入退室記録.pdf」. */
async function evidenceNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT id, checklist_item_id, file_name FROM audit_checklist_evidence WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; checklist_item_id: string; file_name: string }[];
  const items = await itemNames(manager, organizationId, [...new Set(rows.map((row) => row.checklist_item_id))]);
  return new Map(rows.map((row) => [row.id, { name: `${items.get(row.checklist_item_id)?.name ?? ''} ${row.file_name}`.trim() }]));
}
