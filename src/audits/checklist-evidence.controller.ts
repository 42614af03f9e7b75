import { Controller, Get, Header, Param, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblem, ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { ControlEvidenceUploadInterceptor } from '../controls/control-evidence.interceptor.js';
import { EvidenceProblemView } from '../controls/dto/control-evidence.dto.js';
import { EVIDENCE_TYPES } from '../controls/file-sniffing.js';
import { uuidParam } from '../staff/uuid-param.js';
import { AUDITS } from './audits.permissions.js';
import { ChecklistEvidenceService } from './checklist-evidence.service.js';
import { ChecklistEvidenceView } from './dto/checklist-evidence-view.dto.js';

const NOT_FOUND = 'No such audit or item in your scope (AUDIT_NOT_FOUND, CHECKLIST_ITEM_NOT_FOUND)';

/** The evidence files of a checklist item (証跡): attached by whoever may answer it while the audit is in progress, read by whoever sees it. */
@ApiTags('audits')
@Controller('api/v1/audits/:id/checklist/:itemId/evidence')
export class ChecklistEvidenceController {
  constructor(private readonly evidence: ChecklistEvidenceService) {}

  @Post()
  @May(AUDITS.answer)
  @UseInterceptors(ControlEvidenceUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({
    summary: 'Attach an evidence file to an item (PDF, PNG, JPEG, docx/xlsx/pptx, text/CSV; the type is judged from the content)',
    description:
      'Whoever may answer the item (its team; in a self-inspection, the manager of its department), while the audit is in progress. ' +
      'Every refusal of the file names `file`: no file (400 VALIDATION_FAILED), an empty file (400 EVIDENCE_EMPTY), ' +
      'over the limit (413 EVIDENCE_TOO_LARGE, with `maxBytes`), content of a kind not accepted or named as another kind ' +
      '(415 EVIDENCE_TYPE_NOT_ALLOWED, with `acceptedExtensions`, and `expectedExtension` for a name to correct).',
  })
  @ApiCreatedResponse({ type: ChecklistEvidenceView })
  @ApiProblems({
    403: 'Not on the team, or not your department (FORBIDDEN)',
    404: NOT_FOUND,
    409: 'The audit is not in progress (AUDIT_NOT_IN_PROGRESS)',
  })
  @ApiProblem(400, 'No file (VALIDATION_FAILED naming `file`), an empty file (EVIDENCE_EMPTY), or an id that is not a UUID', EvidenceProblemView)
  @ApiProblem(413, 'Larger than EVIDENCE_MAX_BYTES (EVIDENCE_TOO_LARGE, with `maxBytes`)', EvidenceProblemView)
  @ApiProblem(415, 'Not an accepted kind of file judged by its content, or named as another kind (EVIDENCE_TYPE_NOT_ALLOWED)', EvidenceProblemView)
  add(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<ChecklistEvidenceView> {
    return this.evidence.add(actor, id, itemId, file);
  }

  @Get()
  @May(AUDITS.read)
  @ApiOperation({ summary: "An item's evidence files (without their content), oldest first, each with who attached it" })
  @ApiOkResponse({ type: ListOf(ChecklistEvidenceView) })
  @ApiProblems({ 400: 'An id is not a UUID (VALIDATION_FAILED)', 404: NOT_FOUND })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
  ): Promise<List<ChecklistEvidenceView>> {
    const items = await this.evidence.list(actor, id, itemId);
    return { items, total: items.length };
  }

  @Get(':evidenceId')
  @May(AUDITS.read)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'Download an evidence file of an item (checked against its SHA-256; the download is audited)' })
  @ApiFileResponse({
    description: 'the file, as an attachment, in the content type found at upload',
    contentTypes: Object.values(EVIDENCE_TYPES).map((kind) => kind.contentType),
  })
  @ApiProblems({
    400: 'An id is not a UUID (VALIDATION_FAILED)',
    404: 'No such audit, item or evidence file in your scope (AUDIT_NOT_FOUND, CHECKLIST_ITEM_NOT_FOUND, CHECKLIST_EVIDENCE_NOT_FOUND)',
  })
  @ApiProblem(500, 'The stored file is missing or does not match its SHA-256 (EVIDENCE_CONTENT_UNAVAILABLE)')
  download(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
    @Param('evidenceId', uuidParam('evidenceId')) evidenceId: string,
  ): Promise<StreamableFile> {
    return this.evidence.downloadFile(actor, id, itemId, evidenceId);
  }
}
