import { Controller, Get, Header, Param, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblem, ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { INCIDENT_ATTACHMENT_CONTENT_TYPES } from './incident-attachment-sniffing.js';
import { IncidentAttachmentUploadInterceptor } from './incident-attachment-upload.interceptor.js';
import { IncidentAttachmentView } from './incident-attachment-view.js';
import { IncidentAttachmentsService } from './incident-attachments.service.js';
import { INCIDENTS } from './incidents.permissions.js';

/** The files of an incident: attached by the reporter (while open) or those who work incidents, read by whoever sees the incident. */
@ApiTags('incidents')
@Controller('api/v1/incidents/:id/attachments')
export class IncidentAttachmentsController {
  constructor(private readonly attachments: IncidentAttachmentsService) {}

  @Post()
  @May(INCIDENTS.add_attachment)
  @UseInterceptors(IncidentAttachmentUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({
    summary:
      'Attach a file: images (PNG, JPEG, GIF, WebP, HEIC), PDF, text, a saved e-mail (.eml), Word/Excel/PowerPoint, ZIP; the type is judged from the content (lands on the timeline)',
    description:
      'The reporter attaches to their own report while it is open; the CSIRT and the security office to any incident. Refusals name `file`: ' +
      'no file (400 VALIDATION_FAILED), empty or not a kept kind or named as another kind (400 INCIDENT_ATTACHMENT_REFUSED, with `reason`, ' +
      '`acceptedExtensions` and, for a name to correct, `expectedExtension`), over EVIDENCE_MAX_BYTES (413 INCIDENT_ATTACHMENT_TOO_LARGE, with `maxBytes`).',
  })
  @ApiCreatedResponse({ type: IncidentAttachmentView })
  @ApiProblems({
    400: 'No file (VALIDATION_FAILED naming `file`), or a file refused (INCIDENT_ATTACHMENT_REFUSED)',
    404: 'No such incident in your scope (INCIDENT_NOT_FOUND)',
    409: 'The reporter’s incident is closed or rejected (INCIDENT_CLOSED)',
  })
  @ApiProblem(413, 'Larger than EVIDENCE_MAX_BYTES (INCIDENT_ATTACHMENT_TOO_LARGE, with `maxBytes`)')
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<IncidentAttachmentView> {
    return this.attachments.upload(actor, id, file);
  }

  @Get()
  @May(INCIDENTS.read)
  @ApiOperation({ summary: "The incident's files (without their content), oldest first" })
  @ApiOkResponse({ type: ListOf(IncidentAttachmentView) })
  @ApiProblems({ 404: 'No such incident in your scope (INCIDENT_NOT_FOUND)' })
  async list(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<List<IncidentAttachmentView>> {
    const items = await this.attachments.list(actor, id);
    return { items, total: items.length };
  }

  @Get(':attachmentId')
  @May(INCIDENTS.read)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'Download a file of the incident (checked against its SHA-256; the download is audited)' })
  @ApiFileResponse({ description: 'the file, as an attachment, in the content type found at upload', contentTypes: INCIDENT_ATTACHMENT_CONTENT_TYPES })
  @ApiProblems({ 404: 'No such incident in your scope, or no such file of it (INCIDENT_NOT_FOUND, INCIDENT_ATTACHMENT_NOT_FOUND)' })
  @ApiProblem(500, 'The stored file is missing or does not match its SHA-256 (EVIDENCE_CONTENT_UNAVAILABLE)')
  download(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('attachmentId', uuidParam('attachmentId')) attachmentId: string,
  ): Promise<StreamableFile> {
    return this.attachments.download(actor, id, attachmentId);
  }
}
