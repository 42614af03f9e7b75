import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INCIDENT_TRANSITIONS } from '../incident-transitions.js';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  NETWORK_ZONES,
  REJECTION_REASONS,
  SEVERITIES,
  type AffectedSystem,
  type Incident,
  type IncidentCategory,
  type IncidentSource,
  type IncidentStatus,
  type NetworkZone,
  type PersonalDataInvolvement,
  type RejectionReason,
  type Severity,
} from '../incident.entity.js';
import { AffectedSystemDto, PersonalDataDto } from './transition.dto.js';
import { ExternalReportView } from './external-report.dto.js';

/** An incident as the API shows it (the resident's contact details only to those who work incidents). */
export class IncidentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'INC-2022-0007' })
  reference!: string;

  @ApiProperty({ example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ enum: INCIDENT_SOURCES })
  source!: IncidentSource;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time', description: 'when the organisation learnt of it (the external reports count from here)' })
  detectedAt!: string;

  @ApiProperty({ format: 'date-time' })
  reportedAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reporterId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  departmentId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  system!: string | null;

  @ApiProperty({ enum: NETWORK_ZONES, nullable: true })
  networkZone!: NetworkZone | null;

  @ApiProperty()
  nearMiss!: boolean;

  @ApiProperty()
  personalDataInvolved!: boolean;

  @ApiProperty()
  myNumberInvolved!: boolean;

  @ApiProperty({ type: Number, nullable: true })
  affectedPeople!: number | null;

  @ApiProperty({ enum: INCIDENT_STATUSES })
  status!: IncidentStatus;

  @ApiProperty({ enum: INCIDENT_STATUSES, isArray: true, description: 'where it may go from here' })
  allowedTransitions!: IncidentStatus[];

  @ApiProperty({ enum: SEVERITIES, nullable: true })
  severity!: Severity | null;

  @ApiProperty({ enum: INCIDENT_CATEGORIES, nullable: true })
  category!: IncidentCategory | null;

  @ApiProperty({ type: [AffectedSystemDto] })
  affectedSystems!: AffectedSystem[];

  @ApiProperty({ type: PersonalDataDto, nullable: true })
  personalData!: PersonalDataInvolvement | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ApiProperty({ enum: REJECTION_REASONS, nullable: true })
  rejectionReason!: RejectionReason | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  duplicateOfId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  triagedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  containedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  @ApiProperty({ description: 'send it back as `version` to refuse a change made meanwhile' })
  version!: number;

  @ApiPropertyOptional({ type: Object, nullable: true, description: 'a resident’s contact details (for those who work incidents)' })
  residentContact?: { name?: string; email?: string; phone?: string } | null;

  @ApiPropertyOptional({
    type: [ExternalReportView],
    description: 'the reports it owes to outside bodies, soonest due first (in the detail, for those who read every incident)',
  })
  externalReports?: ExternalReportView[];
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function incidentView(incident: Incident, showContact: boolean): IncidentView {
  return {
    id: incident.id,
    reference: incident.reference,
    fiscalYear: incident.fiscalYear,
    source: incident.source,
    title: incident.title,
    description: incident.description,
    occurredAt: incident.occurredAt.toISOString(),
    detectedAt: incident.detectedAt.toISOString(),
    reportedAt: incident.reportedAt.toISOString(),
    reporterId: incident.reporterId,
    departmentId: incident.departmentId,
    system: incident.system,
    networkZone: incident.networkZone,
    nearMiss: incident.nearMiss,
    personalDataInvolved: incident.personalDataSuspected,
    myNumberInvolved: incident.myNumberSuspected,
    affectedPeople: incident.affectedPeople,
    status: incident.status,
    allowedTransitions: [...INCIDENT_TRANSITIONS[incident.status]],
    severity: incident.severity,
    category: incident.category,
    affectedSystems: incident.affectedSystems,
    personalData: incident.personalData,
    assigneeId: incident.assigneeId,
    rejectionReason: incident.rejectionReason,
    duplicateOfId: incident.duplicateOfId,
    acknowledgedAt: iso(incident.acknowledgedAt),
    triagedAt: iso(incident.triagedAt),
    containedAt: iso(incident.containedAt),
    closedAt: iso(incident.closedAt),
    version: incident.version,
    ...(showContact ? { residentContact: incident.residentContact } : {}),
  };
}

export class TimelineEntryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty()
  kind!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId!: string | null;

  @ApiProperty()
  actorLabel!: string;

  @ApiProperty({ type: String, nullable: true })
  fromStatus!: string | null;

  @ApiProperty({ type: String, nullable: true })
  toStatus!: string | null;

  @ApiProperty({ type: String, nullable: true })
  text!: string | null;

  @ApiProperty({ type: Object })
  data!: Record<string, unknown>;
}
