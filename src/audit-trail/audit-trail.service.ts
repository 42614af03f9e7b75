import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { AUDIT_TRAIL } from './audit-trail.permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuditTrailEntry } from './audit-trail-entry.entity.js';
import { AuditTrailWriter, entryHash, GENESIS_HASH } from './audit-trail.writer.js';
import type { AuditTrailQuery } from './dto/audit-trail-query.dto.js';

export interface ChainBreak {
  seq: string;
  id: string;
  reason: 'hash_mismatch' | 'broken_link';
  detail: string;
}

export interface VerifyResult {
  organizationId: string;
  ok: boolean;
  checked: number;
  lastSeq: string | null;
  firstBreak: ChainBreak | null;
}

const VERIFY_BATCH = 2_000;

@Injectable()
export class AuditTrailService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly writer: AuditTrailWriter,
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

  /** Recomputes every hash of an organisation's chain and reports the first broken link. */
  async verify(organizationId: string): Promise<VerifyResult> {
    let previousHash = GENESIS_HASH;
    let lastSeq: string | null = null;
    let checked = 0;
    for (;;) {
      const qb = this.uow.manager.getRepository(AuditTrailEntry).createQueryBuilder('a').where('a.organizationId = :organizationId', { organizationId });
      if (lastSeq !== null) qb.andWhere('a.seq > :lastSeq', { lastSeq });
      const batch = await qb.orderBy('a.seq', 'ASC').take(VERIFY_BATCH).getMany();
      for (const row of batch) {
        if (row.previousHash !== previousHash) {
          return {
            organizationId,
            ok: false,
            checked,
            lastSeq,
            firstBreak: {
              seq: row.seq,
              id: row.id,
              reason: 'broken_link',
              detail: 'previous_hash does not match the row before (a row was removed or inserted)',
            },
          };
        }
        if (entryHash(row, this.writer.key) !== row.hash) {
          return {
            organizationId,
            ok: false,
            checked,
            lastSeq,
            firstBreak: { seq: row.seq, id: row.id, reason: 'hash_mismatch', detail: 'the row was changed after it was written' },
          };
        }
        previousHash = row.hash;
        lastSeq = row.seq;
        checked++;
      }
      if (batch.length < VERIFY_BATCH) return { organizationId, ok: true, checked, lastSeq, firstBreak: null };
    }
  }

  /** Verifying is itself recorded (who checked, and what they found). */
  async verifyAsActor(actor: Actor): Promise<VerifyResult> {
    assertMay(actor, AUDIT_TRAIL.read);
    const result = await this.verify(actor.organizationId);
    await this.uow.run(actor, async (tx) =>
      tx.audit({ action: 'audit_trail.verify', entityType: 'audit_trail', context: { ok: result.ok, checked: result.checked, firstBreak: result.firstBreak } }),
    );
    return result;
  }
}
