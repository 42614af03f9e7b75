import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The audit-trail page's GET filter form (and its CSV link); empty fields mean "any". */
export class AuditTrailPageQuery extends WebPageQuery {
  /** the first day (Asia/Tokyo), included */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @IsCalendarDate()
  from?: string;

  /** the last day (Asia/Tokyo), included */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @IsCalendarDate()
  to?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  actorId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 64)
  @Matches(/^[a-z_.]+$/)
  action?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 64)
  @Matches(/^[a-z_]+$/)
  entityType?: string;

  /** one record's history (with entityType), e.g. from a record's page */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 64)
  entityId?: string;
}

/** The filters the page keeps in its links (pagination, CSV), in the order of the form. */
export const PAGE_FILTERS = ['from', 'to', 'actorId', 'action', 'entityType', 'entityId'] as const;
