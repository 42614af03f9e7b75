import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Staff } from '../staff/staff.entity.js';

/**
 * One sign-in: the family of rotating refresh tokens hangs off it. Access tokens name it (`sid`),
 * so revoking the session ends them at once.
 */
@Entity('auth_sessions')
export class AuthSession extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  /** signed in with a second factor */
  @Column({ type: 'boolean', default: false })
  mfa!: boolean;

  @Column({ type: 'varchar', length: 16 })
  channel!: 'api' | 'web';

  @Column({ type: 'inet', nullable: true })
  clientAddress!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  revokedReason!: string | null;
}
