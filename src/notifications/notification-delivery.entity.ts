import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

export const DELIVERY_STATUSES = ['sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One recipient's copy of an outbox message. The row is claimed (`sending`) in one transaction, the
 * mail is sent outside any transaction, and the result (`sent` or `failed`) recorded in another:
 * a message runs twice, or a transaction retries, and the recipient still gets one mail. The body is
 * never stored.
 */
@Entity('notification_deliveries')
@Index('uq_notification_deliveries_recipient', ['outboxMessageId', 'recipientKey'], { unique: true })
@Check('ck_notification_deliveries_status', `"status" IN ('sending', 'sent', 'failed')`)
export class NotificationDelivery extends OrganizationScopedEntity {
  @Column('uuid')
  outboxMessageId!: string;

  /** the recipient within the message: a staff id, or the address */
  @Column({ type: 'varchar', length: 254 })
  recipientKey!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: 'email';

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ type: 'varchar', length: 16, default: 'sending' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 1 })
  attempts!: number;

  @Column({ type: 'timestamptz' })
  claimedAt!: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  transportMessageId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}
