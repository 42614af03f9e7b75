import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { blankToUndefined } from '../web-query.dto.js';

/** An empty field of a form that changes a record means "none". */
const blankToNull = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? null : value.trim());

/** The form that adds a department (on the tree page). */
export class DepartmentCreateForm {
  @Transform(blankToUndefined)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/)
  code!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 200)
  nameEn?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  parentId?: string;
}

/** The form of a department's page: rename, move (parent), head. An empty parent makes it a top-level department. */
export class DepartmentEditForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 200)
  name!: string;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 200)
  nameEn!: string | null;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  parentId!: string | null;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  headId!: string | null;
}
