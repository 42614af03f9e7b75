import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '../../common/roles.js';
import { CONTROL_FREQUENCIES, CONTROL_STATUSES, type Control, type ControlMappings, type ControlStatus } from '../control.entity.js';

export class ControlMappingsView {
  @ApiProperty({ type: [String], example: ['A.6.3'], description: 'ISO/IEC 27001:2022 Annex A controls' })
  iso27001!: string[];

  @ApiProperty({ type: [String], example: ['PR.AT-01'], description: 'NIST CSF 2.0 subcategories' })
  nistCsf!: string[];
}

/**
 * A control as the API shows it: the catalogue fields and the status recorded in Mamori, without
 * the sync's internal change-detection hash.
 */
export class ControlView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ example: '5-02' })
  code!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 9, description: "the guideline's standards chapter" })
  chapter!: number;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  titleEn!: string | null;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: String, nullable: true })
  descriptionEn!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'what an auditor asks (監査項目の問い); null when the catalogue gives none' })
  auditQuestion?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  auditQuestionEn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'what shows the control is in place (証跡の例), one per line' })
  evidenceHints?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  evidenceHintsEn?: string | null;

  @ApiProperty({ enum: ROLES })
  ownerRole!: string;

  @ApiProperty({ enum: CONTROL_FREQUENCIES })
  frequency!: string;

  @ApiProperty({ description: 'an essential (必須) control rather than a recommended one' })
  essential!: boolean;

  @ApiProperty({ description: 'the catalogue entry has been checked against the guideline' })
  verified!: boolean;

  @ApiProperty({ type: ControlMappingsView })
  mappings!: ControlMappings;

  @ApiProperty({ enum: CONTROL_STATUSES })
  status!: ControlStatus;

  @ApiProperty({ type: String, nullable: true, description: 'why the status is what it is (required for not_applicable)' })
  statusReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  statusChangedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  statusChangedById!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'last check (a status change counts as one)' })
  lastCheckedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  nextCheckDue!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the department answerable for the control' })
  ownerDepartmentId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'set when the control left the catalogue file' })
  retiredAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;

  static from(control: Control): ControlView {
    return {
      id: control.id,
      organizationId: control.organizationId,
      code: control.code,
      chapter: control.chapter,
      title: control.title,
      titleEn: control.titleEn,
      description: control.description,
      descriptionEn: control.descriptionEn,
      auditQuestion: control.auditQuestion,
      auditQuestionEn: control.auditQuestionEn,
      evidenceHints: control.evidenceHints,
      evidenceHintsEn: control.evidenceHintsEn,
      ownerRole: control.ownerRole,
      frequency: control.frequency,
      essential: control.essential,
      verified: control.verified,
      mappings: control.mappings,
      status: control.status,
      statusReason: control.statusReason,
      statusChangedAt: control.statusChangedAt,
      statusChangedById: control.statusChangedById,
      lastCheckedAt: control.lastCheckedAt,
      nextCheckDue: control.nextCheckDue,
      ownerDepartmentId: control.ownerDepartmentId,
      retiredAt: control.retiredAt,
      createdAt: control.createdAt,
      updatedAt: control.updatedAt,
    };
  }
}
