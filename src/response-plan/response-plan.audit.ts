import type { EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

/** A scenario by its title: 「ランサムウェア感染（バックアップからの復旧）」. */
async function scenarioNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, title FROM response_scenarios WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [organizationId, ids])) as {
    id: string;
    title: string;
  }[];
  return new Map(rows.map((row) => [row.id, { name: row.title }]));
}

/** An outside contact by its name. */
async function contactNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, name FROM response_contacts WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [organizationId, ids])) as {
    id: string;
    name: string;
  }[];
  return new Map(rows.map((row) => [row.id, { name: row.name }]));
}

/** A drill by its title. */
async function drillNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, title FROM drills WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [organizationId, ids])) as {
    id: string;
    title: string;
  }[];
  return new Map(rows.map((row) => [row.id, { name: row.title }]));
}

/** A version of the plan: 「第2版」. */
async function planVersionNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, version FROM response_plan_versions WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
    organizationId,
    ids,
  ])) as { id: string; version: number }[];
  return new Map(rows.map((row) => [row.id, { name: `第${row.version}版` }]));
}

/** A proposal by the drill it came from. */
async function proposalNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT p.id, d.title, p.position FROM drill_proposals p JOIN drills d ON d.id = p.drill_id WHERE p.organization_id = $1 AND p.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; title: string; position: number }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.title}（手順${row.position}）` }]));
}

/** The audit trail of the emergency response plan, in words. */
export const RESPONSE_PLAN_AUDIT = {
  actions: {
    'scenario.create': { ja: '想定シナリオを登録', en: 'Added a scenario' },
    'scenario.revise': { ja: '想定シナリオを改訂', en: 'Revised a scenario' },
    'scenario.retire': { ja: '想定シナリオを廃止', en: 'Retired a scenario' },
    'response_contact.create': { ja: '外部連絡先を登録', en: 'Added an outside contact' },
    'response_contact.update': { ja: '外部連絡先を変更', en: 'Changed an outside contact' },
    'response_contact.retire': { ja: '外部連絡先を削除', en: 'Retired an outside contact' },
    'drill.schedule': { ja: '訓練を予定', en: 'Scheduled a drill' },
    'drill.update': { ja: '訓練の予定を変更', en: 'Changed a drill' },
    'drill.cancel': { ja: '訓練を中止', en: 'Cancelled a drill' },
    'drill.start': { ja: '訓練を開始', en: 'Started a drill' },
    'drill.finish': { ja: '訓練を終了', en: 'Finished a drill' },
    'drill.record_paper': { ja: '訓練の記録を紙から入力', en: 'Entered a drill record from paper' },
    'drill.lessons': { ja: '訓練の教訓を記入', en: 'Wrote a drill’s lessons' },
    'drill_attendance.mark': { ja: '訓練の出欠を記録', en: 'Marked drill attendance' },
    'drill_step.done': { ja: '訓練の手順を完了', en: 'Marked a drill step done' },
    'drill_step.undo': { ja: '訓練の手順の完了を取消', en: 'Undid a drill step' },
    'drill_event.record': { ja: '訓練の状況付与・課題を記録', en: 'Recorded a drill inject or problem' },
    'scenario.draft': { ja: '想定シナリオの改訂案を作成', en: 'Drafted a revision of a scenario' },
    'scenario.put_in_force': { ja: '想定シナリオの改訂を施行', en: 'Put a scenario revision in force' },
    'response_plan_version.create': { ja: '緊急時対応計画の改訂案を作成', en: 'Opened a draft of the response plan' },
    'response_plan_version.update': { ja: '緊急時対応計画の改訂案を変更', en: 'Changed the draft of the response plan' },
    'response_plan_version.approve': { ja: '緊急時対応計画を承認', en: 'Approved the response plan' },
    'response_plan_version.supersede': { ja: '緊急時対応計画の旧版を失効', en: 'Superseded a version of the response plan' },
    'drill_proposal.create': { ja: '訓練から計画の変更を提案', en: 'Proposed a change of the plan from a drill' },
    'drill.reminders_sent': { ja: '訓練のリマインダーを送信', en: 'Sent drill reminders' },
  },
  entityTypes: {
    scenario: { ja: '想定シナリオ', en: 'Scenario', records: scenarioNames },
    response_contact: { ja: '外部連絡先', en: 'Outside contact', records: contactNames },
    drill: { ja: '訓練', en: 'Drill', records: drillNames },
    drill_attendance: { ja: '訓練の出欠', en: 'Drill attendance' },
    drill_step_record: { ja: '訓練の手順記録', en: 'Drill step record' },
    drill_event: { ja: '訓練の状況付与・課題', en: 'Drill inject or problem' },
    response_plan_version: { ja: '緊急時対応計画の版', en: 'Response plan version', records: planVersionNames },
    drill_proposal: { ja: '訓練からの提案', en: 'Proposal from a drill', records: proposalNames },
  },
} as const satisfies AuditTrailVocabulary;
