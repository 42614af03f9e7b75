import { ApiProperty } from '@nestjs/swagger';
import { StaffRef } from '../staff/dto/staff-view.dto.js';

/** A file attached to an incident: its record, never its bytes or where they are kept. */
export class IncidentAttachmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({ example: '不審メール.eml' })
  fileName!: string;

  @ApiProperty({ example: 'message/rfc822', description: 'as found from the content' })
  contentType!: string;

  @ApiProperty({ type: 'integer', description: 'bytes' })
  size!: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the content (hex)' })
  sha256!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  uploadedById!: string | null;

  @ApiProperty({ type: StaffRef, nullable: true, description: 'who attached it' })
  uploadedBy!: StaffRef | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}
