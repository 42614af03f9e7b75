import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblem, ApiProblems } from '../common/openapi.js';
import { ListOf, PageOf, type List, type Page } from '../common/pagination.js';
import { ControlCoverageService } from './control-coverage.service.js';
import { ControlEvidenceUploadInterceptor } from './control-evidence.interceptor.js';
import { ControlEvidenceService } from './control-evidence.service.js';
import { CONTROLS } from './controls.permissions.js';
import { ControlsService } from './controls.service.js';
import { ControlCoverageView } from './dto/control-coverage.dto.js';
import { ControlEvidenceUploadDto, EvidenceProblemView, EvidenceView } from './dto/control-evidence.dto.js';
import { ControlView } from './dto/control-view.dto.js';
import { ControlCheckDto, ControlQuery, UpdateControlDto } from './dto/control.dto.js';
import { EVIDENCE_TYPES } from './file-sniffing.js';
import { StatementOfApplicabilityService, XLSX_CONTENT_TYPE } from './statement-of-applicability.service.js';

const CONTROL_NOT_FOUND = { 404: 'No such control (CONTROL_NOT_FOUND)' };

@ApiTags('controls')
@Controller('api/v1/controls')
export class ControlsController {
  constructor(
    private readonly controls: ControlsService,
    private readonly evidence: ControlEvidenceService,
    private readonly coverageReport: ControlCoverageService,
    private readonly soa: StatementOfApplicabilityService,
  ) {}

  // fixed paths first, so that `:id` does not capture them

  @Get('coverage')
  @May(CONTROLS.read)
  @ApiOperation({ summary: 'Implementation by chapter and coverage of ISO/IEC 27001 Annex A and NIST CSF, over active controls' })
  @ApiOkResponse({ type: ControlCoverageView })
  coverage(@CurrentActor() actor: Actor): Promise<ControlCoverageView> {
    return this.coverageReport.coverage(actor);
  }

  @Get('statement-of-applicability.xlsx')
  @May(CONTROLS.export_soa)
  @ApiOperation({ summary: 'Statement of applicability (XLSX): every Annex A control with the Mamori controls that implement it' })
  @ApiFileResponse({ description: 'the workbook, as an attachment (the export is audited)', contentTypes: [XLSX_CONTENT_TYPE] })
  @ApiQuery({ name: 'lang', required: false, enum: ['ja', 'en'], description: 'language of the workbook (default ja)' })
  statementOfApplicability(@CurrentActor() actor: Actor, @Query('lang') lang?: string): Promise<StreamableFile> {
    return this.soa.exportFile(actor, lang === 'en' ? 'en' : 'ja'); // ?lang=ja|en, Japanese by default
  }

  @Get()
  @May(CONTROLS.read)
  @ApiOperation({ summary: 'List controls (filter by chapter, status, owner role or department, framework mapping, essential, text)' })
  @ApiOkResponse({ type: PageOf(ControlView) })
  async list(@CurrentActor() actor: Actor, @Query() query: ControlQuery): Promise<Page<ControlView>> {
    const page = await this.controls.list(actor, query);
    return { ...page, items: page.items.map((control) => ControlView.from(control)) };
  }

  @Get(':id')
  @May(CONTROLS.read)
  @ApiOperation({ summary: 'One control' })
  @ApiOkResponse({ type: ControlView })
  @ApiProblems(CONTROL_NOT_FOUND)
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ControlView> {
    return ControlView.from(await this.controls.get(actor, id));
  }

  @Patch(':id')
  @May(CONTROLS.update_status)
  @ApiOperation({
    summary: 'Change status (not_applicable needs a reason), next check or owner department; a status change sets the next check from the frequency',
  })
  @ApiOkResponse({ type: ControlView })
  @ApiProblems({ ...CONTROL_NOT_FOUND, 409: 'The control is retired (CONTROL_RETIRED)' })
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateControlDto): Promise<ControlView> {
    return ControlView.from(await this.controls.update(actor, id, dto));
  }

  @Post(':id/checks')
  @HttpCode(200)
  @May(CONTROLS.record_check)
  @ApiOperation({ summary: 'Record a check without changing the status (sets lastCheckedAt and the next check)' })
  @ApiOkResponse({ type: ControlView })
  @ApiProblems({ ...CONTROL_NOT_FOUND, 409: 'The control is retired (CONTROL_RETIRED)' })
  async check(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ControlCheckDto): Promise<ControlView> {
    return ControlView.from(await this.controls.recordCheck(actor, id, dto));
  }

  @Post(':id/evidence')
  @May(CONTROLS.add_evidence)
  @UseInterceptors(ControlEvidenceUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, note: { type: 'string' } }, required: ['file'] } })
  @ApiOperation({
    summary: 'Attach an evidence file (PDF, PNG, JPEG, docx/xlsx/pptx, text/CSV; type checked from the content; 413 over EVIDENCE_MAX_BYTES)',
    description:
      'Every refusal names the field `file` and has its own code: no file (400 VALIDATION_FAILED), an empty file (400 EVIDENCE_EMPTY), ' +
      'over the limit (413 EVIDENCE_TOO_LARGE, with `maxBytes`), content of a kind not accepted or named as another kind ' +
      '(415 EVIDENCE_TYPE_NOT_ALLOWED, with `acceptedExtensions`, and `expectedExtension` for a name to correct). ' +
      'The answer names the uploader (`uploadedBy`).',
  })
  @ApiCreatedResponse({ type: EvidenceView })
  @ApiProblems({ ...CONTROL_NOT_FOUND, 409: 'The control is retired (CONTROL_RETIRED)' })
  @ApiProblem(
    400,
    'No file (VALIDATION_FAILED naming `file`), an empty file (EVIDENCE_EMPTY), or an invalid note (VALIDATION_FAILED naming `note`)',
    EvidenceProblemView,
  )
  @ApiProblem(413, 'Larger than EVIDENCE_MAX_BYTES (EVIDENCE_TOO_LARGE, with `maxBytes`)', EvidenceProblemView)
  @ApiProblem(415, 'Not an accepted kind of file judged by its content, or named as another kind (EVIDENCE_TYPE_NOT_ALLOWED)', EvidenceProblemView)
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ControlEvidenceUploadDto,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<EvidenceView> {
    return this.evidence.upload(actor, id, file, dto);
  }

  @Get(':id/evidence')
  @May(CONTROLS.read_evidence)
  @ApiOperation({ summary: "A control's evidence files (without their content), newest first, each with who uploaded it" })
  @ApiOkResponse({ type: ListOf(EvidenceView) })
  @ApiProblems(CONTROL_NOT_FOUND)
  listEvidence(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<List<EvidenceView>> {
    return this.evidence.list(actor, id);
  }

  @Get(':id/evidence/:evidenceId/content')
  @May(CONTROLS.read_evidence)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'Download an evidence file (checked against its SHA-256; the download is audited)' })
  @ApiFileResponse({
    description: 'the file, as an attachment, in the content type found at upload',
    contentTypes: Object.values(EVIDENCE_TYPES).map((kind) => kind.contentType),
  })
  @ApiProblems({ 404: 'No such control, or no such evidence file of it (CONTROL_NOT_FOUND, CONTROL_EVIDENCE_NOT_FOUND)' })
  @ApiProblem(500, 'The stored file is missing or does not match its SHA-256 (EVIDENCE_CONTENT_UNAVAILABLE)')
  content(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('evidenceId', ParseUUIDPipe) evidenceId: string,
  ): Promise<StreamableFile> {
    return this.evidence.downloadFile(actor, id, evidenceId);
  }
}
