import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import type { OutboxTopic, OutboxTopics } from './outbox-topics.js';

/**
 * A side effect (e-mail, webhook, timer) written in the same transaction as the change that causes
 * it; the relay hands it to bull. `dedupeKey` makes writing the same effect twice harmless.
 */
@Entity('outbox_messages')
@Index('uq_outbox_dedupe', ['organizationId', 'dedupeKey'], { unique: true })
@Index('ix_outbox_pending', ['availableAt'], { where: 'dispatched_at IS NULL' })
export class OutboxMessage extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 64 })
  topic!: OutboxTopic;

  @Column({ type: 'varchar', length: 200 })
  dedupeKey!: string;

  @Column({ type: 'jsonb' })
  payload!: OutboxTopics[OutboxTopic];

  @Column({ type: 'timestamptz', default: () => 'now()' })
  availableAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}
