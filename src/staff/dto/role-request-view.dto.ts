import { ApiProperty } from '@nestjs/swagger';
import { PRIVILEGED_ROLE_NAMES, type PrivilegedRole } from '../../common/roles.js';
import { StaffRef } from './staff-view.dto.js';
import { ROLE_CHANGES, ROLE_REQUEST_STATUSES, type RoleChange, type RoleRequestStatus } from '../role-request.entity.js';

/** A role request as the API shows it. */
export class RoleRequestView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: StaffRef, description: 'the person whose roles change' })
  staff!: StaffRef;

  @ApiProperty({ enum: ROLE_CHANGES })
  change!: RoleChange;

  @ApiProperty({ enum: PRIVILEGED_ROLE_NAMES })
  role!: PrivilegedRole;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ enum: ROLE_REQUEST_STATUSES, description: 'an open request past `expiresAt` shows `expired`' })
  status!: RoleRequestStatus;

  @ApiProperty({ type: String, enum: ['approve', 'confirm'], nullable: true, description: 'what the request waits for; null once closed' })
  nextAction!: 'approve' | 'confirm' | null;

  @ApiProperty({ enum: ['admin', 'ciso'], description: 'who approves: a CISO, or for `ciso` another administrator' })
  approverRole!: 'admin' | 'ciso';

  @ApiProperty({ description: 'open: a confirmation follows the approval (`ciso` granted, or removed while another CISO sits); closed: it was confirmed' })
  confirmationRequired!: boolean;

  @ApiProperty({
    type: String,
    enum: ['ciso', 'person'],
    nullable: true,
    description: 'open: who confirms after the approval, a sitting CISO or (granting the first CISO) the person concerned; closed: who confirmed',
  })
  confirmer!: 'ciso' | 'person' | null;

  @ApiProperty({ type: StaffRef })
  requestedBy!: StaffRef;

  @ApiProperty({ type: String, format: 'date-time' })
  requestedAt!: Date;

  @ApiProperty({ type: StaffRef, nullable: true })
  approvedBy!: StaffRef | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the person concerned confirmed' })
  confirmedAt!: Date | null;

  @ApiProperty({ type: StaffRef, nullable: true, description: 'who closed it: the last approval, the rejection, the withdrawal (null when it expired)' })
  closedBy!: StaffRef | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true })
  rejectionReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}
