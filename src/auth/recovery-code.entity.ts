import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Staff } from '../staff/staff.entity.js';

/** A one-time second-factor recovery code, stored as its SHA-256. */
@Entity('recovery_codes')
export class RecoveryCode extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  @Column({ type: 'char', length: 64 })
  codeHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
