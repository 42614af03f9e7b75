import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDateTime } from '../../common/validators.js';
import { NETWORK_ZONES, type NetworkZone } from '../incident.entity.js';

/** What a member of staff reports (one minute: only the title and what happened are required). */
export class ReportIncidentDto {
  @ApiProperty({ maxLength: 200, example: '不審なメールの添付ファイルを開いてしまった' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ maxLength: 10000, description: 'what happened, in the reporter’s words' })
  @IsString()
  @Length(1, 10000)
  description!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'when it happened (default: now)' })
  @IsOptional()
  @IsCalendarDateTime()
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'a near miss (ヒヤリハット): nothing was harmed' })
  @IsOptional()
  @IsBoolean()
  nearMiss?: boolean;

  @ApiPropertyOptional({ description: 'personal data may be involved' })
  @IsOptional()
  @IsBoolean()
  personalDataInvolved?: boolean;

  @ApiPropertyOptional({ description: 'My Number (特定個人情報) data may be involved' })
  @IsOptional()
  @IsBoolean()
  myNumberInvolved?: boolean;

  @ApiPropertyOptional({ minimum: 0, description: 'how many people may be affected' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  affectedPeople?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'the system, in the reporter’s words' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  system?: string;

  @ApiPropertyOptional({ type: [String], maxLength: 200, description: 'DESIGN.md §6 spelling: the systems (joined into `system`)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  systems?: string[];

  @ApiPropertyOptional({ enum: NETWORK_ZONES })
  @IsOptional()
  @IsIn(NETWORK_ZONES)
  networkZone?: NetworkZone;

  @ApiPropertyOptional({ format: 'uuid', description: 'where it happened (default: the reporter’s department)' })
  @IsOptional()
  @IsUUID('all')
  departmentId?: string;
}

/** What a resident reports on the public page (no account). */
export class ResidentReportDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  description!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ maxLength: 30 })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}
