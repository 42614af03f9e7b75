import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res, UploadedFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { sendAttachment } from '../../training/attachment-response.js';
import { CourseAttachmentsService } from '../../training/course-attachments.service.js';
import { CoursesService } from '../../training/courses.service.js';
import { TRAINING } from '../../training/training.permissions.js';
import { flash } from '../flash.js';
import { MultipartForm } from '../forms/multipart-form.js';
import { WebPageQuery } from '../web-query.dto.js';
import { CourseFormErrorFilter } from './course-form.filter.js';
import { AttendanceCsvForm, AttendanceForm, CourseForm, CourseListQuery, ExemptionForm } from './course-page.dto.js';
import { coursePath, CoursePagesService } from './course-pages.service.js';
import { CourseRecordsPagesService } from './course-records-pages.service.js';
import { AttachmentFormInterceptor, AttendanceFormInterceptor } from './course-upload-forms.interceptor.js';

/** 翌年度へ複製: the fiscal year of the copy. */
class RepeatForm {
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;
}

/**
 * 研修の管理: the security office's course pages. `new` is declared before `:id`, so the form is never
 * taken for a course.
 */
@ApiExcludeController()
@Controller('training/courses')
export class CoursePagesController {
  constructor(
    private readonly pages: CoursePagesService,
    private readonly records: CourseRecordsPagesService,
    private readonly courses: CoursesService,
    private readonly attachments: CourseAttachmentsService,
  ) {}

  @Get()
  @May(TRAINING.manage_courses)
  @Render('course-admin-list')
  list(@CurrentActor() actor: Actor, @Query() query: CourseListQuery): Promise<object> {
    return this.pages.list(actor, query);
  }

  @Get('new')
  @May(TRAINING.manage_courses)
  @Render('course-admin-form')
  newCourse(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.newCourse(actor);
  }

  @Post('new')
  @May(TRAINING.manage_courses)
  @UseFilters(CourseFormErrorFilter)
  async create(@CurrentActor() actor: Actor, @Body() form: CourseForm, @Res() res: Response): Promise<void> {
    const course = await this.pages.create(actor, form);
    flash(res, 'notice.courseAdmin_created');
    res.redirect(303, coursePath(course.id));
  }

  @Get(':id')
  @May(TRAINING.manage_courses)
  @Render('course-admin')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.course(actor, id);
  }

  @Get(':id/edit')
  @May(TRAINING.manage_courses)
  @Render('course-admin-form')
  edit(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.editCourse(actor, id);
  }

  @Post(':id/edit')
  @May(TRAINING.manage_courses)
  @UseFilters(CourseFormErrorFilter)
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: CourseForm, @Res() res: Response): Promise<void> {
    await this.pages.update(actor, id, form);
    flash(res, 'notice.courseAdmin_updated');
    res.redirect(303, coursePath(id));
  }

  /** The confirmation: how many people publishing will enrol. */
  @Get(':id/publish')
  @May(TRAINING.publish)
  @Render('course-admin-publish')
  confirmPublish(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.publishing(actor, id);
  }

  @Post(':id/publish')
  @May(TRAINING.publish)
  @UseFilters(CourseFormErrorFilter)
  async publish(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const { enrolled } = await this.courses.publish(actor, id);
    flash(res, 'notice.courseAdmin_published', { enrolled });
    res.redirect(303, coursePath(id));
  }

  @Post(':id/close')
  @May(TRAINING.manage_courses)
  @UseFilters(CourseFormErrorFilter)
  async close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.courses.close(actor, id);
    flash(res, 'notice.courseAdmin_closed');
    res.redirect(303, coursePath(id));
  }

  @Post(':id/repeat')
  @May(TRAINING.manage_courses)
  @UseFilters(CourseFormErrorFilter)
  async repeat(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: RepeatForm, @Res() res: Response): Promise<void> {
    const copy = await this.courses.repeat(actor, id, form.fiscalYear);
    flash(res, 'notice.courseAdmin_repeated');
    res.redirect(303, coursePath(copy.id));
  }

  @Post(':id/attachments')
  @May(TRAINING.manage_courses)
  @MultipartForm(AttachmentFormInterceptor)
  @UseFilters(CourseFormErrorFilter)
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.uploadAttachment(actor, id, file);
    flash(res, 'notice.courseAdmin_attachmentAdded');
    res.redirect(303, `${coursePath(id)}#material`);
  }

  /** The material for a browser session (the API's route needs a Bearer token): any reader of the course. */
  @Get(':id/attachments/:attachmentId')
  @May(TRAINING.read_courses)
  async attachment(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendAttachment(req, res, await this.attachments.open(actor, id, attachmentId));
  }

  @Post(':id/attachments/:attachmentId/delete')
  @May(TRAINING.manage_courses)
  @UseFilters(CourseFormErrorFilter)
  async removeAttachment(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.attachments.remove(actor, id, attachmentId);
    flash(res, 'notice.courseAdmin_attachmentRemoved');
    res.redirect(303, `${coursePath(id)}#material`);
  }

  @Get(':id/exemptions')
  @May(TRAINING.exempt)
  @Render('course-admin-exemptions')
  exemptionsPage(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() query: WebPageQuery): Promise<object> {
    return this.records.exemptionsPage(actor, id, query.page);
  }

  @Post(':id/exemptions')
  @May(TRAINING.exempt)
  @UseFilters(CourseFormErrorFilter)
  async exempt(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: ExemptionForm, @Res() res: Response): Promise<void> {
    const { exempted } = await this.records.exempt(actor, id, form);
    flash(res, form.wholeYear === '1' ? 'notice.courseAdmin_exemptedYear' : 'notice.courseAdmin_exempted', { exempted });
    res.redirect(303, `${coursePath(id)}/exemptions`);
  }

  @Post(':id/exemptions/:enrolmentId/lift')
  @May(TRAINING.exempt)
  @UseFilters(CourseFormErrorFilter)
  async lift(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.records.lift(actor, id, enrolmentId);
    flash(res, 'notice.courseAdmin_exemptionLifted');
    res.redirect(303, `${coursePath(id)}/exemptions`);
  }

  @Get(':id/attendance')
  @May(TRAINING.record_attendance)
  @Render('course-admin-attendance')
  attendancePage(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.records.attendancePage(actor, id);
  }

  @Post(':id/attendance')
  @May(TRAINING.record_attendance)
  @UseFilters(CourseFormErrorFilter)
  async recordAttendance(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: AttendanceForm,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.records.recordPasted(actor, id, form);
    flash(res, 'notice.courseAdmin_attendanceRecorded', { completed: result.completed, already: result.alreadyCompleted });
    res.redirect(303, `${coursePath(id)}/attendance`);
  }

  @Post(':id/attendance.csv')
  @May(TRAINING.record_attendance)
  @MultipartForm(AttendanceFormInterceptor)
  @UseFilters(CourseFormErrorFilter)
  async recordAttendanceCsv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: AttendanceCsvForm,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.records.recordCsv(actor, id, file, form.csvAttendedAt);
    flash(res, 'notice.courseAdmin_attendanceRecorded', { completed: result.completed, already: result.alreadyCompleted });
    res.redirect(303, `${coursePath(id)}/attendance`);
  }
}
