import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** Who an external report goes to. */
export const EXTERNAL_RECIPIENTS = ['ppc', 'prefecture', 'ministry', 'police', 'affected_people'] as const;
export type ExternalRecipient = (typeof EXTERNAL_RECIPIENTS)[number];

/** preliminary (速報) and final (確報) reports to the Commission; a notice to anyone else. */
export const EXTERNAL_REPORT_KINDS = ['preliminary', 'final', 'notice'] as const;
export type ExternalReportKind = (typeof EXTERNAL_REPORT_KINDS)[number];

/** What made a report owed (DOMAIN.md "Incident reporting"). */
export const REPORT_TRIGGERS = ['over_100_people', 'sensitive', 'financial_harm', 'unlawful_purpose', 'ordinance_sensitive', 'my_number', 'severity'] as const;
export type ReportTrigger = (typeof REPORT_TRIGGERS)[number];

/**
 * A report owed to an outside body (外部報告) with its deadline counted from detection; recording
 * that it was sent (when, to whom, how) closes it.
 */
@Entity('external_reports')
@Index('uq_external_reports_kind', ['incidentId', 'recipient', 'kind'], { unique: true })
@Index('ix_external_reports_due', ['organizationId', 'dueAt'], { where: 'sent_at IS NULL AND cancelled_at IS NULL' })
export class ExternalReport extends OrganizationScopedEntity {
  @Column('uuid')
  incidentId!: string;

  @Column({ type: 'varchar', length: 20 })
  recipient!: ExternalRecipient;

  @Column({ type: 'varchar', length: 12 })
  kind!: ExternalReportKind;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  triggers!: ReportTrigger[];

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** to whom, as sent (the Commission's form, the prefecture's desk …) */
  @Column({ type: 'varchar', length: 300, nullable: true })
  sentTo!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  sentVia!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'uuid', nullable: true })
  sentById!: string | null;

  /** no longer owed (triage changed and the trigger no longer applies) */
  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}
