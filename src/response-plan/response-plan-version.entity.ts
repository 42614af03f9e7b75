import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

export const RESPONSE_PLAN_VERSION_STATUSES = ['draft', 'approved', 'superseded'] as const;
export type ResponsePlanVersionStatus = (typeof RESPONSE_PLAN_VERSION_STATUSES)[number];

/**
 * One version of the emergency response plan (緊急時対応計画 第N版): the plan's text (plan.md without
 * its front matter) and the scenario revisions it puts in force. A draft (from the files or edited in
 * the app) until the CISO approves it with the second factor; at most one draft per organisation.
 */
@Entity('response_plan_versions')
@Index('uq_response_plan_versions_version', ['organizationId', 'version'], { unique: true })
@Index('uq_response_plan_versions_one_draft', ['organizationId'], { unique: true, where: `"status" = 'draft'` })
@Check('ck_response_plan_versions_status', `"status" IN ('draft', 'approved', 'superseded')`)
export class ResponsePlanVersion extends OrganizationScopedEntity {
  /** 1, 2, … per organisation */
  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: ResponsePlanVersionStatus;

  /** the plan's text (Markdown), plan.md without its front matter */
  @Column({ type: 'text' })
  body!: string;

  /** plan.md's front matter (title, owner, reviewIntervalMonths, …) */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  frontMatter!: Record<string, unknown>;

  /** sha256 (hex) of the body */
  @Column({ type: 'char', length: 64 })
  bodyHash!: string;

  /** sha256 of plan.md (front matter and body) as last loaded by the sync, carried from version to version: the sync changes the draft only when the file changed */
  @Column({ type: 'char', length: 64, nullable: true })
  sourceHash!: string | null;

  /** the scenario revisions this version puts in force: scenario id → revision */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  scenarioRevisions!: Record<string, number>;

  /** why it changed (null for a version loaded from the files) */
  @Column({ type: 'text', nullable: true })
  changeNote!: string | null;

  /** who opened the draft in the app (null when the file sync opened it) */
  @Column({ type: 'uuid', nullable: true })
  draftedBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;

  /** the day the plan is next to be reviewed: set at approval, today + reviewIntervalMonths */
  @Column({ type: 'date', nullable: true })
  nextReviewDue!: string | null;
}
