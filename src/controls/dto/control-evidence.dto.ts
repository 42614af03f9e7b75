import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The text fields sent beside the `file` of an evidence upload. */
export class ControlEvidenceUploadDto {
  @ApiPropertyOptional({ description: 'what the file shows' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** An evidence file's record, without its content or where it is stored. */
export class EvidenceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  controlId!: string;

  @ApiProperty({ example: '研修記録.pdf' })
  fileName!: string;

  @ApiProperty({ example: 'application/pdf', description: 'as found from the content' })
  contentType!: string;

  @ApiProperty({ type: 'integer', description: 'bytes' })
  size!: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the content (hex): a fingerprint of the file' })
  sha256!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  uploadedById!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ enum: ['database', 'directory'], description: 'where the bytes are kept' })
  storage!: 'database' | 'directory';
}
