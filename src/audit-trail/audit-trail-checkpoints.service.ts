import { createHmac, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BUSINESS_TIME_ZONE } from '../common/calendar.js';
import { canonicalJson } from '../common/canonical-json.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { safeEqual } from '../common/secrets.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import { AuditTrailCheckpoint } from './audit-trail-checkpoint.entity.js';
import { AuditTrailWriter } from './audit-trail.writer.js';

/** Every hour (at :07), a checkpoint of each organisation whose chain head moved. */
export const CHECKPOINT_SCHEDULE: ScheduleDefinition = {
  name: 'audit-trail-checkpoint',
  jobId: 'audit-trail-checkpoint-hourly',
  cron: '7 * * * *',
  tz: BUSINESS_TIME_ZONE,
};

/** What a checkpoint's signature covers. */
export type CheckpointFacts = Pick<AuditTrailCheckpoint, 'organizationId' | 'seq' | 'hash' | 'keyId' | 'createdAt'>;

/** HMAC-SHA-256 under the checkpoint key, over the canonical JSON of the facts. */
export function checkpointSignature(facts: CheckpointFacts, key: Buffer): string {
  const material = canonicalJson({
    organizationId: facts.organizationId,
    seq: String(facts.seq),
    hash: facts.hash,
    keyId: facts.keyId,
    createdAt: new Date(facts.createdAt).toISOString(),
  });
  return createHmac('sha256', key).update(material).digest('hex');
}

/** An organisation's chain head as anchored by a signed checkpoint (for the daily mail and the year-close snapshot). */
export interface AnchoredHead {
  organizationId: string;
  checkpointId: string;
  seq: string;
  hash: string;
  keyId: string;
  signature: string;
  at: Date;
}

export interface CheckpointRunResult {
  organizations: number;
  /** checkpoints written (organisations whose head moved) */
  written: number;
}

const anchored = (checkpoint: AuditTrailCheckpoint): AnchoredHead => ({
  organizationId: checkpoint.organizationId,
  checkpointId: checkpoint.id,
  seq: checkpoint.seq,
  hash: checkpoint.hash,
  keyId: checkpoint.keyId,
  signature: checkpoint.signature,
  at: checkpoint.createdAt,
});

/**
 * Anchors each organisation's chain outside the chain: a signed note of its head (seq and hash).
 * The head is read as committed data, without the chain lock, so writers are never kept waiting.
 * Writing a checkpoint is not itself audited: the row would move the head it anchors (the
 * checkpoint is its own append-only, signed record).
 */
@Injectable()
export class AuditTrailCheckpoints {
  private readonly logger = new Logger(AuditTrailCheckpoints.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly writer: AuditTrailWriter,
  ) {}

  @ScheduledJob(CHECKPOINT_SCHEDULE.name)
  async checkpointAll(): Promise<CheckpointRunResult> {
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    const result: CheckpointRunResult = { organizations: organizations.length, written: 0 };
    for (const organization of organizations) if ((await this.checkpoint(organization.id)).written) result.written++;
    return result;
  }

  /**
   * Writes a checkpoint of the organisation's head unless the last one already names it; returns the
   * organisation's latest checkpoint (null while its chain is empty).
   */
  async checkpoint(organizationId: string): Promise<{ head: AnchoredHead | null; written: boolean }> {
    const manager = this.uow.manager;
    const [head] = (await manager.query('SELECT a.seq::text AS seq, a.hash FROM audit_trail a WHERE a.organization_id = $1 ORDER BY a.seq DESC LIMIT 1', [
      organizationId,
    ])) as {
      seq: string;
      hash: string;
    }[];
    const last = await this.latest(organizationId);
    if (!head) return { head: last && anchored(last), written: false };
    const key = this.writer.keys[0]!;
    // a forged checkpoint (verify reports it) must not stop the genuine ones; nor may one signed with
    // an older key (a leaked one): only a checkpoint under the current key stands for the head
    if (last && last.keyId === key.id && this.check(last) === 'ok' && BigInt(last.seq) >= BigInt(head.seq)) {
      if (last.seq !== head.seq || last.hash !== head.hash)
        this.logger.error(`audit trail of ${organizationId} ends at seq ${head.seq}, before its checkpoint at seq ${last.seq}: run audit-trail:verify`);
      return { head: anchored(last), written: false };
    }
    const facts: CheckpointFacts = { organizationId, seq: head.seq, hash: head.hash, keyId: key.id, createdAt: new Date() };
    const checkpoint: AuditTrailCheckpoint = { id: randomUUID(), ...facts, signature: checkpointSignature(facts, key.checkpoint) };
    // two runs at once write one checkpoint of a head (ON CONFLICT needs only INSERT)
    const inserted = (await manager.query(
      `INSERT INTO audit_trail_checkpoints (id, organization_id, seq, hash, key_id, signature, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (organization_id, seq) DO NOTHING RETURNING id`,
      [checkpoint.id, organizationId, checkpoint.seq, checkpoint.hash, checkpoint.keyId, checkpoint.signature, checkpoint.createdAt],
    )) as unknown[];
    if (inserted.length === 0) return { head: anchored((await this.latest(organizationId))!), written: false };
    return { head: anchored(checkpoint), written: true };
  }

  /**
   * The organisation's head, anchored now: a checkpoint is written first if the head moved since
   * the last. For the year-close snapshot (issue 13), which records it beside the year's figures.
   */
  async anchoredHead(organizationId: string): Promise<AnchoredHead | null> {
    return (await this.checkpoint(organizationId)).head;
  }

  /** The organisation's latest checkpoint (by seq), if any. */
  latest(organizationId: string): Promise<AuditTrailCheckpoint | null> {
    return this.uow.manager.getRepository(AuditTrailCheckpoint).findOne({ where: { organizationId }, order: { seq: 'DESC' } });
  }

  /** Whether a checkpoint's signature is genuine under the key it names; `unknown_key` when the ring does not hold that key. */
  check(checkpoint: CheckpointFacts & { signature: string }): 'ok' | 'forged' | 'unknown_key' {
    const key = this.writer.keyById(checkpoint.keyId);
    if (!key) return 'unknown_key';
    return safeEqual(checkpointSignature(checkpoint, key.checkpoint), checkpoint.signature) ? 'ok' : 'forged';
  }
}
