import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Policy } from './policy.entity.js';

export const REVIEW_OUTCOMES = ['no_change', 'revise'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** ポリシーの見直し: a dated review of a policy, ending in "no change" or a revision. */
@Entity('policy_reviews')
export class PolicyReview extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  policyId!: string;

  @ManyToOne(() => Policy, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id' })
  policy?: Relation<Policy>;

  /** the approved version that was reviewed (null when none was approved yet) */
  @Column({ type: 'uuid', nullable: true })
  policyVersionId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ReviewOutcome;

  @Column({ type: 'text' })
  notes!: string;

  @Column({ type: 'uuid', nullable: true })
  reviewedById!: string | null;

  @Column({ type: 'timestamptz' })
  reviewedAt!: Date;

  /** the review that was due (null for an unscheduled one) */
  @Column({ type: 'date', nullable: true })
  dueOn!: string | null;
}
