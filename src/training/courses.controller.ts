import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { may } from '../common/permissions.js';
import { uuidParam } from '../staff/uuid-param.js';
import { CoursesService } from './courses.service.js';
import { CourseQuery, CreateCourseDto, RepeatCourseDto, UpdateCourseDto } from './dto/course.dto.js';
import { courseView, CourseView, PublishResultView } from './dto/course-view.dto.js';
import { TRAINING } from './training.permissions.js';

/** Courses of the fiscal years: written, published to their audience, repeated, closed. */
@ApiTags('training')
@Controller('api/v1/training/courses')
export class CoursesController {
  constructor(private readonly courses: CoursesService) {}

  @Get()
  @May(TRAINING.read_courses)
  @ApiOperation({ summary: 'Courses, newest fiscal year first (drafts only for the security office)' })
  @ApiOkResponse({ type: PageOf(CourseView) })
  async list(@CurrentActor() actor: Actor, @Query() query: CourseQuery): Promise<Page<CourseView>> {
    const page = await this.courses.list(actor, query);
    const answers = may(actor, TRAINING.manage_courses);
    return { ...page, items: page.items.map((item) => courseView(item, answers)) };
  }

  @Post()
  @May(TRAINING.manage_courses)
  @ApiOperation({ summary: 'Write a course (a draft until published)' })
  @ApiCreatedResponse({ type: CourseView })
  @ApiProblems({
    400: 'A field is missing or wrong (VALIDATION_FAILED), the audience names nobody (COURSE_AUDIENCE_EMPTY) or an unknown department (COURSE_DEPARTMENT_UNKNOWN), the dates are out of order (COURSE_DATES_OUT_OF_ORDER), the quiz is not well formed (COURSE_QUIZ_INVALID), the follow-up course is wrong (COURSE_FOLLOW_UP_INVALID)',
  })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateCourseDto): Promise<CourseView> {
    return courseView({ course: await this.courses.create(actor, dto), enrolled: 0, completed: 0, exempt: 0 }, true);
  }

  @Get(':id')
  @May(TRAINING.read_courses)
  @ApiOperation({ summary: 'One course with its counts' })
  @ApiOkResponse({ type: CourseView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such course (COURSE_NOT_FOUND)' })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<CourseView> {
    return courseView(await this.courses.get(actor, id), may(actor, TRAINING.manage_courses));
  }

  @Patch(':id')
  @May(TRAINING.manage_courses)
  @ApiOperation({
    summary: 'Change a course: anything while a draft; a published one keeps its fiscal year, kind and audience, and a new statement gets a new version',
  })
  @ApiOkResponse({ type: CourseView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED, COURSE_AUDIENCE_EMPTY, COURSE_DEPARTMENT_UNKNOWN, COURSE_DATES_OUT_OF_ORDER, COURSE_QUIZ_INVALID, COURSE_FOLLOW_UP_INVALID)',
    404: 'No such course (COURSE_NOT_FOUND)',
    409: 'Closed, or a published course’s fixed field (COURSE_NOT_DRAFT)',
  })
  async update(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateCourseDto): Promise<CourseView> {
    await this.courses.update(actor, id, dto);
    return courseView(await this.courses.get(actor, id), true);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @May(TRAINING.publish)
  @ApiOperation({ summary: 'Publish a draft: enrol its whole audience (active staff) in one statement and tell them' })
  @ApiOkResponse({ type: PublishResultView })
  @ApiProblems({ 404: 'No such course (COURSE_NOT_FOUND)', 409: 'Already published or closed (COURSE_NOT_DRAFT)' })
  async publish(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<PublishResultView> {
    const result = await this.courses.publish(actor, id);
    return { course: courseView({ course: result.course, enrolled: result.enrolled, completed: 0, exempt: 0 }, true), enrolled: result.enrolled };
  }

  @Post(':id/close')
  @HttpCode(200)
  @May(TRAINING.manage_courses)
  @ApiOperation({ summary: 'Close a published course (no more enrolment; what was done stays)' })
  @ApiOkResponse({ type: CourseView })
  @ApiProblems({ 404: 'No such course (COURSE_NOT_FOUND)', 409: 'Not published (COURSE_NOT_PUBLISHED)' })
  async close(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<CourseView> {
    await this.courses.close(actor, id);
    return courseView(await this.courses.get(actor, id), true);
  }

  @Post(':id/repeat')
  @May(TRAINING.manage_courses)
  @ApiOperation({ summary: 'Repeat a course into another fiscal year from itself as a template (a draft, dates moved by the years between)' })
  @ApiCreatedResponse({ type: CourseView })
  @ApiProblems({
    400: 'fiscalYear is wrong (VALIDATION_FAILED)',
    404: 'No such course (COURSE_NOT_FOUND)',
    409: 'Already repeated into that year (COURSE_REPEAT_EXISTS)',
  })
  async repeat(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: RepeatCourseDto): Promise<CourseView> {
    return courseView({ course: await this.courses.repeat(actor, id, dto.fiscalYear), enrolled: 0, completed: 0, exempt: 0 }, true);
  }
}
