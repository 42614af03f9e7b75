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
    'drill.reminders_sent': { ja: '訓練のリマインダーを送信', en: 'Sent drill reminders' },
  },
  entityTypes: {
    scenario: { ja: '想定シナリオ', en: 'Scenario', records: scenarioNames },
    response_contact: { ja: '外部連絡先', en: 'Outside contact', records: contactNames },
    drill: { ja: '訓練', en: 'Drill', records: drillNames },
  },
} as const satisfies AuditTrailVocabulary;
