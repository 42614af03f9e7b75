import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CONTROL_STATUSES, type ControlStatus } from './control.entity.js';
import { CONTROLS } from './controls.permissions.js';

/** How many entries a control's history shows (the newest); the rest is in the audit trail. */
export const CONTROL_HISTORY_LIMIT = 20;

/** One change of an entry, in the domain's words (the page puts them into sentences). */
export type ControlHistoryChange =
  | { kind: 'added_to_catalogue' }
  | { kind: 'catalogue_updated' }
  | { kind: 'retired' }
  | { kind: 'reinstated' }
  | { kind: 'status'; from: ControlStatus; to: ControlStatus }
  | { kind: 'reason'; to: string | null }
  | { kind: 'next_check_due'; to: string | null }
  | { kind: 'owner_department'; to: { name: string; nameEn: string | null } | null }
  | { kind: 'checked'; note: string | null; nextCheckDue: string | null }
  | { kind: 'evidence_added'; fileName: string }
  | { kind: 'other'; action: string };

/** One row of the audit trail about the control or one of its evidence files. */
export interface ControlHistoryEntry {
  id: string;
  occurredAt: Date;
  action: string;
  /** who: their name when they are a member of staff, else the trail's label (`system:cli`, …) */
  actor: { id: string | null; name: string | null; label: string };
  changes: ControlHistoryChange[];
}

export interface ControlHistory {
  /** newest first, at most `limit` */
  entries: ControlHistoryEntry[];
  /** how many entries the control's history holds in all */
  total: number;
  limit: number;
}

/** The fields the catalogue sync sets from `controls.yaml` (a change of any is "the catalogue entry changed"). */
const CATALOGUE_FIELDS = [
  ...['title', 'titleEn', 'description', 'descriptionEn', 'chapter', 'ownerRole', 'frequency', 'essential', 'verified', 'mappings'],
  ...['auditQuestion', 'auditQuestionEn', 'evidenceHints', 'evidenceHintsEn'],
];

/** Reads of the trail that are not changes (downloads): left out of the history. */
const READS = ['control_evidence.download'];

interface HistoryRow {
  id: string;
  occurred_at: Date;
  action: string;
  actor_id: string | null;
  actor_label: string;
  changes: Record<string, { before?: unknown; after?: unknown } | undefined>;
  family_name: string | null;
  given_name: string | null;
  department_name: string | null;
  department_name_en: string | null;
  total: number;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const isStatus = (value: unknown): value is ControlStatus => (CONTROL_STATUSES as readonly unknown[]).includes(value);

/**
 * A control's history, read from the audit trail: what the controls' services record with
 * `tx.audit` for the control (`control.*`: the catalogue sync, status changes, checks) and for its
 * evidence files (`control_evidence.create`), newest first, with who did it.
 */
@Injectable()
export class ControlHistoryService {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * The newest `limit` entries and how many there are, in one query: the trail's rows about the
   * control or its evidence (by the trail's entity index), with the actor's name and, for a change
   * of owner department, the department's.
   */
  async history(actor: Actor, controlId: string, limit = CONTROL_HISTORY_LIMIT): Promise<ControlHistory> {
    assertMay(actor, CONTROLS.read_history);
    const rows = (await this.uow.manager.query(
      `SELECT a.id, a.occurred_at, a.action, a.actor_id, a.actor_label, a.changes,
              s.family_name, s.given_name, d.name AS department_name, d.name_en AS department_name_en,
              count(*) OVER ()::int AS total
         FROM audit_trail a
         LEFT JOIN staff s ON s.id = a.actor_id AND s.organization_id = a.organization_id
         LEFT JOIN departments d
                ON a.changes ? 'ownerDepartmentId' AND d.organization_id = a.organization_id
               AND d.id::text = a.changes -> 'ownerDepartmentId' ->> 'after'
        WHERE a.organization_id = $1
          AND a.action <> ALL($4::text[])
          AND ((a.entity_type = 'control' AND a.entity_id = $2::text)
               OR (a.entity_type = 'control_evidence'
                   AND a.entity_id IN (SELECT e.id::text FROM control_evidence e WHERE e.organization_id = $1 AND e.control_id = $2::uuid)))
        ORDER BY a.seq DESC
        LIMIT $3`,
      [actor.organizationId, controlId, limit, READS],
    )) as HistoryRow[];
    return { entries: rows.map(entryOf), total: rows[0]?.total ?? 0, limit };
  }
}

function entryOf(row: HistoryRow): ControlHistoryEntry {
  const name = row.family_name !== null && row.given_name !== null ? `${row.family_name} ${row.given_name}` : null;
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    action: row.action,
    actor: { id: row.actor_id, name, label: row.actor_label },
    changes: changesOf(row),
  };
}

/** What an entry changed, in the order a reader wants it: the status first. */
export function changesOf(row: Pick<HistoryRow, 'action' | 'changes' | 'department_name' | 'department_name_en'>): ControlHistoryChange[] {
  const changes = row.changes ?? {};
  const after = (field: string): unknown => changes[field]?.after;
  const context = (after('@context') ?? {}) as Record<string, unknown>;
  switch (row.action) {
    case 'control.create':
      return [{ kind: 'added_to_catalogue' }];
    case 'control.retire':
      return [{ kind: 'retired' }];
    case 'control.check':
      return [{ kind: 'checked', note: text(context.note), nextCheckDue: text(after('nextCheckDue')) }];
    case 'control_evidence.create':
      return [{ kind: 'evidence_added', fileName: text(after('fileName')) ?? '' }];
    case 'control.update': {
      const list: ControlHistoryChange[] = [];
      const status = changes.status;
      if (status && isStatus(status.before) && isStatus(status.after)) list.push({ kind: 'status', from: status.before, to: status.after });
      if (changes.statusReason) list.push({ kind: 'reason', to: text(after('statusReason')) });
      if (changes.nextCheckDue) list.push({ kind: 'next_check_due', to: text(after('nextCheckDue')) });
      if (changes.ownerDepartmentId) {
        const to = row.department_name ? { name: row.department_name, nameEn: row.department_name_en } : null;
        list.push({ kind: 'owner_department', to });
      }
      if (context.reinstated === true) list.push({ kind: 'reinstated' });
      else if (CATALOGUE_FIELDS.some((field) => field in changes)) list.push({ kind: 'catalogue_updated' });
      return list.length ? list : [{ kind: 'other', action: row.action }];
    }
    default:
      return [{ kind: 'other', action: row.action }];
  }
}
