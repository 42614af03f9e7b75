import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { AUDITS } from './audits.permissions.js';
import { AuditsService } from './audits.service.js';
import { AcceptReportDto, AnswerItemDto, AuditQuery, ChecklistQuery, PlanAuditDto, ReportAuditDto, SignOffDto, UpdateAuditDto } from './dto/audit.dto.js';
import {
  AuditDetailView,
  auditProgressView,
  AuditStartedView,
  AuditSummaryView,
  auditSummaryView,
  AuditView,
  auditView,
  ChecklistItemView,
  checklistItemView,
  SignOffView,
  signOffView,
} from './dto/audit-view.dto.js';

/** Audits and self-inspections (監査・自己点検): the plan, the checklist, answers, sign-offs, the report's steps. */
@ApiTags('audits')
@Controller('api/v1/audits')
export class AuditsController {
  constructor(private readonly audits: AuditsService) {}

  @Get()
  @May(AUDITS.read)
  @ApiOperation({ summary: 'Audits (the office and the CISO: all; an auditor: those they are on; a manager: those of their department), newest first' })
  @ApiOkResponse({ type: PageOf(AuditSummaryView) })
  @ApiProblems({ 400: 'A filter is wrong (VALIDATION_FAILED)' })
  async list(@CurrentActor() actor: Actor, @Query() query: AuditQuery): Promise<Page<AuditSummaryView>> {
    const page = await this.audits.list(actor, query);
    return { ...page, items: page.items.map(auditSummaryView) };
  }

  @Post()
  @May(AUDITS.plan)
  @ApiOperation({ summary: 'Plan an audit or self-inspection: scope, lead auditor and team (never of a department in scope), planned dates' })
  @ApiCreatedResponse({ type: AuditView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED); a department, control or auditor is unknown (AUDIT_LINK_INVALID); an auditor of a department in scope (AUDIT_OWN_DEPARTMENT)',
  })
  async plan(@CurrentActor() actor: Actor, @Body() dto: PlanAuditDto): Promise<AuditView> {
    return auditView(await this.audits.plan(actor, dto));
  }

  @Get(':id')
  @May(AUDITS.read)
  @ApiOperation({ summary: 'One audit with its progress per department (a manager: their department only)' })
  @ApiOkResponse({ type: AuditDetailView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such audit in your scope (AUDIT_NOT_FOUND)' })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<AuditDetailView> {
    const audit = await this.audits.get(actor, id);
    return { ...auditView(audit), progress: auditProgressView(await this.audits.progress(actor, id)) };
  }

  @Patch(':id')
  @May(AUDITS.plan)
  @ApiOperation({ summary: 'Change a planned audit (its scope, team, dates, title)' })
  @ApiOkResponse({ type: AuditView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED, AUDIT_LINK_INVALID, AUDIT_OWN_DEPARTMENT)',
    404: 'No such audit (AUDIT_NOT_FOUND)',
    409: 'Already started (AUDIT_TRANSITION_NOT_ALLOWED)',
  })
  async update(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateAuditDto): Promise<AuditView> {
    return auditView(await this.audits.update(actor, id, dto));
  }

  @Post(':id/start')
  @HttpCode(200)
  @May(AUDITS.start)
  @ApiOperation({ summary: 'Start the audit: its checklist is made, one item per control in scope × department in scope' })
  @ApiOkResponse({ type: AuditStartedView })
  @ApiProblems({
    400: 'The scope holds no control in force (AUDIT_SCOPE_EMPTY)',
    403: 'Neither the security office nor its lead auditor (FORBIDDEN)',
    404: 'No such audit (AUDIT_NOT_FOUND)',
    409: 'Not planned (AUDIT_TRANSITION_NOT_ALLOWED)',
  })
  async start(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<AuditStartedView> {
    const { audit, items } = await this.audits.start(actor, id);
    return { ...auditView(audit), checklistItems: items };
  }

  @Get(':id/checklist')
  @May(AUDITS.read)
  @ApiOperation({ summary: 'The checklist, by control code then department; filter by department, result (or unanswered), chapter, control code' })
  @ApiOkResponse({ type: PageOf(ChecklistItemView) })
  @ApiProblems({ 400: 'A filter is wrong (VALIDATION_FAILED)', 404: 'No such audit in your scope (AUDIT_NOT_FOUND)' })
  async checklist(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() query: ChecklistQuery): Promise<Page<ChecklistItemView>> {
    const page = await this.audits.checklist(actor, id, query);
    return { ...page, items: page.items.map(checklistItemView) };
  }

  @Get(':id/checklist/:itemId')
  @May(AUDITS.read)
  @ApiOperation({ summary: 'One checklist item' })
  @ApiOkResponse({ type: ChecklistItemView })
  @ApiProblems({ 400: 'An id is not a UUID (VALIDATION_FAILED)', 404: 'No such audit or item in your scope (AUDIT_NOT_FOUND, CHECKLIST_ITEM_NOT_FOUND)' })
  async item(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
  ): Promise<ChecklistItemView> {
    return checklistItemView(await this.audits.item(actor, id, itemId));
  }

  @Put(':id/checklist/:itemId')
  @May(AUDITS.answer)
  @ApiOperation({
    summary:
      'Answer an item `{result, note?}` (its team; in a self-inspection, the manager of its department). The same answer again changes nothing; a non-conformity raises one finding',
  })
  @ApiOkResponse({ type: ChecklistItemView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED), or a note is missing (CHECKLIST_NOTE_REQUIRED)',
    403: 'Not on the team, or not your department (FORBIDDEN)',
    404: 'No such audit or item in your scope (AUDIT_NOT_FOUND, CHECKLIST_ITEM_NOT_FOUND)',
    409: 'The audit is not in progress (AUDIT_NOT_IN_PROGRESS), or the item raised a finding and cannot go back (CHECKLIST_ITEM_HAS_FINDING)',
  })
  async answer(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
    @Body() dto: AnswerItemDto,
  ): Promise<ChecklistItemView> {
    return checklistItemView(await this.audits.answer(actor, id, itemId, dto));
  }

  @Post(':id/sign-offs')
  @HttpCode(200)
  @May(AUDITS.sign_off)
  @ApiOperation({ summary: 'Sign off your department’s self-inspection (課長確認) once all its items are answered; signing again changes nothing' })
  @ApiOkResponse({ type: SignOffView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED), or the department is not in the self-inspection (AUDIT_LINK_INVALID)',
    403: 'Not your department, or not a self-inspection (FORBIDDEN)',
    404: 'No such audit in your scope (AUDIT_NOT_FOUND)',
    409: 'Items still open (AUDIT_SIGN_OFF_ITEMS_OPEN), or the audit is not in progress (AUDIT_NOT_IN_PROGRESS)',
  })
  async signOff(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: SignOffDto): Promise<SignOffView> {
    return signOffView(await this.audits.signOff(actor, id, dto));
  }

  @Post(':id/report')
  @HttpCode(200)
  @May(AUDITS.report)
  @ApiOperation({ summary: 'Move the audit to reporting, with the auditors’ notes `{summary?}`: 409 while any item is unanswered' })
  @ApiOkResponse({ type: AuditView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED)',
    403: 'Neither the security office nor the lead auditor (FORBIDDEN)',
    404: 'No such audit (AUDIT_NOT_FOUND)',
    409: 'Items still open (AUDIT_ITEMS_OPEN, with openItems), or not in progress (AUDIT_TRANSITION_NOT_ALLOWED)',
  })
  async report(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: ReportAuditDto): Promise<AuditView> {
    return auditView(await this.audits.report(actor, id, dto));
  }

  @Post(':id/acceptance')
  @HttpCode(200)
  @May(AUDITS.accept)
  @ApiOperation({ summary: 'The CISO accepts the report `{accepted: true}` (the audit closes) or returns it `{accepted: false, note}`' })
  @ApiOkResponse({ type: AuditView })
  @ApiProblems({
    400: 'A field is wrong, or a return without a note (VALIDATION_FAILED)',
    404: 'No such audit (AUDIT_NOT_FOUND)',
    409: 'Not in reporting (AUDIT_TRANSITION_NOT_ALLOWED)',
  })
  async accept(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: AcceptReportDto): Promise<AuditView> {
    return auditView(await this.audits.accept(actor, id, dto));
  }
}
