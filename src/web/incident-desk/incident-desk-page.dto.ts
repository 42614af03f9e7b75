import { Transform, Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** A text field of a form as sent: surrounding blanks dropped, an empty optional field means "not given". */
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The resident's form (the page's one-time token makes a double-click one report). */
export class ResidentReportForm {
  @Transform(trimmed)
  @IsString()
  @Length(1, 200)
  title!: string;

  @Transform(trimmed)
  @IsString()
  @Length(1, 5000)
  description!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(100)
  name?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(30)
  phone?: string;

  /** the one-time token the page was given (an idempotency key) */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,100}$/)
  formToken!: string;

  /** the organisation's code, when the page was opened for one (a prefecture's shared deployment) */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 64)
  organization?: string;
}

/** The public page's address may name the organisation (`/report?organization=demo-town`). */
export class ResidentReportPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 64)
  organization?: string;
}

/** The figures page's GET form: the fiscal year (default: the current one). */
export class IncidentFiguresPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;
}
