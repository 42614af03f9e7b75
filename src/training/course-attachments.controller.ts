import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblem, ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { sendAttachment } from './attachment-response.js';
import { CourseAttachmentUploadInterceptor } from './course-attachment-upload.interceptor.js';
import { CourseAttachmentsService } from './course-attachments.service.js';
import { COURSE_MATERIAL_CONTENT_TYPES } from './course-material.js';
import { AttachmentProblemView, CourseAttachmentView } from './dto/course-attachment.dto.js';
import { TRAINING } from './training.permissions.js';

const NOT_FOUND = { 404: 'No such course (a draft, to those who do not write courses), or no such attachment of it (COURSE_NOT_FOUND, ATTACHMENT_NOT_FOUND)' };

/** A course's material (PDF, slides, MP4, pictures), served by Mamori itself for the LGWAN terminals. */
@ApiTags('training')
@Controller('api/v1/training/courses/:id/attachments')
export class CourseAttachmentsController {
  constructor(private readonly attachments: CourseAttachmentsService) {}

  @Post()
  @May(TRAINING.manage_courses)
  @UseInterceptors(CourseAttachmentUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({
    summary:
      'Attach a file of material to a draft or published course (PDF, PowerPoint/Keynote/OpenDocument slides, MP4, PNG, JPEG; type checked from the content)',
    description:
      'The bytes go to PostgreSQL (up to 50 MB) or, when EVIDENCE_DIR is set, to a file of their own there (up to 500 MB). Every refusal names the field `file`: ' +
      'no file (400 VALIDATION_FAILED), an empty file or content of a kind not accepted or named as another kind (400 ATTACHMENT_REFUSED, with `acceptedExtensions` ' +
      'and, for a name to correct, `expectedExtension`), over the limit (413 ATTACHMENT_TOO_LARGE, with `maxBytes`).',
  })
  @ApiCreatedResponse({ type: CourseAttachmentView })
  @ApiProblems({ 404: 'No such course (COURSE_NOT_FOUND)', 409: 'The course is closed (COURSE_NOT_DRAFT)' })
  @ApiProblem(400, 'No file (VALIDATION_FAILED naming `file`), an empty file or one that is not course material (ATTACHMENT_REFUSED)', AttachmentProblemView)
  @ApiProblem(413, 'Larger than the limit (ATTACHMENT_TOO_LARGE, with `maxBytes`)', AttachmentProblemView)
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<CourseAttachmentView> {
    return this.attachments.upload(actor, id, file);
  }

  @Get()
  @May(TRAINING.read_courses)
  @ApiOperation({ summary: "A course's files of material (without their content), in the order they were added" })
  @ApiOkResponse({ type: ListOf(CourseAttachmentView) })
  @ApiProblems({ 404: 'No such course (COURSE_NOT_FOUND)' })
  async list(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<List<CourseAttachmentView>> {
    const items = await this.attachments.list(actor, id);
    return { items, total: items.length };
  }

  @Get(':attachmentId')
  @May(TRAINING.read_courses)
  @ApiOperation({
    summary: 'The file itself: PDF, video and pictures inline, slides as a download; `Range` is honoured (206) so a video can be played and sought',
  })
  @ApiFileResponse({ description: 'the whole file, in the content type found at upload', contentTypes: COURSE_MATERIAL_CONTENT_TYPES })
  @ApiFileResponse({ status: 206, description: 'the byte range asked for (`Content-Range`)', contentTypes: COURSE_MATERIAL_CONTENT_TYPES })
  @ApiResponse({ status: 304, description: 'Not modified: `If-None-Match` named the ETag (the SHA-256 of the bytes, which never change)' })
  @ApiProblems({
    ...NOT_FOUND,
    416: 'The range lies outside the file (ATTACHMENT_RANGE_NOT_SATISFIABLE; `Content-Range: bytes */size`)',
    500: 'The stored file is missing (ATTACHMENT_CONTENT_UNAVAILABLE)',
  })
  async content(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('attachmentId', uuidParam('attachmentId')) attachmentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendAttachment(req, res, await this.attachments.open(actor, id, attachmentId));
  }

  @Delete(':attachmentId')
  @HttpCode(204)
  @May(TRAINING.manage_courses)
  @ApiOperation({ summary: 'Remove a file of material from a draft or published course (audited)' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiProblems({ ...NOT_FOUND, 409: 'The course is closed (COURSE_NOT_DRAFT)' })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('attachmentId', uuidParam('attachmentId')) attachmentId: string,
  ): Promise<void> {
    await this.attachments.remove(actor, id, attachmentId);
  }
}
