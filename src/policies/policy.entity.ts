import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

export const POLICY_KINDS = ['basic_policy', 'standards'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];
export const CLASSIFICATIONS = ['public', 'internal'] as const;

/** A policy document (基本方針, 対策基準) loaded from `policies/*.md`; its text lives in its versions. */
@Entity('policies')
@Index('uq_policies_key', ['organizationId', 'key'], { unique: true })
export class Policy extends OrganizationScopedEntity {
  /** stable key from the front matter `id`, e.g. `basic-policy` */
  @Column({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  titleEn!: string | null;

  @Column({ type: 'varchar', length: 32 })
  ownerRole!: string;

  @Column({ type: 'int' })
  reviewIntervalMonths!: number;

  @Column({ type: 'varchar', length: 32 })
  classification!: string;

  /** when the next review is due: approval (or the last review) plus the interval */
  @Index()
  @Column({ type: 'date', nullable: true })
  nextReviewDue!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastReviewedAt!: Date | null;

  /** a review asked for a revision that has not been approved yet */
  @Column({ type: 'boolean', default: false })
  revisionRequested!: boolean;
}
