import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { CONTROL_STATUSES, FRAMEWORKS, type ControlStatus, type Framework } from '../../controls/control.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The catalogue's GET filter form; empty fields mean "any". */
export class ControlPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined))
  @IsInt()
  @Min(1)
  @Max(9)
  chapter?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(CONTROL_STATUSES)
  status?: ControlStatus;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['true', 'false'])
  essential?: 'true' | 'false';

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(FRAMEWORKS)
  framework?: Framework;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  department?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 100)
  q?: string;
}

/** The status form of a control page. The reason is always sent: an empty one clears it. */
export class ControlStatusForm {
  @IsIn(CONTROL_STATUSES)
  status!: ControlStatus;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsCalendarDate()
  nextCheckDue?: string;
}
