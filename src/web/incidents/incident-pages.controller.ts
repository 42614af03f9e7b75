import {
  Body,
  Controller,
  Get,
  Header,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Render,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UploadedFiles,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { IncidentAttachmentsService } from '../../incidents/incident-attachments.service.js';
import { IncidentTasksService } from '../../incidents/incident-tasks.service.js';
import { IncidentsService } from '../../incidents/incidents.service.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { flash, FLASH_COOKIE } from '../flash.js';
import { MultipartForm } from '../forms/multipart-form.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { IncidentPageFormFilter, IncidentReportFormFilter } from './incident-form.filter.js';
import {
  IncidentAcknowledgeForm,
  IncidentBoardQuery,
  IncidentReportForm,
  IncidentTaskForm,
  IncidentTaskStatusForm,
  IncidentTimelineForm,
  IncidentTransitionForm,
  tokyoDateTime,
} from './incident-page.dto.js';
import { IncidentPagesService } from './incident-pages.service.js';
import { IncidentAttachmentFormInterceptor, IncidentReportFormInterceptor } from './incident-upload-forms.interceptor.js';

/** the flash message after a report: it names the reference, which the incident's page fills in */
const REPORTED_NOTICE = 'notice.incidentReported';

/**
 * インシデント: the one-minute report (everyone, on a phone too), my reports, the board of the CSIRT
 * and the security office, and an incident's page with its transitions, acknowledgement, tasks,
 * files and timeline. Forms post, then redirect to the incident's page with a message.
 */
@ApiExcludeController()
@Controller('incidents')
export class IncidentPagesController {
  constructor(
    private readonly pages: IncidentPagesService,
    private readonly incidents: IncidentsService,
    private readonly tasks: IncidentTasksService,
    private readonly attachments: IncidentAttachmentsService,
  ) {}

  // fixed paths first, so that `:id` does not capture them

  @Get('new')
  @May(INCIDENTS.report)
  @Render('incident-report')
  reportForm(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.reportForm(actor);
  }

  @Post('new')
  @May(INCIDENTS.report)
  @MultipartForm(IncidentReportFormInterceptor)
  @UseFilters(IncidentReportFormFilter)
  async report(
    @CurrentActor() actor: Actor,
    @Body() form: IncidentReportForm,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const incident = await this.pages.report(actor, form, files ?? []);
    flash(res, REPORTED_NOTICE);
    res.redirect(303, `/incidents/${incident.id}`);
  }

  @Get('mine')
  @May(INCIDENTS.read)
  @Render('my-incidents')
  mine(@CurrentActor() actor: Actor, @Query() query: WebPageQuery): Promise<object> {
    return this.pages.mine(actor, query.page);
  }

  @Get()
  @May(INCIDENTS.read_all)
  @Render('incident-board')
  board(@CurrentActor() actor: Actor, @Query() query: IncidentBoardQuery): Promise<object> {
    return this.pages.board(actor, query);
  }

  @Get(':id')
  @May(INCIDENTS.read)
  @Render('incident')
  async show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    const data = (await this.pages.incident(actor, id, localeOf(req))) as { incident: { reference: string } };
    // the message after a report names its reference (a flash carries only a key; the reference is this page's)
    const reported = req.cookies?.[FLASH_COOKIE] === REPORTED_NOTICE;
    return reported ? { ...data, flash: { key: REPORTED_NOTICE, values: { reference: data.incident.reference } } } : data;
  }

  @Post(':id/transitions')
  @May(INCIDENTS.respond)
  @UseFilters(IncidentPageFormFilter)
  async transition(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: IncidentTransitionForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.transition(actor, id, form);
    flash(res, 'notice.incidentTransitioned');
    res.redirect(303, `/incidents/${id}`);
  }

  @Post(':id/acknowledge')
  @May(INCIDENTS.acknowledge)
  @UseFilters(IncidentPageFormFilter)
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: IncidentAcknowledgeForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.acknowledge(actor, id, form.note);
    flash(res, 'notice.incidentAcknowledged');
    res.redirect(303, `/incidents/${id}`);
  }

  @Post(':id/tasks')
  @May(INCIDENTS.respond)
  @UseFilters(IncidentPageFormFilter)
  async addTask(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: IncidentTaskForm, @Res() res: Response): Promise<void> {
    await this.tasks.add(actor, id, { title: form.title, phase: form.phase, assigneeId: form.assigneeId, dueAt: tokyoDateTime(form.dueAt) }, form.formToken);
    flash(res, 'notice.incidentTaskAdded');
    res.redirect(303, `/incidents/${id}#tasks-heading`);
  }

  @Post(':id/tasks/:taskId')
  @May(INCIDENTS.respond)
  @UseFilters(IncidentPageFormFilter)
  async changeTask(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('taskId', ParseUUIDPipe) taskId: string,
    @Body() form: IncidentTaskStatusForm,
    @Res() res: Response,
  ): Promise<void> {
    const task = await this.tasks.update(actor, id, taskId, { status: form.status, note: form.note });
    flash(res, task.status === 'done' ? 'notice.incidentTaskDone' : task.status === 'skipped' ? 'notice.incidentTaskSkipped' : 'notice.incidentTaskReopened');
    res.redirect(303, `/incidents/${id}#tasks-heading`);
  }

  @Post(':id/attachments')
  @May(INCIDENTS.add_attachment)
  @MultipartForm(IncidentAttachmentFormInterceptor)
  @UseFilters(IncidentPageFormFilter)
  async attach(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.attachments.upload(actor, id, file);
    flash(res, 'notice.incidentFileAttached');
    res.redirect(303, `/incidents/${id}#files-heading`);
  }

  @Get(':id/attachments/:attachmentId')
  @May(INCIDENTS.read)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
  ): Promise<StreamableFile> {
    return this.attachments.download(actor, id, attachmentId);
  }

  @Post(':id/timeline')
  @May(INCIDENTS.write_timeline)
  @UseFilters(IncidentPageFormFilter)
  async write(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: IncidentTimelineForm, @Res() res: Response): Promise<void> {
    await this.incidents.addTimelineEntry(
      actor,
      id,
      {
        kind: form.kind,
        text: form.text,
        ...(form.kind === 'contact' && form.contact ? { contact: form.contact } : {}),
      },
      form.formToken,
    );
    flash(res, 'notice.incidentTimelineWritten');
    res.redirect(303, `/incidents/${id}#timeline-heading`);
  }
}
