import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LOCALES, type Locale } from '../common/locale.js';

/** An empty field of a GET form means "no filter". */
export const blankToUndefined = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? undefined : value.trim());

/** Query parameters every page accepts: the language switch (read by the locale middleware) and the page. */
export class WebPageQuery {
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;

  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;
}
