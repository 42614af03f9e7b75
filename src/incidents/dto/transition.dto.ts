import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  NETWORK_ZONES,
  REJECTION_REASONS,
  SEVERITIES,
  type IncidentCategory,
  type IncidentStatus,
  type NetworkZone,
  type RejectionReason,
  type Severity,
} from '../incident.entity.js';

export class PersonalDataDto {
  @ApiProperty()
  @IsBoolean()
  involved!: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  affectedPeople?: number | null;

  @ApiPropertyOptional({ description: '要配慮個人情報' })
  @IsOptional()
  @IsBoolean()
  sensitive?: boolean;

  @ApiPropertyOptional({ description: '特定個人情報 (My Number)' })
  @IsOptional()
  @IsBoolean()
  myNumber?: boolean;

  @ApiPropertyOptional({ description: '財産的被害のおそれ' })
  @IsOptional()
  @IsBoolean()
  financialHarm?: boolean;

  @ApiPropertyOptional({ description: '不正の目的' })
  @IsOptional()
  @IsBoolean()
  unlawfulPurpose?: boolean;

  @ApiPropertyOptional({ description: '条例要配慮個人情報' })
  @IsOptional()
  @IsBoolean()
  ordinanceSensitive?: boolean;
}

export class ClassificationDto {
  @ApiProperty({ enum: ['until_2023', '2024'] })
  @IsIn(['until_2023', '2024'])
  scheme!: 'until_2023' | '2024';

  @ApiProperty({ example: '3B' })
  @IsString()
  @IsIn(['3A', '3B', '3C', '3', '2', '1'])
  confidentiality!: string;

  @ApiProperty({ example: '2' })
  @IsIn(['2', '1'])
  integrity!: string;

  @ApiProperty({ example: '2' })
  @IsIn(['2', '1'])
  availability!: string;
}

export class AffectedSystemDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: NETWORK_ZONES })
  @IsIn(NETWORK_ZONES)
  zone!: NetworkZone;

  @ApiPropertyOptional({ type: ClassificationDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClassificationDto)
  classification?: ClassificationDto | null;
}

/** Validates a field only when it is given: absent is fine, null is refused (what triage sets is never unset). */
const IfGiven = (): PropertyDecorator => ValidateIf((_: unknown, value: unknown) => value !== undefined);

/** A change of the assessment without a change of state (severity, category, personal data, systems, assignee). */
export class AssessmentDto {
  @ApiProperty({ maxLength: 2000, description: 'why (lands on the timeline)' })
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IfGiven()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ enum: INCIDENT_CATEGORIES })
  @IfGiven()
  @IsIn(INCIDENT_CATEGORIES)
  category?: IncidentCategory;

  @ApiPropertyOptional({ type: PersonalDataDto })
  @IfGiven()
  @ValidateNested()
  @Type(() => PersonalDataDto)
  personalData?: PersonalDataDto;

  @ApiPropertyOptional({ type: [AffectedSystemDto] })
  @IfGiven()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AffectedSystemDto)
  affectedSystems?: AffectedSystemDto[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  assigneeId?: string | null;

  @ApiPropertyOptional({ description: 'the incident version the change was made from (409 INCIDENT_VERSION_CONFLICT when changed meanwhile)' })
  @IfGiven()
  @IsInt()
  @Min(1)
  version?: number;
}

/**
 * A transition `{to, reason}`; triage (`to: triaged`) carries the assessment, which may also be
 * changed on later transitions (a raised severity starts a new escalation).
 */
export class TransitionDto extends AssessmentDto {
  @ApiProperty({ enum: INCIDENT_STATUSES })
  @IsIn(INCIDENT_STATUSES)
  to!: IncidentStatus;

  @ApiPropertyOptional({ enum: REJECTION_REASONS, description: 'for `rejected`' })
  @IfGiven()
  @IsIn(REJECTION_REASONS)
  rejectionReason?: RejectionReason;

  @ApiPropertyOptional({ format: 'uuid', description: 'for a duplicate: the original incident' })
  @IfGiven()
  @IsUUID('all')
  duplicateOfId?: string;
}

export class TimelineNoteDto {
  @ApiProperty({ enum: ['note', 'action', 'contact'] })
  @IsIn(['note', 'action', 'contact'])
  kind!: 'note' | 'action' | 'contact';

  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  text!: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'for a contact: whom (the prefecture, the police, a vendor …)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contact?: string;
}
