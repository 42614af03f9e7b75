import type { EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

async function indicatorNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, title FROM indicators WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [organizationId, ids])) as {
    id: string;
    title: string;
  }[];
  return new Map(rows.map((row) => [row.id, { name: row.title }]));
}

async function valueNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT v.id, i.title || '（' || v.fiscal_year || '年度）' AS name FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id AND i.organization_id = $1
      WHERE v.organization_id = $1 AND v.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; name: string }[];
  return new Map(rows.map((row) => [row.id, { name: row.name }]));
}

async function closeNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(`SELECT id, fiscal_year FROM fiscal_year_closes WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
    organizationId,
    ids,
  ])) as { id: string; fiscal_year: number }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.fiscal_year}年度` }]));
}

/** The audit trail of the indicators, in words. */
export const INDICATORS_AUDIT = {
  actions: {
    'indicator.create': { ja: '指標を追加（indicators.yaml）', en: 'Added an indicator (indicators.yaml)' },
    'indicator.update': { ja: '指標の定義・目標を変更（indicators.yaml）', en: "Changed an indicator's definition or targets (indicators.yaml)" },
    'indicator.retire': { ja: '指標を廃止（indicators.yaml から削除）', en: 'Retired an indicator (left indicators.yaml)' },
    'indicator_value.create': { ja: '指標の値を入力', en: "Entered an indicator's value" },
    'fiscal_year.close': { ja: '年度を締めた（数値を確定）', en: 'Closed a fiscal year (froze its figures)' },
    'fiscal_year.reopen': { ja: '締めた年度を再開', en: 'Reopened a closed fiscal year' },
    'annual_report.export': { ja: '年次報告を出力', en: 'Exported the annual report' },
  },
  entityTypes: {
    indicator: { ja: '指標', en: 'Indicator', records: indicatorNames },
    indicator_value: { ja: '指標の値', en: 'Indicator value', records: valueNames },
    fiscal_year_close: { ja: '年度の締め', en: 'Fiscal year close', records: closeNames },
  },
} as const satisfies AuditTrailVocabulary;
