import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { LOCALES, type Locale } from '../../common/locale.js';
import { IsCalendarDateTime } from '../../common/validators.js';
import { PageQuery } from '../../common/pagination.js';

/** Which rows of the audit trail: every filter optional, all of them together. */
export class AuditTrailFilterQuery {
  @ApiPropertyOptional({ example: 'staff.*', description: 'exact action code, or a prefix ending in *' })
  @IsOptional()
  @IsString()
  @Length(1, 65)
  @Matches(/^[a-z_.]+\*?$/, { message: 'action must look like "staff.update" or "auth.*"' })
  action?: string;

  @ApiPropertyOptional({ example: 'staff' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(/^[a-z_]+$/, { message: 'entityType must look like "staff" or "policy_version"' })
  entityType?: string;

  @ApiPropertyOptional({ description: 'the record changed (usually a UUID; with entityType: one record’s history)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the staff member who acted' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({
    example: '2026-04-01',
    description:
      'from this day (a date: from the start of that day in Asia/Tokyo, inclusive) or moment (an ISO 8601 date-time; without an offset, in Asia/Tokyo); years 0001–9999',
  })
  @IsOptional()
  @IsString()
  @IsCalendarDateTime()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-03-31',
    description:
      'until this day (a date: to the end of that day in Asia/Tokyo, inclusive) or moment (an ISO 8601 date-time, exclusive; without an offset, in Asia/Tokyo); ' +
      'years 0001–9999. A period that ends before it starts is refused (AUDIT_TRAIL_RANGE_REVERSED, naming `to`)',
  })
  @IsOptional()
  @IsString()
  @IsCalendarDateTime()
  to?: string;
}

/** A page of the audit trail, newest first. */
export class AuditTrailQuery extends IntersectionType(AuditTrailFilterQuery, PageQuery) {}

/** The CSV export: the same filters, and the language of its headers and words. */
export class AuditTrailExportQuery extends AuditTrailFilterQuery {
  @ApiPropertyOptional({ enum: LOCALES, description: "language of the headers and words (default: the reader's language setting, else ja)" })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}
