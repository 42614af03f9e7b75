import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import type { PrivilegedRole } from '../common/roles.js';
import { Staff } from './staff.entity.js';

export const ROLE_CHANGES = ['grant', 'revoke'] as const;
export type RoleChange = (typeof ROLE_CHANGES)[number];

export const ROLE_REQUEST_STATUSES = ['pending', 'awaiting_confirmation', 'approved', 'rejected', 'withdrawn', 'expired'] as const;
export type RoleRequestStatus = (typeof ROLE_REQUEST_STATUSES)[number];

/** The statuses in which a request still waits for someone (at most one per person and role). */
export const OPEN_ROLE_REQUEST_STATUSES = ['pending', 'awaiting_confirmation'] as const satisfies readonly RoleRequestStatus[];

/**
 * 権限変更申請: an administrator's request to grant or remove one privileged role of one person,
 * applied only when a second person has approved it (and, for `ciso`, a sitting CISO or, granting
 * the first CISO, the person has confirmed). See role-request-rules.ts for who acts at each step.
 */
@Entity('role_requests')
@Index('uq_role_requests_open', ['staffId', 'role'], { unique: true, where: `"status" IN ('pending', 'awaiting_confirmation')` })
@Check('ck_role_requests_status', `"status" IN ('pending', 'awaiting_confirmation', 'approved', 'rejected', 'withdrawn', 'expired')`)
@Check('ck_role_requests_change', `"change" IN ('grant', 'revoke')`)
@Check('ck_role_requests_role', `"role" IN ('admin', 'ciso', 'security_officer', 'csirt', 'auditor')`)
export class RoleRequest extends OrganizationScopedEntity {
  /** the person whose roles change */
  @Index()
  @Column('uuid')
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  @Column({ type: 'varchar', length: 8 })
  change!: RoleChange;

  @Column({ type: 'varchar', length: 32 })
  role!: PrivilegedRole;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column('uuid')
  requestedById!: string;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requested_by_id' })
  requestedBy?: Relation<Staff>;

  @Index()
  @Column({ type: 'varchar', length: 24, default: 'pending' })
  status!: RoleRequestStatus;

  /** the second person's approval (a CISO; another administrator for `ciso`) */
  @Column({ type: 'uuid', nullable: true })
  approvedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  /** `ciso`: when the confirmation came (a sitting CISO, or the first CISO accepting; `closedById` says who) */
  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** who closed it (approved last, rejected, withdrew); null when it expired */
  @Column({ type: 'uuid', nullable: true })
  closedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  rejectionReason!: string | null;

  /** an open request past this moment is expired */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
