import type { EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

/** A subscription by its person's name: 「山田 花子さんのカレンダー購読」. */
async function feedNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT f.id, s.family_name || ' ' || s.given_name AS name FROM calendar_feeds f JOIN staff s ON s.id = f.staff_id
      WHERE f.organization_id = $1 AND f.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; name: string }[];
  return new Map(rows.map((row) => [row.id, { name: row.name }]));
}

/** The audit trail of calendar subscriptions, in words. */
export const CALENDAR_FEEDS_AUDIT = {
  actions: {
    'calendar_feed.create': { ja: 'カレンダー購読のアドレスを発行', en: 'Made a calendar subscription address' },
    'calendar_feed.revoke': { ja: 'カレンダー購読を停止', en: 'Stopped a calendar subscription' },
  },
  entityTypes: {
    calendar_feed: { ja: 'カレンダー購読', en: 'Calendar subscription', records: feedNames },
  },
} as const satisfies AuditTrailVocabulary;
