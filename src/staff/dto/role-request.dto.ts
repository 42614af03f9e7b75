import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { PRIVILEGED_ROLE_NAMES, type PrivilegedRole } from '../../common/roles.js';
import { ROLE_CHANGES, ROLE_REQUEST_STATUSES, type RoleChange, type RoleRequestStatus } from '../role-request.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const ROLE_MESSAGE = `role must be one of ${PRIVILEGED_ROLE_NAMES.join(', ')} (manager and staff are changed directly with PATCH /api/v1/staff/:id)`;

/** Grant or remove one privileged role of one person. */
export class CreateRoleRequestDto {
  @ApiProperty({ enum: ROLE_CHANGES })
  @IsIn(ROLE_CHANGES, { message: 'change must be grant or revoke' })
  change!: RoleChange;

  @ApiProperty({ enum: PRIVILEGED_ROLE_NAMES, description: 'one privileged role per request' })
  @IsIn(PRIVILEGED_ROLE_NAMES, { message: ROLE_MESSAGE })
  role!: PrivilegedRole;

  @ApiProperty({ minLength: 1, maxLength: 500, example: '4月1日付で情報政策室に異動し、CSIRT の一員となるため' })
  @Transform(trim)
  @IsString()
  @Length(1, 500, { message: 'reason must be 1–500 characters' })
  reason!: string;
}

/** Why a request is refused (or, by the person concerned, declined). */
export class RejectRoleRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: '異動が取り消されたため' })
  @Transform(trim)
  @IsString()
  @Length(1, 500, { message: 'reason must be 1–500 characters' })
  reason!: string;
}

export class RoleRequestQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLE_REQUEST_STATUSES, description: 'as the request shows it (an open request past its time is `expired`)' })
  @IsOptional()
  @IsIn(ROLE_REQUEST_STATUSES)
  status?: RoleRequestStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'the person concerned' })
  @IsOptional()
  @IsUUID()
  staffId?: string;

  @ApiPropertyOptional({ enum: PRIVILEGED_ROLE_NAMES })
  @IsOptional()
  @IsIn(PRIVILEGED_ROLE_NAMES)
  role?: PrivilegedRole;
}
