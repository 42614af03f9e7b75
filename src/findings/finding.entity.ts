import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** Where a finding came from (DESIGN.md §6). */
export const FINDING_SOURCES = ['audit', 'incident', 'drill', 'review', 'manual'] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

export const FINDING_SEVERITIES = ['low', 'medium', 'high'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** open → action_planned → in_progress → done → verified | reopened (transitions in findings.service). */
export const FINDING_STATUSES = ['open', 'action_planned', 'in_progress', 'done', 'verified', 'reopened'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * A finding (指摘事項): a non-conformity or observation raised by an audit, a drill, an incident's
 * review or by hand, owned by a department with a due date. Shared by incidents, audits and drills.
 */
@Entity('findings')
@Index('uq_findings_reference', ['organizationId', 'reference'], { unique: true })
@Index('ix_findings_source', ['organizationId', 'source', 'sourceId'])
@Index('ix_findings_status', ['organizationId', 'status', 'dueDate'])
/** findings due in a year, verified on time or not (the indicator of findings closed on time) */
/** findings by due day with what the indicator reads, the list of those late included (made in the migrations: INCLUDE is not TypeORM's) */
@Index('ix_findings_due', { synchronize: false })
@Index('uq_findings_checklist_item', ['checklistItemId'], { unique: true, where: '"checklist_item_id" IS NOT NULL' })
@Check('ck_findings_severity', `"severity" IN ('low', 'medium', 'high')`)
@Check('ck_findings_status', `"status" IN ('open', 'action_planned', 'in_progress', 'done', 'verified', 'reopened')`)
export class Finding extends OrganizationScopedEntity {
  /** FND-2022-0003, gapless per organisation and fiscal year */
  @Column({ type: 'varchar', length: 20 })
  reference!: string;

  @Column({ type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'varchar', length: 12 })
  source!: FindingSource;

  /** the audit, incident, drill or review it came from */
  @Column({ type: 'uuid', nullable: true })
  sourceId!: string | null;

  /** the audit checklist item whose non-conformity raised it (at most one finding per item); sourceId is then the audit */
  @Column({ type: 'uuid', nullable: true })
  checklistItemId!: string | null;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 8 })
  severity!: FindingSeverity;

  @Column({ type: 'uuid', nullable: true })
  ownerDepartmentId!: string | null;

  @Column({ type: 'date' })
  dueDate!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: FindingStatus;

  /** the controls it concerns */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  controlIds!: string[];

  @Column({ type: 'uuid', nullable: true })
  raisedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;
}
