import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PRIVILEGED_ROLE_NAMES, type PrivilegedRole } from '../../common/roles.js';
import { ROLE_CHANGES, ROLE_REQUEST_STATUSES, type RoleChange, type RoleRequestStatus } from '../../staff/role-request.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The list's GET filter: one status, or any. */
export class RoleRequestListQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(ROLE_REQUEST_STATUSES)
  status?: RoleRequestStatus;
}

/** The new request's page names the person it is about (the staff page links here). */
export class NewRoleRequestQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  staffId?: string;
}

/** The form that asks for one privileged role of one person to be granted or removed. */
export class RoleRequestForm {
  @IsUUID()
  staffId!: string;

  @Transform(blankToUndefined)
  @IsIn(ROLE_CHANGES)
  change!: RoleChange;

  @Transform(blankToUndefined)
  @IsIn(PRIVILEGED_ROLE_NAMES)
  role!: PrivilegedRole;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** Why the request is rejected (or, by the person who was to be the first CISO, declined). */
export class RoleRequestRejectForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 500)
  reason!: string;
}
