import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A person's private calendar subscription (カレンダーの購読): the address carries a random token
 * (32 bytes, base64url) that is the only credential; only its SHA-256 is kept. At most one feed of a
 * person is in use (not revoked); making a new one revokes the old.
 */
@Entity('calendar_feeds')
@Index('uq_calendar_feeds_token_hash', ['tokenHash'], { unique: true })
@Index('uq_calendar_feeds_active', ['staffId'], { unique: true, where: 'revoked_at IS NULL' })
export class CalendarFeed extends OrganizationScopedEntity {
  @Column('uuid')
  staffId!: string;

  /** sha256 (hex) of the token in the address */
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** when a calendar last fetched it */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
