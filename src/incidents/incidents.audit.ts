import type { EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

/** An incident by its reference and title: 「INC-2022-0007 不審メールの添付を開封」. */
async function incidentNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, reference, title FROM incidents WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
    organizationId,
    ids,
  ])) as {
    id: string;
    reference: string;
    title: string;
  }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.reference} ${row.title}` }]));
}

/** An escalation policy by its name. */
async function policyNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, name, name_en FROM escalation_policies WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
    organizationId,
    ids,
  ])) as {
    id: string;
    name: string;
    name_en: string | null;
  }[];
  return new Map(rows.map((row) => [row.id, { name: row.name, nameEn: row.name_en }]));
}

/** A task by its incident's reference and its title: 「INC-2022-0007 端末を切り離す」. */
async function taskNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT t.id, i.reference, t.title FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id
      WHERE t.organization_id = $1 AND t.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; reference: string; title: string }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.reference} ${row.title}` }]));
}

/** An attachment by its incident's reference and its file name: 「INC-2022-0007 不審メール.eml」. */
async function attachmentNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT a.id, i.reference, a.file_name FROM incident_attachments a JOIN incidents i ON i.id = a.incident_id
      WHERE a.organization_id = $1 AND a.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; reference: string; file_name: string }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.reference} ${row.file_name}` }]));
}

/** Who an external report goes to, in words (the audit trail names a report by its incident and these). */
const RECIPIENT_WORDS: Record<string, { ja: string; en: string }> = {
  ppc: { ja: '個人情報保護委員会', en: 'Personal Information Protection Commission' },
  prefecture: { ja: '都道府県', en: 'Prefecture' },
  ministry: { ja: '総務省', en: 'Ministry' },
  police: { ja: '警察', en: 'Police' },
  affected_people: { ja: '本人', en: 'People affected' },
};
const KIND_WORDS: Record<string, { ja: string; en: string }> = {
  preliminary: { ja: '速報', en: 'preliminary report' },
  final: { ja: '確報', en: 'final report' },
  notice: { ja: '通知', en: 'notice' },
};

/** An external report by its incident and recipient: 「INC-2022-0007 個人情報保護委員会（速報）」. */
async function externalReportNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT r.id, r.incident_id, r.recipient, r.kind, i.reference FROM external_reports r JOIN incidents i ON i.id = r.incident_id
      WHERE r.organization_id = $1 AND r.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; incident_id: string; recipient: string; kind: string; reference: string }[];
  return new Map(
    rows.map((row) => {
      const to = RECIPIENT_WORDS[row.recipient] ?? { ja: row.recipient, en: row.recipient };
      const kind = KIND_WORDS[row.kind] ?? { ja: row.kind, en: row.kind };
      return [
        row.id,
        { name: `${row.reference} ${to.ja}（${kind.ja}）`, nameEn: `${row.reference} ${to.en} (${kind.en})`, params: { incidentId: row.incident_id } },
      ];
    }),
  );
}

/** A post-incident review by its incident. */
async function reviewNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT r.id, r.incident_id, i.reference, i.title FROM post_incident_reviews r JOIN incidents i ON i.id = r.incident_id
      WHERE r.organization_id = $1 AND r.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; incident_id: string; reference: string; title: string }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.reference} ${row.title}`, params: { incidentId: row.incident_id } }]));
}

/** The audit trail of incidents, in words. */
export const INCIDENTS_AUDIT = {
  actions: {
    'incident.report': { ja: 'インシデントを報告', en: 'Reported an incident' },
    'incident.transition': { ja: 'インシデントの状態を変更', en: 'Changed the state of an incident' },
    'incident.assess': { ja: 'インシデントの判定を変更', en: 'Changed the assessment of an incident' },
    'incident.acknowledge': { ja: 'インシデントの連絡を確認（エスカレーション停止）', en: 'Acknowledged an incident (escalation stopped)' },
    'incident.timeline_entry': { ja: 'インシデントの記録を追加', en: 'Wrote on the timeline of an incident' },
    'escalation.start': { ja: 'エスカレーションを開始', en: 'Started an escalation' },
    'escalation.stop': { ja: 'エスカレーションを停止', en: 'Stopped an escalation' },
    'escalation.fire': { ja: 'エスカレーションの連絡を送信', en: 'Told a level of an escalation' },
    'escalation.webhook_sent': { ja: 'エスカレーションをチャットへ通知', en: 'Posted an escalation to the chat webhook' },
    'escalation_policy.create': { ja: 'エスカレーション方針を作成', en: 'Created an escalation policy' },
    'escalation_policy.update': { ja: 'エスカレーション方針を変更', en: 'Changed an escalation policy' },
    'incident.resident_acknowledgement': { ja: '住民からの報告に受付番号を付与', en: 'Gave a resident’s report its acknowledgement number' },
    'incident_task.create': { ja: 'インシデントの対応タスクを追加', en: 'Added a task to an incident' },
    'incident_task.update': { ja: 'インシデントの対応タスクを更新（完了・省略・担当）', en: 'Changed a task of an incident (done, skipped, assignee)' },
    'incident_attachment.create': { ja: 'インシデントにファイルを添付', en: 'Attached a file to an incident' },
    'incident_attachment.download': { ja: 'インシデントの添付ファイルをダウンロード', en: 'Downloaded a file of an incident' },
    'external_report.owe': { ja: '外部報告が必要になった（期限を設定）', en: 'An external report became owed (deadline set)' },
    'external_report.change': { ja: '外部報告の期限・該当事由を変更', en: 'Changed the deadline or triggers of an external report' },
    'external_report.cancel': { ja: '外部報告が不要になった（取消）', en: 'An external report is no longer owed (cancelled)' },
    'external_report.send': { ja: '外部報告の送付を記録', en: 'Recorded an external report as sent' },
    'external_report.reminders_sent': { ja: '外部報告の期限の通知を送信', en: 'Sent reminders of external reports’ deadlines' },
    'external_report.export': { ja: '外部報告の案を出力（Excel）', en: 'Exported the draft of an external report (Excel)' },
    'post_incident_review.write': { ja: '事後レビューを記録', en: 'Wrote the post-incident review' },
    'post_incident_review.update': { ja: '事後レビューを変更', en: 'Changed the post-incident review' },
  },
  entityTypes: {
    incident: { ja: 'インシデント', en: 'Incident', page: '/incidents/:id', records: incidentNames },
    escalation_policy: { ja: 'エスカレーション方針', en: 'Escalation policy', records: policyNames },
    incident_task: { ja: 'インシデントの対応タスク', en: 'Incident task', records: taskNames },
    incident_attachment: { ja: 'インシデントの添付ファイル', en: 'Incident attachment', records: attachmentNames },
    external_report: { ja: '外部報告', en: 'External report', page: '/incidents/:incidentId/external-reports', records: externalReportNames },
    post_incident_review: { ja: '事後レビュー', en: 'Post-incident review', page: '/incidents/:incidentId/review', records: reviewNames },
  },
} as const satisfies AuditTrailVocabulary;
