import { createHmac, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { deriveKey, secretKeyRing } from '../common/secrets.js';
import type { MamoriConfig } from '../config/configuration.js';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { canonicalJson, toJsonData } from '../common/canonical-json.js';
import { timeOrderedUuid } from '../common/uuid.js';
import type { AuditTrailEntry, FieldChange } from './audit-trail-entry.entity.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Fields whose values never reach the audit trail (only the fact that they changed). */
const REDACTED = new Set(['passwordHash', 'totpSecret', 'totpPendingSecret', 'totpLastStep', 'tokenHash', 'codeHash']);

export interface AuditEvent {
  /** `<entity>.<verb>`, e.g. `staff.create`, `auth.login_failed` */
  action: string;
  entityType: string;
  entityId?: string | null;
  /** state before the change (omit on create) */
  before?: object | null;
  /** state after the change (omit on delete) */
  after?: object | null;
  /** extra facts that are not field changes (e.g. a reason) */
  context?: Record<string, unknown>;
}

/** The fields that differ between two states, as {field: {before, after}}; secrets redacted. */
export function changedFields(before: object | null | undefined, after: object | null | undefined): Record<string, FieldChange> {
  const a = toJsonData((after ?? {}) as Record<string, unknown>);
  const changes: Record<string, FieldChange> = {};
  if (!before) {
    // a creation: every field that is not null (what the comparison below gives against nothing, without it)
    for (const key of Object.keys(a)) {
      if (key === 'updatedAt' || key === 'createdAt' || a[key] === null) continue;
      changes[key] = after ? { after: REDACTED.has(key) ? '[redacted]' : a[key] } : {};
    }
    return changes;
  }
  const b = toJsonData(before as Record<string, unknown>);
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (key === 'updatedAt' || key === 'createdAt') continue;
    if (canonicalJson(b[key]) === canonicalJson(a[key])) continue;
    const redact = REDACTED.has(key);
    const change: FieldChange = {};
    if (before) change.before = redact ? '[redacted]' : (b[key] ?? null);
    if (after) change.after = redact ? '[redacted]' : (a[key] ?? null);
    changes[key] = change;
  }
  return changes;
}

/**
 * What the hash covers: every column but `seq` and `hash`. It is an HMAC keyed from SECRET_KEY, so
 * someone who can write to the table behind the trigger's back still cannot forge a valid chain.
 * The key id is covered when the row has one (rows written before keys had ids have none, and hash
 * as they always did). The client address is the text it was stored as: `clientAddressLegacy` when
 * the row has one (stored before the column became `inet`, which reads it back differently).
 */
export function entryHash(entry: HashedEntry & { previousHash: string }, key: Buffer): string {
  return chainedHash(entryMaterial(entry), entry.previousHash, key);
}

type HashedEntry = Omit<AuditTrailEntry, 'seq' | 'hash' | 'previousHash' | 'organization' | 'keyId' | 'clientAddressLegacy'> & {
  keyId?: string | null;
  clientAddressLegacy?: string | null;
};

/**
 * What the hash covers but the previous hash, as the start of its canonical JSON: `previousHash`
 * sorts after every other key, so a row's material is this, then `,"previousHash":"…"}`. Made when
 * the event is recorded (it is the costly part), so the chain lock is held only to chain.
 */
export function entryMaterial(entry: HashedEntry): string {
  const json = canonicalJson({
    ...(entry.keyId ? { keyId: entry.keyId } : {}),
    id: entry.id,
    organizationId: entry.organizationId,
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: entry.changes,
    clientAddress: entry.clientAddressLegacy ?? entry.clientAddress,
    occurredAt: new Date(entry.occurredAt).toISOString(),
  });
  return json.slice(0, -1);
}

/** A row's hash: the HMAC of its canonical JSON, its `material` closed with the previous row's hash. */
export function chainedHash(material: string, previousHash: string, key: Buffer): string {
  return createHmac('sha256', key)
    .update(`${material},"previousHash":${JSON.stringify(previousHash)}}`)
    .digest('hex');
}

/** One key of the ring, as the audit trail uses it. */
export interface AuditKey {
  /** public: names the key in rows and checkpoints, reveals nothing of it */
  id: string;
  /** HMAC key of the chain's row hashes */
  trail: Buffer;
  /** HMAC key of the checkpoints' signatures */
  checkpoint: Buffer;
}

/** A key's public id: the first 16 hex digits of an HMAC under its audit-trail key (not reversible to the key). */
export function auditKeyId(trailKey: Buffer): string {
  return createHmac('sha256', trailKey).update('key-id').digest('hex').slice(0, 16);
}

export function auditKey(secretKey: string): AuditKey {
  const trail = deriveKey(secretKey, 'audit-trail');
  return { id: auditKeyId(trail), trail, checkpoint: deriveKey(secretKey, 'audit-checkpoint') };
}

/** An audit event as recorded when it happened, waiting to be chained when its transaction commits. */
export type PendingAuditEntry = Omit<AuditTrailEntry, 'seq' | 'hash' | 'previousHash' | 'organization' | 'clientAddressLegacy'>;

/**
 * A pending entry ready to be chained, made off the chain lock: the material of its hash, which is
 * also the row (but its hashes) as the insert reads it: closed with `}`, it is a JSON object.
 */
export interface PreparedAuditEntry {
  organizationId: string;
  material: string;
}

/** Events recorded per slice of `prepareMany`, between which the event loop serves other requests. */
const EVENTS_PER_SLICE = 500;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The columns an entry's material gives (`json_to_recordset`, by key; a row without a key id has none), in the order of RECORD_NAMES. */
const MATERIAL_COLUMNS = `"id" uuid, "organizationId" uuid, "actorId" uuid, "actorLabel" varchar, "action" varchar, "entityType" varchar, "entityId" varchar,
  "changes" jsonb, "clientAddress" inet, "occurredAt" timestamptz, "keyId" varchar`;
/** The same columns in the table (and the staging table). */
const RECORD_COLUMNS = `id uuid, organization_id uuid, actor_id uuid, actor_label varchar, action varchar, entity_type varchar, entity_id varchar,
  changes jsonb, client_address inet, occurred_at timestamptz, key_id varchar`;
const RECORD_NAMES = 'id, organization_id, actor_id, actor_label, action, entity_type, entity_id, changes, client_address, occurred_at, key_id';
/** Entries of one organisation from which `appendAll` stages the rows before it takes the chain lock. */
const STAGE_FROM = 1_000;
/** Entries per statement filling the staging table: one JSON text per chunk stays far below V8's longest string (an import may chain millions). */
const STAGE_CHUNK = 20_000;

/**
 * The audit trail's writer. A transaction's events are recorded as they happen (`pending`, ready
 * to be chained: `prepare`; many at once: `prepareMany`), then chained and inserted together just
 * before it commits (`appendAll`): the per-organisation chain lock
 * (a transaction-scoped advisory lock) is taken only then, so a long import or sync holds it for
 * one insert rather than from its first change, and sign-ins are not kept waiting.
 */
@Injectable()
export class AuditTrailWriter {
  /** the HMAC key of the chain (the current key's) */
  readonly key: Buffer;
  /** the current key's id, written on every new row */
  readonly keyId: string;
  /** every key of the ring, the current first (SECRET_KEY, then PREVIOUS_SECRET_KEYS) */
  readonly keys: readonly AuditKey[];

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.keys = secretKeyRing(config.get('auth', { infer: true })).map(auditKey);
    this.key = this.keys[0]!.trail;
    this.keyId = this.keys[0]!.id;
  }

  /** The key with this id, if the ring holds it. */
  keyById(id: string): AuditKey | undefined {
    return this.keys.find((key) => key.id === id);
  }

  /**
   * The key's age in the ring: 0 for the current key, then PREVIOUS_SECRET_KEYS in order (newest
   * first); -1 when the ring does not hold it. Along a chain, keys only get newer (the age never grows).
   */
  keyAge(id: string): number {
    return this.keys.findIndex((key) => key.id === id);
  }

  /** The entry for `event`, with its changes computed now (later edits of the objects do not leak in). */
  pending(actor: Actor, event: AuditEvent, occurredAt = new Date()): PendingAuditEntry {
    const changes: Record<string, FieldChange> = changedFields(event.before, event.after);
    if (event.context) changes['@context'] = { after: toJsonData(event.context) };
    return {
      id: timeOrderedUuid(occurredAt.getTime()),
      organizationId: actor.organizationId,
      actorId: actor.staffId,
      actorLabel: actor.label,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId ?? null,
      changes,
      clientAddress: actor.clientAddress,
      occurredAt,
      keyId: this.keyId,
    };
  }

  /** `entry` ready to be chained: its hash's material (which is also its row). */
  prepare(entry: PendingAuditEntry): PreparedAuditEntry {
    return { organizationId: entry.organizationId, material: entryMaterial(entry) };
  }

  /**
   * Many events at once (an import's rows), as `pending` then `prepare` would make them, all at the
   * same time: made a slice at a time, letting the event loop serve other requests (sign-ins)
   * between slices, and meanwhile the transaction goes on with its statements. The events' objects
   * must not change afterwards.
   */
  async prepareMany(actor: Actor, events: readonly AuditEvent[], occurredAt = new Date()): Promise<PreparedAuditEntry[]> {
    const prepared: PreparedAuditEntry[] = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_SLICE) {
      if (i > 0) await nextTurn();
      for (const event of events.slice(i, i + EVENTS_PER_SLICE)) prepared.push(this.prepare(this.pending(actor, event, occurredAt)));
    }
    return prepared;
  }

  /**
   * Chains the entries after the organisation's last row and inserts them, inside the caller's
   * transaction. The chain lock (a transaction-scoped advisory lock per organisation) is taken only
   * here, so a long change holds it for the chaining and one insert rather than from its first
   * change. A few entries (every ordinary change) go in one statement; many (an import's 100,000)
   * are first copied into a temporary table, before the lock, so that under it only the hashes and
   * the places in the sequence travel and PostgreSQL copies rows it has already read: the sign-ins
   * waiting for the lock wait for that, not for the whole transfer.
   */
  async appendAll(manager: EntityManager, entries: readonly (PreparedAuditEntry | PendingAuditEntry)[]): Promise<void> {
    const byOrganization = new Map<string, PreparedAuditEntry[]>();
    for (const given of entries) {
      const entry = 'material' in given ? given : this.prepare(given);
      const list = byOrganization.get(entry.organizationId);
      if (list) list.push(entry);
      else byOrganization.set(entry.organizationId, [entry]);
    }
    // a name of this call's own: a transaction may append in bulk more than once
    const stagingPrefix = `audit_trail_staging_${randomBytes(6).toString('hex')}`;
    let staged = 0;
    for (const [organizationId, list] of [...byOrganization].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const json = (slice: readonly PreparedAuditEntry[]): string => `[${slice.map((entry) => `${entry.material}}`).join(',')}]`;
      const staging = list.length >= STAGE_FROM ? `${stagingPrefix}_${staged++}` : null;
      if (staging) {
        await manager.query(`CREATE TEMPORARY TABLE ${staging} (n bigint PRIMARY KEY, ${RECORD_COLUMNS}) ON COMMIT DROP`);
        for (let from = 0; from < list.length; from += STAGE_CHUNK) {
          await manager.query(
            `INSERT INTO ${staging} SELECT n + $2::bigint, ${RECORD_NAMES} FROM ROWS FROM (json_to_recordset($1::json) AS (${MATERIAL_COLUMNS})) WITH ORDINALITY AS row (${RECORD_NAMES}, n)`,
            [json(list.slice(from, from + STAGE_CHUNK)), from],
          );
        }
      }
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit_trail:${organizationId}`]);
      const [last] = (await manager.query('SELECT hash FROM audit_trail WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1', [organizationId])) as {
        hash: string;
      }[];
      let previousHash = last?.hash ?? GENESIS_HASH;
      const previous: string[] = [];
      const hashes: string[] = [];
      for (const entry of list) {
        previous.push(previousHash);
        previousHash = chainedHash(entry.material, previousHash, this.key);
        hashes.push(previousHash);
      }
      if (!staging) {
        await manager.query(
          `INSERT INTO audit_trail (${RECORD_NAMES}, previous_hash, hash)
           SELECT ${RECORD_NAMES}, previous_hash, hash
             FROM ROWS FROM (json_to_recordset($1::json) AS (${MATERIAL_COLUMNS}), unnest($2::text[]), unnest($3::text[])) WITH ORDINALITY
                  AS row (${RECORD_NAMES}, previous_hash, hash, n)
            ORDER BY n`, // seq (the column's default) follows the chain
          [json(list), previous, hashes],
        );
        continue;
      }
      // the rows' places in the sequence are taken here, under the lock, and given in the chain's order (the rows need no sort)
      await manager.query(
        `INSERT INTO audit_trail (seq, ${RECORD_NAMES}, previous_hash, hash)
         SELECT place.seq, ${RECORD_NAMES.split(', ')
           .map((name) => `row.${name}`)
           .join(', ')}, chain.previous_hash, chain.hash
           FROM ${staging} row
           JOIN unnest($1::text[], $2::text[]) WITH ORDINALITY AS chain (previous_hash, hash, n) ON chain.n = row.n
           JOIN (SELECT seq, row_number() OVER (ORDER BY seq) AS n
                   FROM (SELECT nextval(pg_get_serial_sequence('audit_trail', 'seq')) AS seq FROM generate_series(1, $3::int)) taken) place ON place.n = row.n`,
        [previous, hashes, list.length],
      );
    }
  }
}
