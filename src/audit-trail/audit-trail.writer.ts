import { createHmac, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { deriveKey } from '../auth/secrets.js';
import type { MamoriConfig } from '../config/configuration.js';
import type { EntityManager } from 'typeorm';
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
 */
export function entryHash(entry: Omit<AuditTrailEntry, 'seq' | 'hash' | 'organization'>, key: Buffer): string {
  const material = canonicalJson({
    id: entry.id,
    organizationId: entry.organizationId,
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: entry.changes,
    clientAddress: entry.clientAddress,
    occurredAt: new Date(entry.occurredAt).toISOString(),
    previousHash: entry.previousHash,
  });
  return createHmac('sha256', key).update(material).digest('hex');
}

/**
 * Appends one row to the organisation's chain inside the caller's transaction. A transaction-scoped
 * advisory lock per organisation orders concurrent writers, so each row links to the one before.
 */
@Injectable()
export class AuditTrailWriter {
  /** the HMAC key of the chain */
  readonly key: Buffer;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.key = deriveKey(config.get('auth', { infer: true }).secretKey, 'audit-trail');
  }

  async append(manager: EntityManager, actor: Actor, event: AuditEvent): Promise<AuditTrailEntry> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit_trail:${actor.organizationId}`]);
    const [last] = (await manager.query('SELECT hash FROM audit_trail WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1', [actor.organizationId])) as {
      hash: string;
    }[];
    const changes: Record<string, FieldChange> = changedFields(event.before, event.after);
    if (event.context) changes['@context'] = { after: toJsonData(event.context) };
    const entry = {
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
      previousHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(entry, this.key);
    return manager.getRepository(AuditTrailEntry).save({ ...entry, hash });
  }
}
