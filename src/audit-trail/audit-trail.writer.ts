import { createHmac, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { deriveKey, secretKeyRing } from '../common/secrets.js';
import type { MamoriConfig } from '../config/configuration.js';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Actor } from '../common/actor.js';
import { canonicalJson, toJsonData } from '../common/canonical-json.js';
import { AuditTrailEntry, type FieldChange } from './audit-trail-entry.entity.js';

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
  const b = toJsonData((before ?? {}) as Record<string, unknown>);
  const a = toJsonData((after ?? {}) as Record<string, unknown>);
  const changes: Record<string, FieldChange> = {};
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
export function entryHash(
  entry: Omit<AuditTrailEntry, 'seq' | 'hash' | 'organization' | 'keyId' | 'clientAddressLegacy'> & {
    keyId?: string | null;
    clientAddressLegacy?: string | null;
  },
  key: Buffer,
): string {
  const material = canonicalJson({
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
    previousHash: entry.previousHash,
  });
  return createHmac('sha256', key).update(material).digest('hex');
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

/** Rows per INSERT statement (13 parameters each, well below PostgreSQL's 65,535). */
const INSERT_CHUNK = 1_000;

/**
 * The audit trail's writer. A transaction's events are recorded as they happen (`pending`), then
 * chained and inserted together just before it commits (`appendAll`): the per-organisation chain lock
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
  pending(actor: Actor, event: AuditEvent): PendingAuditEntry {
    const changes: Record<string, FieldChange> = changedFields(event.before, event.after);
    if (event.context) changes['@context'] = { after: toJsonData(event.context) };
    return {
      id: randomUUID(),
      organizationId: actor.organizationId,
      actorId: actor.staffId,
      actorLabel: actor.label,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId ?? null,
      changes,
      clientAddress: actor.clientAddress,
      occurredAt: new Date(),
      keyId: this.keyId,
    };
  }

  /** Chains the entries after the organisation's last row and inserts them, inside the caller's transaction. */
  async appendAll(manager: EntityManager, entries: readonly PendingAuditEntry[]): Promise<void> {
    const byOrganization = new Map<string, PendingAuditEntry[]>();
    for (const entry of entries) byOrganization.set(entry.organizationId, [...(byOrganization.get(entry.organizationId) ?? []), entry]);
    for (const [organizationId, list] of [...byOrganization].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit_trail:${organizationId}`]);
      const [last] = (await manager.query('SELECT hash FROM audit_trail WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1', [organizationId])) as {
        hash: string;
      }[];
      let previousHash = last?.hash ?? GENESIS_HASH;
      const rows = list.map((entry) => {
        const row = { ...entry, previousHash };
        const hash = entryHash(row, this.key);
        previousHash = hash;
        return { ...row, hash };
      });
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(AuditTrailEntry)
          .values(rows.slice(i, i + INSERT_CHUNK) as QueryDeepPartialEntity<AuditTrailEntry>[])
          .updateEntity(false)
          .execute();
      }
    }
  }
}
