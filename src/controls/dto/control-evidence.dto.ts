import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiResponseSchema, ProblemDocumentView } from '../../common/openapi.js';
import { StaffRef } from '../../staff/dto/staff-view.dto.js';

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

  @ApiProperty({ type: StaffRef, nullable: true, description: 'who uploaded the file (null when Mamori itself did, e.g. a seed)' })
  uploadedBy!: StaffRef | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ enum: ['database', 'directory'], description: 'where the bytes are kept' })
  storage!: 'database' | 'directory';
}

/**
 * A refused evidence upload. Each refusal names the field `file` in `errors` and has its own code:
 * no file (VALIDATION_FAILED), an empty file (EVIDENCE_EMPTY), over the limit (EVIDENCE_TOO_LARGE,
 * with `maxBytes`), content of a kind not accepted or a name that disagrees with the content
 * (EVIDENCE_TYPE_NOT_ALLOWED, with `acceptedExtensions` and, for the name, `expectedExtension`).
 */
@ApiResponseSchema({
  name: 'EvidenceProblem',
  description: 'A refused evidence upload: the problem names `file`; some codes add what the client needs to say why.',
})
export class EvidenceProblemView extends ProblemDocumentView {
  @ApiPropertyOptional({ type: 'integer', description: 'EVIDENCE_TOO_LARGE: the largest file accepted, in bytes (EVIDENCE_MAX_BYTES)' })
  maxBytes?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['.pdf', '.png', '.jpg'],
    description: 'EVIDENCE_TYPE_NOT_ALLOWED: the file-name extensions of the accepted kinds',
  })
  acceptedExtensions?: string[];

  @ApiPropertyOptional({
    example: '.png',
    description: 'EVIDENCE_TYPE_NOT_ALLOWED when the content is an accepted kind but the name says another: the extension to rename the file to',
  })
  expectedExtension?: string;
}
