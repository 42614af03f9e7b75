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
import { AnyRole, CurrentActor, Roles } from '../auth/decorators.js';
import type { Actor } from '../common/actor.js';
import type { Page } from '../common/pagination.js';
import { ControlCoverageService, type ControlCoverage } from './control-coverage.service.js';
import { ControlEvidenceUploadInterceptor } from './control-evidence.interceptor.js';
import { ControlEvidenceService, type EvidenceSummary, EVIDENCE_READERS } from './control-evidence.service.js';
import { Control } from './control.entity.js';
import { ControlsService, type PolicySummary } from './controls.service.js';
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
  @AnyRole()
  @ApiOperation({ summary: 'Implementation by chapter and coverage of ISO/IEC 27001 Annex A and NIST CSF, over active controls' })
  coverage(@CurrentActor() actor: Actor): Promise<ControlCoverage> {
    return this.coverageReport.coverage(actor);
  }

  @Get('statement-of-applicability.xlsx')
  @Roles('security_officer', 'ciso', 'auditor', 'admin')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: 'Statement of applicability (XLSX): every Annex A control with the Mamori controls that implement it' })
  statementOfApplicability(@CurrentActor() actor: Actor): Promise<StreamableFile> {
    return this.soa.exportFile(actor);
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'List controls (filter by chapter, status, owner role or department, framework mapping, essential, text)' })
  list(@CurrentActor() actor: Actor, @Query() query: ControlQuery): Promise<Page<Control>> {
    return this.controls.list(actor, query);
  }

  @Get(':id')
  @AnyRole()
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Control> {
    return this.controls.get(actor, id);
  }

  @Patch(':id')
  @Roles('security_officer', 'ciso', 'admin')
  @ApiOperation({
    summary: 'Change status (not_applicable needs a reason), next check or owner department; a status change sets the next check from the frequency',
  })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateControlDto): Promise<Control> {
    return this.controls.update(actor, id, dto);
  }

  @Post(':id/checks')
  @HttpCode(200)
  @Roles('security_officer', 'ciso', 'admin')
  @ApiOperation({ summary: 'Record a check without changing the status (sets lastCheckedAt and the next check)' })
  check(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ControlCheckDto): Promise<Control> {
    return this.controls.recordCheck(actor, id, dto);
  }

  @Post(':id/evidence')
  @Roles('security_officer', 'ciso', 'admin', 'auditor')
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
  @Roles(...EVIDENCE_READERS)
  @ApiOperation({ summary: "A control's evidence files (without their content)" })
  listEvidence(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<{ items: EvidenceSummary[]; total: number }> {
    return this.evidence.list(actor, id);
  }

  @Get(':id/evidence/:evidenceId/content')
  @Roles(...EVIDENCE_READERS)
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

@ApiTags('policies')
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly controls: ControlsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'List policies with their latest version number and status' })
  list(@CurrentActor() actor: Actor): Promise<{ items: PolicySummary[]; total: number }> {
    return this.controls.listPolicies(actor);
  }
}
