import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** An internal audit, an audit by an outside body, or a department's self-inspection (DESIGN.md §6). */
export const AUDIT_KINDS = ['internal_audit', 'external_audit', 'self_inspection'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** planned → in_progress (started: the checklist exists) → reporting (every item answered) → closed (the CISO accepted the report). */
export const AUDIT_STATUSES = ['planned', 'in_progress', 'reporting', 'closed'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

/** What an audit checks: controls (by chapter, essential only, or named) in departments. */
export interface AuditScope {
  /** the guideline's chapters 1–9; none = every chapter */
  chapters?: number[];
  /** named controls (with chapters: either) */
  controlIds?: string[];
  /** only the controls marked essential */
  essentialOnly?: boolean;
  /** the departments checked */
  departmentIds: string[];
}

/**
 * An audit (情報セキュリティ監査) or self-inspection (自己点検) of one fiscal year: its scope, lead
 * auditor and team, planned dates and status. Starting it generates its checklist (control ×
 * department); it is reported when every item is answered and closed when the CISO accepts the report.
 */
@Entity('audits')
@Index('uq_audits_reference', ['organizationId', 'reference'], { unique: true })
@Index('ix_audits_fiscal_year', ['organizationId', 'fiscalYear', 'plannedStart'])
@Check('ck_audits_kind', `"kind" IN ('internal_audit', 'external_audit', 'self_inspection')`)
@Check('ck_audits_status', `"status" IN ('planned', 'in_progress', 'reporting', 'closed')`)
@Check('ck_audits_dates', `"planned_end" >= "planned_start"`)
export class Audit extends OrganizationScopedEntity {
  /** AUD-2022-0001, gapless per organisation and fiscal year */
  @Column({ type: 'varchar', length: 20 })
  reference!: string;

  @Column({ type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: AuditKind;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'jsonb' })
  scope!: AuditScope;

  /** the departments of the scope, as a column (a manager finds the audits of their department by it) */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  departmentIds!: string[];

  @Column('uuid')
  leadAuditorId!: string;

  /** the rest of the team (the lead is not repeated) */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  auditorIds!: string[];

  @Column({ type: 'date' })
  plannedStart!: string;

  @Column({ type: 'date' })
  plannedEnd!: string;

  @Column({ type: 'varchar', length: 12, default: 'planned' })
  status!: AuditStatus;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  reportedAt!: Date | null;

  /** the auditors' notes on the whole audit (the report's summary) */
  @Column({ type: 'text', default: '' })
  summary!: string;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acceptedById!: string | null;

  @Column({ type: 'text', nullable: true })
  acceptanceNote!: string | null;

  @Column({ type: 'uuid', nullable: true })
  plannedById!: string | null;
}
