import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The report page's GET form: the fiscal year (default the last one that is over). */
export class AnnualReportPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;
}
