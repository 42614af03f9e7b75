import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** Proof that an outbox message was delivered; unique per message, so a job run twice sends once. */
@Entity('notification_deliveries')
@Index('uq_notification_deliveries_message', ['outboxMessageId'], { unique: true })
export class NotificationDelivery extends OrganizationScopedEntity {
  @Column('uuid')
  outboxMessageId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: 'email';

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  transportMessageId!: string | null;

  @Column({ type: 'timestamptz' })
  sentAt!: Date;
}
