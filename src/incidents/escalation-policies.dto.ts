import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { Role } from '../common/roles.js';
import {
  ESCALATION_CHANNELS,
  ESCALATION_TRIGGERS,
  type EscalationChannel,
  type EscalationLevel,
  type EscalationPolicy,
  type EscalationTrigger,
} from './escalation-policy.entity.js';

/**
 * The roles a level may name: those who work or answer for incidents (DESIGN.md §2). Not `staff`
 * (everyone), nor `admin` (no incident content) or `auditor`.
 */
export const ESCALATION_ROLES = ['csirt', 'security_officer', 'ciso', 'manager'] as const satisfies readonly Role[];

/** The limits of a policy, one place for the API, the pages and `policies/escalation.yaml`. */
export const ESCALATION_LIMITS = {
  levels: { min: 1, max: 10 },
  /** minutes; decimals allowed (0.05 is 3 seconds), so tests run a climb in seconds */
  timeoutMinutes: { max: 1440 },
  repeat: { min: 1, max: 10 },
  staffPerLevel: 50,
  webhookUrlLength: 500,
} as const;

/** The webhook must be an http(s) address; a host without a dot (a server on the town's network) is allowed. */
export const WEBHOOK_URL_OPTIONS: NonNullable<Parameters<typeof IsUrl>[0]> = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_valid_protocol: true,
  require_tld: false,
};

/** A key: lower-case letters, digits, `-` and `_` (e.g. `l2-significant`). */
export const ESCALATION_KEY = /^[a-z0-9][a-z0-9_-]{0,59}$/;

export class EscalationRecipientsDto {
  @ApiPropertyOptional({ enum: ESCALATION_ROLES, isArray: true, description: 'everyone active holding one of these roles' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ESCALATION_ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'named members of staff' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ESCALATION_LIMITS.staffPerLevel)
  @IsUUID('all', { each: true })
  staffIds?: string[];

  @ApiPropertyOptional({ description: "the head of the reporter's department (its managers when it has no head)" })
  @IsOptional()
  @IsBoolean()
  reporterManager?: boolean;
}

export class EscalationLevelDto {
  @ApiProperty({ type: EscalationRecipientsDto, description: 'at least one recipient: a role, a person or the reporter’s manager' })
  @ValidateNested()
  @Type(() => EscalationRecipientsDto)
  recipients!: EscalationRecipientsDto;

  @ApiProperty({ enum: ESCALATION_CHANNELS, isArray: true, minItems: 1 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ESCALATION_CHANNELS, { each: true })
  channels!: EscalationChannel[];

  @ApiProperty({
    maximum: ESCALATION_LIMITS.timeoutMinutes.max,
    example: 15,
    description: 'minutes without acknowledgement before the next attempt or level: more than 0, decimals allowed (0.05 is 3 seconds)',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(ESCALATION_LIMITS.timeoutMinutes.max)
  timeoutMinutes!: number;

  @ApiProperty({
    minimum: ESCALATION_LIMITS.repeat.min,
    maximum: ESCALATION_LIMITS.repeat.max,
    example: 2,
    description: 'how many times the level is told before climbing',
  })
  @IsInt()
  @Min(ESCALATION_LIMITS.repeat.min)
  @Max(ESCALATION_LIMITS.repeat.max)
  repeat!: number;
}

/** What every policy body may carry, whether it makes or changes one. */
abstract class EscalationPolicyFields {
  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true, example: 'Significant (L2)' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 200)
  nameEn?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: ESCALATION_LIMITS.webhookUrlLength,
    description: 'http(s); required when a level uses the webhook channel',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(ESCALATION_LIMITS.webhookUrlLength)
  @IsUrl(WEBHOOK_URL_OPTIONS, { message: 'webhookUrl must be an http or https address' })
  webhookUrl?: string | null;

  @ApiPropertyOptional({ description: 'an inactive policy is never chosen (default: active)' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** A new policy (the security office). */
export class CreateEscalationPolicyDto extends EscalationPolicyFields {
  @ApiProperty({ maxLength: 60, example: 'l2-significant', description: 'lower-case letters, digits, - and _' })
  @IsString()
  @Matches(ESCALATION_KEY, { message: 'key must be lower-case letters, digits, - and _ (up to 60)' })
  key!: string;

  @ApiProperty({ maxLength: 200, example: '重大（L2）' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ESCALATION_TRIGGERS, isArray: true, description: 'the severities (or untriaged) it is chosen for; one active policy per trigger' })
  @IsArray()
  @ArrayUnique()
  @IsIn(ESCALATION_TRIGGERS, { each: true })
  triggers!: EscalationTrigger[];

  @ApiProperty({ type: [EscalationLevelDto], minItems: ESCALATION_LIMITS.levels.min, maxItems: ESCALATION_LIMITS.levels.max })
  @IsArray()
  @ArrayMinSize(ESCALATION_LIMITS.levels.min)
  @ArrayMaxSize(ESCALATION_LIMITS.levels.max)
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelDto)
  levels!: EscalationLevelDto[];
}

/** A change to a policy: only the fields sent change (the key never does). */
export class UpdateEscalationPolicyDto extends EscalationPolicyFields {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: ESCALATION_TRIGGERS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ESCALATION_TRIGGERS, { each: true })
  triggers?: EscalationTrigger[];

  @ApiPropertyOptional({ type: [EscalationLevelDto], minItems: ESCALATION_LIMITS.levels.min, maxItems: ESCALATION_LIMITS.levels.max })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(ESCALATION_LIMITS.levels.min)
  @ArrayMaxSize(ESCALATION_LIMITS.levels.max)
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelDto)
  levels?: EscalationLevelDto[];
}

// ---------------------------------------------------------------- views

export class EscalationRecipientsView {
  @ApiProperty({ enum: ESCALATION_ROLES, isArray: true })
  roles!: Role[];

  @ApiProperty({ type: [String], format: 'uuid' })
  staffIds!: string[];

  @ApiProperty()
  reporterManager!: boolean;
}

export class EscalationLevelView {
  @ApiProperty({ type: EscalationRecipientsView })
  recipients!: EscalationRecipientsView;

  @ApiProperty({ enum: ESCALATION_CHANNELS, isArray: true })
  channels!: EscalationChannel[];

  @ApiProperty({ example: 15 })
  timeoutMinutes!: number;

  @ApiProperty({ example: 2 })
  repeat!: number;
}

export class EscalationPolicyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'l2-significant' })
  key!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  nameEn!: string | null;

  @ApiProperty({ enum: ESCALATION_TRIGGERS, isArray: true })
  triggers!: EscalationTrigger[];

  @ApiProperty({ type: [EscalationLevelView] })
  levels!: EscalationLevelView[];

  @ApiProperty({ type: String, nullable: true, description: 'the webhook address, to the security office only (others: null; see hasWebhook)' })
  webhookUrl!: string | null;

  @ApiProperty({ description: 'whether a webhook address is set' })
  hasWebhook!: boolean;

  @ApiProperty({
    description: 'bumped by each change of what a climb runs on (levels, triggers, webhook, active); a running climb keeps the revision it started on',
  })
  revision!: number;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** A level as stored: every recipient field present, so that comparing two levels compares what they do. */
export function normalizedLevel(level: {
  recipients: { roles?: readonly string[] | null; staffIds?: readonly string[] | null; reporterManager?: boolean | null };
  channels: readonly string[];
  timeoutMinutes: number;
  repeat: number;
}): EscalationLevel {
  return {
    recipients: {
      roles: [...new Set(level.recipients.roles ?? [])] as Role[],
      staffIds: [...new Set(level.recipients.staffIds ?? [])],
      reporterManager: level.recipients.reporterManager === true,
    },
    channels: ESCALATION_CHANNELS.filter((channel) => level.channels.includes(channel)),
    timeoutMinutes: level.timeoutMinutes,
    repeat: level.repeat,
  };
}

export function escalationPolicyView(policy: EscalationPolicy, showWebhook: boolean): EscalationPolicyView {
  return {
    id: policy.id,
    key: policy.key,
    name: policy.name,
    nameEn: policy.nameEn,
    triggers: policy.triggers,
    levels: policy.levels.map((level) => {
      const normal = normalizedLevel(level);
      return {
        recipients: {
          roles: normal.recipients.roles ?? [],
          staffIds: normal.recipients.staffIds ?? [],
          reporterManager: normal.recipients.reporterManager === true,
        },
        channels: normal.channels,
        timeoutMinutes: normal.timeoutMinutes,
        repeat: normal.repeat,
      };
    }),
    webhookUrl: showWebhook ? policy.webhookUrl : null,
    hasWebhook: policy.webhookUrl !== null,
    revision: policy.revision,
    active: policy.active,
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}
