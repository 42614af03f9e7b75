import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { PolicyVersion } from './policy-version.entity.js';

/**
 * A person's duty to acknowledge an approved policy version (受講確認・誓約). Created for all active
 * staff when the CISO approves a version asking for it; the training module will adopt this table
 * as enrolments of a policy-acknowledgement course.
 */
@Entity('acknowledgement_duties')
@Index('uq_acknowledgement_duties', ['staffId', 'policyVersionId'], { unique: true })
@Index('ix_acknowledgement_duties_open', ['organizationId', 'staffId'], { where: 'acknowledged_at IS NULL' })
export class AcknowledgementDuty extends OrganizationScopedEntity {
  @Column('uuid')
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  @Index()
  @Column('uuid')
  policyVersionId!: string;

  @ManyToOne(() => PolicyVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_version_id' })
  policyVersion?: Relation<PolicyVersion>;

  @Column({ type: 'date' })
  dueOn!: string;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ type: 'inet', nullable: true })
  clientAddress!: string | null;
}
