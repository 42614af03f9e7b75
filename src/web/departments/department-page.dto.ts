import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { DEPARTMENT_STATES, type DepartmentState } from '../../staff/dto/department.dto.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The tree page's filter: open departments (the default), closed ones, or all. */
export class DepartmentTreeQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(DEPARTMENT_STATES)
  state: DepartmentState = 'open';
}

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
