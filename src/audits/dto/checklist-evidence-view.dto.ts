import { ApiProperty } from '@nestjs/swagger';
import { StaffRef } from '../../staff/dto/staff-view.dto.js';

/** An evidence file of a checklist item: its record, without its content or where it is stored. */
export class ChecklistEvidenceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  auditId!: string;

  @ApiProperty({ format: 'uuid' })
  checklistItemId!: string;

  @ApiProperty({ example: '入退室管理簿.pdf' })
  fileName!: string;

  @ApiProperty({ example: 'application/pdf', description: 'as found from the content' })
  contentType!: string;

  @ApiProperty({ type: 'integer', description: 'bytes' })
  size!: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the content (hex): a fingerprint of the file' })
  sha256!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  uploadedById!: string | null;

  @ApiProperty({ type: StaffRef, nullable: true, description: 'who attached the file (null when Mamori itself did, e.g. the demo data)' })
  uploadedBy!: StaffRef | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}
