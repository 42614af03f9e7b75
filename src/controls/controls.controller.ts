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
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import type { Page } from '../common/pagination.js';
import { ControlCoverageService, type ControlCoverage } from './control-coverage.service.js';
import { ControlEvidenceUploadInterceptor } from './control-evidence.interceptor.js';
import { ControlEvidenceService, type EvidenceSummary } from './control-evidence.service.js';
import { CONTROLS } from './controls.permissions.js';
import { Control } from './control.entity.js';
import { ControlsService } from './controls.service.js';
import { ControlEvidenceUploadDto } from './dto/control-evidence.dto.js';
import { ControlCheckDto, ControlQuery, UpdateControlDto } from './dto/control.dto.js';
import { StatementOfApplicabilityService, XLSX_CONTENT_TYPE } from './statement-of-applicability.service.js';

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
  coverage(@CurrentActor() actor: Actor): Promise<ControlCoverage> {
    return this.coverageReport.coverage(actor);
  }

  @Get('statement-of-applicability.xlsx')
  @May(CONTROLS.export_soa)
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: 'Statement of applicability (XLSX): every Annex A control with the Mamori controls that implement it' })
  statementOfApplicability(@CurrentActor() actor: Actor): Promise<StreamableFile> {
    return this.soa.exportFile(actor);
  }

  @Get()
  @May(CONTROLS.read)
  @ApiOperation({ summary: 'List controls (filter by chapter, status, owner role or department, framework mapping, essential, text)' })
  list(@CurrentActor() actor: Actor, @Query() query: ControlQuery): Promise<Page<Control>> {
    return this.controls.list(actor, query);
  }

  @Get(':id')
  @May(CONTROLS.read)
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Control> {
    return this.controls.get(actor, id);
  }

  @Patch(':id')
  @May(CONTROLS.update_status)
  @ApiOperation({
    summary: 'Change status (not_applicable needs a reason), next check or owner department; a status change sets the next check from the frequency',
  })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateControlDto): Promise<Control> {
    return this.controls.update(actor, id, dto);
  }

  @Post(':id/checks')
  @HttpCode(200)
  @May(CONTROLS.record_check)
  @ApiOperation({ summary: 'Record a check without changing the status (sets lastCheckedAt and the next check)' })
  check(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ControlCheckDto): Promise<Control> {
    return this.controls.recordCheck(actor, id, dto);
  }

  @Post(':id/evidence')
  @May(CONTROLS.add_evidence)
  @UseInterceptors(ControlEvidenceUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, note: { type: 'string' } }, required: ['file'] } })
  @ApiOperation({ summary: 'Attach an evidence file (PDF, PNG, JPEG, docx/xlsx/pptx, text/CSV; type checked from the content; 413 over EVIDENCE_MAX_BYTES)' })
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ControlEvidenceUploadDto,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<EvidenceSummary> {
    return this.evidence.upload(actor, id, file, dto);
  }

  @Get(':id/evidence')
  @May(CONTROLS.read_evidence)
  @ApiOperation({ summary: "A control's evidence files (without their content)" })
  listEvidence(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<{ items: EvidenceSummary[]; total: number }> {
    return this.evidence.list(actor, id);
  }

  @Get(':id/evidence/:evidenceId/content')
  @May(CONTROLS.read_evidence)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'Download an evidence file (checked against its SHA-256; the download is audited)' })
  content(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('evidenceId', ParseUUIDPipe) evidenceId: string,
  ): Promise<StreamableFile> {
    return this.evidence.downloadFile(actor, id, evidenceId);
  }
}
