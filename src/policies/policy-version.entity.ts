import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Policy } from './policy.entity.js';

export const POLICY_VERSION_STATUSES = ['draft', 'approved', 'superseded'] as const;
export type PolicyVersionStatus = (typeof POLICY_VERSION_STATUSES)[number];

/** One text of a policy: a draft (from `policies/` or written in the app) until the ciso approves it. */
@Entity('policy_versions')
@Index('uq_policy_versions_version', ['organizationId', 'policyId', 'version'], { unique: true })
export class PolicyVersion extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  policyId!: string;

  @ManyToOne(() => Policy, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'policy_id' })
  policy?: Relation<Policy>;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: PolicyVersionStatus;

  /** sha256 (hex) of the canonical front matter and body */
  @Column({ type: 'char', length: 64 })
  contentHash!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'jsonb' })
  frontMatter!: Record<string, unknown>;

  /** line diff against the latest approved (or else latest) version; null for the first version */
  @Column({ type: 'text', nullable: true })
  diff!: string | null;

  /** why the text changed, as the security office wrote it (null for a version loaded from `policies/`) */
  @Column({ type: 'text', nullable: true })
  changeNote!: string | null;

  /** the staff member who wrote this draft in the app (null for a version loaded from `policies/`) */
  @Column({ type: 'uuid', nullable: true })
  draftedBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  /** approval asked every member of staff to acknowledge this version */
  @Column({ type: 'boolean', default: false })
  acknowledgementRequired!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;
}
