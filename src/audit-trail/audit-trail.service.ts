import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { AUDIT_TRAIL } from './audit-trail.permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuditTrailEntry } from './audit-trail-entry.entity.js';
import { AuditTrailCheckpoint } from './audit-trail-checkpoint.entity.js';
import { AuditTrailCheckpoints } from './audit-trail-checkpoints.service.js';
import { AuditTrailWriter, entryHash, GENESIS_HASH, type AuditKey } from './audit-trail.writer.js';
import type { AuditTrailQuery } from './dto/audit-trail-query.dto.js';

export type ChainBreakReason = 'hash_mismatch' | 'broken_link' | 'missing_after_checkpoint' | 'checkpoint_forged' | 'unknown_key' | 'key_out_of_order';

export interface ChainBreak {
  seq: string;
  /** the row's id; null when the row is missing or the break is a checkpoint's */
  id: string | null;
  reason: ChainBreakReason;
  detail: string;
  /** the checkpoint concerned (missing_after_checkpoint, checkpoint_forged, hash_mismatch against a checkpoint) */
  checkpointId?: string;
  /** the key the ring does not hold (unknown_key), or the older key named after a newer one (key_out_of_order) */
  keyId?: string;
}

export interface VerifyResult {
  organizationId: string;
  ok: boolean;
  checked: number;
  lastSeq: string | null;
  firstBreak: ChainBreak | null;
  /** genuine checkpoints compared with the chain */
  checkpoints: number;
  /** the latest genuine checkpoint: the chain must reach it (rows after it are not anchored yet) */
  lastCheckpoint: { id: string; seq: string; at: Date } | null;
}

const VERIFY_BATCH = 2_000;

@Injectable()
export class AuditTrailService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly writer: AuditTrailWriter,
    private readonly checkpoints: AuditTrailCheckpoints,
  ) {}

  async list(actor: Actor, query: AuditTrailQuery): Promise<Page<AuditTrailEntry>> {
    assertMay(actor, AUDIT_TRAIL.read);
    const qb = this.uow.manager.getRepository(AuditTrailEntry).createQueryBuilder('a').where('a.organizationId = :org', { org: actor.organizationId });
    if (query.action) qb.andWhere('a.action LIKE :action', { action: query.action.endsWith('*') ? `${query.action.slice(0, -1)}%` : query.action });
    if (query.entityType) qb.andWhere('a.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('a.entityId = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('a.actorId = :actorId', { actorId: query.actorId });
    if (query.from) qb.andWhere('a.occurredAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('a.occurredAt < :to', { to: query.to });
    const { skip, take } = skipTake(query);
    const [items, total] = await qb.orderBy('a.seq', 'DESC').skip(skip).take(take).getManyAndCount();
    return pageOf(items, total, query);
  }

  /**
   * Recomputes every hash of an organisation's chain, each row under the key it names (rows without
   * a key id, which only the start of a chain may hold, under each key of the ring), checks every
   * checkpoint's signature and that the chain still holds the row each checkpoint names, and reports
   * the first break (lowest seq). Keys only get newer along the chain and along the checkpoints (in
   * seq order): a row or checkpoint naming an older key than one before it is a break, so a leaked
   * old key cannot seal rows or checkpoints that pass.
   */
  async verify(organizationId: string): Promise<VerifyResult> {
    const checkpoints = await this.uow.manager.getRepository(AuditTrailCheckpoint).find({ where: { organizationId }, order: { seq: 'ASC' } });
    let checkpointBreak: ChainBreak | null = null;
    const anchors: AuditTrailCheckpoint[] = [];
    /** the age in the ring of the newest key met so far (0: the current key) */
    let newest = Infinity;
    for (const checkpoint of checkpoints) {
      const verdict = this.checkpoints.check(checkpoint);
      const age = this.writer.keyAge(checkpoint.keyId);
      if (verdict === 'ok' && age > newest)
        checkpointBreak ??= {
          seq: checkpoint.seq,
          id: null,
          checkpointId: checkpoint.id,
          reason: 'key_out_of_order',
          keyId: checkpoint.keyId,
          detail: `the checkpoint is signed with key ${checkpoint.keyId}, older than the key of a checkpoint before it`,
        };
      else if (verdict === 'ok') {
        anchors.push(checkpoint);
        newest = age;
      } else
        checkpointBreak ??= {
          seq: checkpoint.seq,
          id: null,
          checkpointId: checkpoint.id,
          ...(verdict === 'forged'
            ? { reason: 'checkpoint_forged', detail: "the checkpoint's signature is not genuine (it was not written by Mamori)" }
            : {
                reason: 'unknown_key',
                keyId: checkpoint.keyId,
                detail: `the checkpoint is signed with key ${checkpoint.keyId}, which SECRET_KEY and PREVIOUS_SECRET_KEYS do not hold`,
              }),
        };
    }
    const last = anchors.at(-1);
    const chain = await this.walk(organizationId, anchors);
    const firstBreak = [chain.firstBreak, checkpointBreak].filter((b) => b !== null).sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))[0] ?? null;
    return {
      organizationId,
      ok: firstBreak === null,
      checked: chain.checked,
      lastSeq: chain.lastSeq,
      firstBreak,
      checkpoints: anchors.length,
      lastCheckpoint: last ? { id: last.id, seq: last.seq, at: last.createdAt } : null,
    };
  }

  /** The chain walk: links, hashes, and the rows the (genuine) checkpoints name. */
  private async walk(
    organizationId: string,
    anchors: readonly AuditTrailCheckpoint[],
  ): Promise<{ checked: number; lastSeq: string | null; firstBreak: ChainBreak | null }> {
    let previousHash = GENESIS_HASH;
    let lastSeq: string | null = null;
    let checked = 0;
    let next = 0;
    /** the key that sealed the rows without a key id (tried first for the next one) */
    let legacyKey: AuditKey | undefined;
    /** the age in the ring of the newest key met so far (0: the current key) */
    let newest = Infinity;
    let keyed = false;
    /** rows whose address is not the one the conversion to inet derived from their legacy text */
    const readdressed = new Set(
      (
        (await this.uow.manager.query(
          `SELECT seq::text AS seq FROM audit_trail
           WHERE organization_id = $1 AND client_address_legacy IS NOT NULL AND client_address IS DISTINCT FROM mamori_inet_or_null(client_address_legacy)`,
          [organizationId],
        )) as { seq: string }[]
      ).map((row) => row.seq),
    );
    const outOfOrder = (row: AuditTrailEntry, detail: string): ChainBreak => ({
      seq: row.seq,
      id: row.id,
      reason: 'key_out_of_order',
      ...(row.keyId ? { keyId: row.keyId } : {}),
      detail,
    });
    const stop = (firstBreak: ChainBreak) => ({ checked, lastSeq, firstBreak });
    const missing = (checkpoint: AuditTrailCheckpoint, detail: string): ChainBreak => ({
      seq: checkpoint.seq,
      id: null,
      checkpointId: checkpoint.id,
      reason: 'missing_after_checkpoint',
      detail,
    });
    for (;;) {
      const qb = this.uow.manager.getRepository(AuditTrailEntry).createQueryBuilder('a').where('a.organizationId = :organizationId', { organizationId });
      if (lastSeq !== null) qb.andWhere('a.seq > :lastSeq', { lastSeq });
      const batch = await qb.orderBy('a.seq', 'ASC').take(VERIFY_BATCH).getMany();
      for (const row of batch) {
        if (row.previousHash !== previousHash) {
          return stop({
            seq: row.seq,
            id: row.id,
            reason: 'broken_link',
            detail: 'previous_hash does not match the row before (a row was removed or inserted)',
          });
        }
        if (readdressed.has(row.seq))
          return stop({
            seq: row.seq,
            id: row.id,
            reason: 'hash_mismatch',
            detail: 'the client address was changed after it was written (it no longer matches the text it was stored as)',
          });
        if (row.keyId) {
          const key = this.writer.keyById(row.keyId);
          const age = this.writer.keyAge(row.keyId);
          if (!key)
            return stop({
              seq: row.seq,
              id: row.id,
              reason: 'unknown_key',
              keyId: row.keyId,
              detail: `the row is sealed with key ${row.keyId}, which SECRET_KEY and PREVIOUS_SECRET_KEYS do not hold`,
            });
          if (age > newest) return stop(outOfOrder(row, `the row names key ${row.keyId}, older than the key of a row before it`));
          if (entryHash(row, key.trail) !== row.hash)
            return stop({ seq: row.seq, id: row.id, reason: 'hash_mismatch', detail: 'the row was changed after it was written' });
          newest = age;
          keyed = true;
        } else {
          if (keyed) return stop(outOfOrder(row, 'the row names no key, after rows that do (only rows written before keys had ids name none)'));
          const ring = legacyKey ? [legacyKey, ...this.writer.keys.filter((k) => k !== legacyKey)] : this.writer.keys;
          legacyKey = ring.find((key) => entryHash(row, key.trail) === row.hash);
          if (!legacyKey)
            return stop({
              seq: row.seq,
              id: row.id,
              reason: 'hash_mismatch',
              detail: 'the row was changed after it was written (or sealed with a key the ring does not hold)',
            });
          const age = this.writer.keyAge(legacyKey.id);
          if (age > newest) return stop(outOfOrder(row, `the row is sealed with key ${legacyKey.id}, older than the key of a row before it`));
          newest = age;
        }
        const anchor = anchors[next];
        if (anchor && BigInt(anchor.seq) < BigInt(row.seq))
          return stop(missing(anchor, `the row at seq ${anchor.seq}, named by the checkpoint of ${anchor.createdAt.toISOString()}, is not in the chain`));
        if (anchor?.seq === row.seq) {
          if (anchor.hash !== row.hash)
            return stop({
              seq: row.seq,
              id: row.id,
              checkpointId: anchor.id,
              reason: 'hash_mismatch',
              detail: `the row differs from the checkpoint of ${anchor.createdAt.toISOString()}`,
            });
          next++;
        }
        previousHash = row.hash;
        lastSeq = row.seq;
        checked++;
      }
      if (batch.length < VERIFY_BATCH) break;
    }
    const anchor = anchors[next];
    if (anchor)
      return stop(
        missing(
          anchor,
          `the chain ends at seq ${lastSeq ?? '(none)'}, before the row at seq ${anchor.seq} named by the checkpoint of ${anchor.createdAt.toISOString()}: rows were removed from its end`,
        ),
      );
    return { checked, lastSeq, firstBreak: null };
  }

  /** Verifying is itself recorded (who checked, and what they found). */
  async verifyAsActor(actor: Actor): Promise<VerifyResult> {
    assertMay(actor, AUDIT_TRAIL.read);
    const result = await this.verify(actor.organizationId);
    await this.uow.run(actor, async (tx) =>
      tx.audit({
        action: 'audit_trail.verify',
        entityType: 'audit_trail',
        context: { ok: result.ok, checked: result.checked, firstBreak: result.firstBreak, lastCheckpointSeq: result.lastCheckpoint?.seq ?? null },
      }),
    );
    return result;
  }
}
