import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** Severity (DOMAIN.md "Incident reporting"): L0 event / near miss, L1 minor, L2 significant, L3 severe. */
export const SEVERITIES = ['L0', 'L1', 'L2', 'L3'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What kind of incident it is (triage). */
export const INCIDENT_CATEGORIES = [
  'unauthorised_access',
  'malware',
  'targeted_mail',
  'information_leak',
  'mis_sent_mail',
  'lost_device',
  'web_defacement',
  'denial_of_service',
  'system_failure',
  'insider',
  'other',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** The network zone of a system (DOMAIN.md "Asset classification"). */
export const NETWORK_ZONES = ['my_number', 'lgwan', 'internet', 'cloud', 'unknown'] as const;
export type NetworkZone = (typeof NETWORK_ZONES)[number];

/** Where a report came from: a member of staff (signed in) or a resident (the public page). */
export const INCIDENT_SOURCES = ['staff', 'resident'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** The states of an incident; the transitions between them are in incident-transitions.ts. */
export const INCIDENT_STATUSES = ['reported', 'triaged', 'contained', 'eradicated', 'recovered', 'closed', 'rejected', 'reopened'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Why an incident was rejected. */
export const REJECTION_REASONS = ['not_an_incident', 'duplicate'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Personal data involved, as triage found it; the triggers of the Commission's reports read it. */
export interface PersonalDataInvolvement {
  involved: boolean;
  /** how many people's data */
  affectedPeople: number | null;
  /** 要配慮個人情報 */
  sensitive?: boolean;
  /** 特定個人情報 (My Number) */
  myNumber?: boolean;
  /** 財産的被害のおそれ */
  financialHarm?: boolean;
  /** 不正の目的 (e.g. theft, deliberate leak) */
  unlawfulPurpose?: boolean;
  /** data the town's ordinance marks sensitive (条例要配慮個人情報) */
  ordinanceSensitive?: boolean;
}

/** A C/I/A classification with the scheme it was assessed under (DOMAIN.md "Asset classification"). */
export interface AssetClassification {
  scheme: 'until_2023' | '2024';
  confidentiality: string;
  integrity: string;
  availability: string;
}

export interface AffectedSystem {
  name: string;
  zone: NetworkZone;
  classification?: AssetClassification | null;
}

/**
 * An incident (情報セキュリティインシデント) or near miss (ヒヤリハット). The report fields are the
 * reporter's; triage adds category, severity, systems, personal data and assignee. `reference`
 * (INC-2022-0007) is gapless per organisation and fiscal year of the report.
 */
@Entity('incidents')
@Index('uq_incidents_reference', ['organizationId', 'reference'], { unique: true })
@Index('ix_incidents_board', ['organizationId', 'status', 'severity', 'reportedAt'])
@Index('ix_incidents_fiscal_year', ['organizationId', 'fiscalYear', 'severity'])
@Index('ix_incidents_reporter', ['organizationId', 'reporterId', 'reportedAt'])
@Index('ix_incidents_department', ['organizationId', 'reporterDepartmentId', 'reportedAt'])
/** the board's order, `incident_urgency(status, severity, acknowledged_at)`, with its filter columns: made by its migration (IndexTheIncidentBoardByUrgency) */
@Index('ix_incidents_urgency', { synchronize: false })
@Check('ck_incidents_severity', `"severity" IS NULL OR "severity" IN ('L0', 'L1', 'L2', 'L3')`)
@Check('ck_incidents_status', `"status" IN ('reported', 'triaged', 'contained', 'eradicated', 'recovered', 'closed', 'rejected', 'reopened')`)
export class Incident extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 20 })
  reference!: string;

  /** the fiscal year of the report (Asia/Tokyo) */
  @Column({ type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'varchar', length: 16, default: 'staff' })
  source!: IncidentSource;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  /** when it happened (as the reporter knows it) */
  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  /** when the organisation learnt of it: the report; the Commission's deadlines count from here */
  @Column({ type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ type: 'timestamptz' })
  reportedAt!: Date;

  /** the member of staff who reported it (null for a resident's report) */
  @Column({ type: 'uuid', nullable: true })
  reporterId!: string | null;

  /** the reporter's department when they reported (a manager sees their department's reports) */
  @Column({ type: 'uuid', nullable: true })
  reporterDepartmentId!: string | null;

  /** a resident's contact details (name, e-mail, phone), as they gave them */
  @Column({ type: 'jsonb', nullable: true })
  residentContact!: { name?: string; email?: string; phone?: string } | null;

  /** the department where it happened */
  @Column({ type: 'uuid', nullable: true })
  departmentId!: string | null;

  /** the system the reporter named, in their words */
  @Column({ type: 'varchar', length: 200, nullable: true })
  system!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  networkZone!: NetworkZone | null;

  @Column({ type: 'boolean', default: false })
  nearMiss!: boolean;

  /** the reporter thinks personal data may be involved */
  @Column({ type: 'boolean', default: false })
  personalDataSuspected!: boolean;

  /** the reporter thinks My Number data may be involved */
  @Column({ type: 'boolean', default: false })
  myNumberSuspected!: boolean;

  /** how many people may be affected, as the reporter guesses */
  @Column({ type: 'int', nullable: true })
  affectedPeople!: number | null;

  @Column({ type: 'varchar', length: 16, default: 'reported' })
  status!: IncidentStatus;

  @Column({ type: 'varchar', length: 2, nullable: true })
  severity!: Severity | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  category!: IncidentCategory | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  affectedSystems!: AffectedSystem[];

  @Column({ type: 'jsonb', nullable: true })
  personalData!: PersonalDataInvolvement | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  rejectionReason!: RejectionReason | null;

  /** the original, when rejected as a duplicate */
  @Column({ type: 'uuid', nullable: true })
  duplicateOfId!: string | null;

  /** first acknowledgement (time to acknowledge) */
  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acknowledgedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  triagedAt!: Date | null;

  /** first time contained (time to contain) */
  @Column({ type: 'timestamptz', nullable: true })
  containedAt!: Date | null;

  /** last closed or rejected (time to close) */
  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** bumped by every change: a form's hidden field names the version it was made from */
  @Column({ type: 'int', default: 1 })
  version!: number;
}
