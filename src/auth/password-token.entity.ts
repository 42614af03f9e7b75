import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Staff } from '../staff/staff.entity.js';

export const PASSWORD_TOKEN_PURPOSES = ['invitation', 'reset'] as const;
export type PasswordTokenPurpose = (typeof PASSWORD_TOKEN_PURPOSES)[number];

/**
 * A one-time link to set a password (an invitation, or a reset), stored as the SHA-256 of its
 * secret. The link carries `<id>.<secret>`; using it sets `usedAt`, and so does issuing a newer one.
 */
@Entity('password_tokens')
@Check('ck_password_tokens_purpose', `"purpose" IN ('invitation', 'reset')`)
export class PasswordToken extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  @Column({ type: 'varchar', length: 16 })
  purpose!: PasswordTokenPurpose;

  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
