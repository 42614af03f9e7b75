import type { Transaction } from '../database/unit-of-work.js';
import type { TimelineKind } from './incident-timeline-entry.entity.js';

/** One entry to write on an incident's timeline. */
export interface TimelineEntryInput {
  kind: TimelineKind;
  text?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  data?: Record<string, unknown>;
  /** default: now (the transaction's statement time would make every entry of a change equal) */
  at?: Date;
}

/**
 * Appends entries to an incident's timeline in the change's transaction (the table takes INSERT
 * only). The actor of the transaction is the entry's author.
 */
export async function appendTimeline(tx: Transaction, incidentId: string, entries: TimelineEntryInput | readonly TimelineEntryInput[]): Promise<void> {
  const list = Array.isArray(entries) ? (entries as readonly TimelineEntryInput[]) : [entries as TimelineEntryInput];
  if (list.length === 0) return;
  const rows = list.map((entry) => ({
    kind: entry.kind,
    text: entry.text ?? null,
    from_status: entry.fromStatus ?? null,
    to_status: entry.toStatus ?? null,
    data: entry.data ?? {},
    at: (entry.at ?? new Date()).toISOString(),
  }));
  await tx.manager.query(
    `INSERT INTO incident_timeline (organization_id, incident_id, at, kind, actor_id, actor_label, from_status, to_status, text, data)
     SELECT $1, $2, r.at, r.kind, $3, $4, r.from_status, r.to_status, r.text, r.data
       FROM json_to_recordset($5::json) AS r (kind varchar, text text, from_status varchar, to_status varchar, data jsonb, at timestamptz)`,
    [tx.actor.organizationId, incidentId, tx.actor.staffId, tx.actor.label.slice(0, 254), JSON.stringify(rows)],
  );
}
