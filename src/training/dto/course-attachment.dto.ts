import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiResponseSchema, ProblemDocumentView } from '../../common/openapi.js';
import { COURSE_MATERIAL_CONTENT_TYPES } from '../course-material.js';

/** A file of a course's material, without its content or where it is stored. */
export class CourseAttachmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  courseId!: string;

  @ApiProperty({ example: '標的型メール対策.pdf' })
  fileName!: string;

  @ApiProperty({ enum: COURSE_MATERIAL_CONTENT_TYPES, example: 'application/pdf', description: 'as found from the content' })
  contentType!: string;

  @ApiProperty({ type: 'integer', description: 'bytes' })
  size!: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the content (hex)' })
  sha256!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  uploadedById!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ enum: ['database', 'directory'], description: 'where the bytes are kept' })
  storage!: 'database' | 'directory';
}

/**
 * A refused attachment upload: the problem names `file`. No file (VALIDATION_FAILED), an empty file
 * or content that is no accepted kind or named as another kind (ATTACHMENT_REFUSED, with
 * `acceptedExtensions` and, for a name to correct, `expectedExtension`), over the limit
 * (ATTACHMENT_TOO_LARGE, with `maxBytes`).
 */
@ApiResponseSchema({
  name: 'AttachmentProblem',
  description: 'A refused attachment upload: the problem names `file`, and says what the client needs to say why.',
})
export class AttachmentProblemView extends ProblemDocumentView {
  @ApiPropertyOptional({
    enum: ['empty', 'not_accepted', 'misnamed'],
    description: 'ATTACHMENT_REFUSED: why: the file is empty, its content is no accepted kind, or its name says another kind than its content',
  })
  reason?: 'empty' | 'not_accepted' | 'misnamed';

  @ApiPropertyOptional({ type: 'integer', description: 'ATTACHMENT_TOO_LARGE: the largest file accepted, in bytes (500 MB with EVIDENCE_DIR, else 50 MB)' })
  maxBytes?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['.pdf', '.pptx', '.mp4'],
    description: 'ATTACHMENT_REFUSED: the file-name extensions of the accepted kinds',
  })
  acceptedExtensions?: string[];

  @ApiPropertyOptional({
    example: '.pdf',
    description: 'ATTACHMENT_REFUSED when the content is an accepted kind but the name says another: the extension to rename the file to',
  })
  expectedExtension?: string;
}
