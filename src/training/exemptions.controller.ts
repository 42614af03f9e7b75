import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, PageQuery, type Page } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { ExemptDto, ExemptionView, YearExemptionDto, YearExemptionResultView } from './dto/exemption.dto.js';
import { ExemptionsService } from './exemptions.service.js';
import { TRAINING } from './training.permissions.js';

/** 免除: the security office exempts people on long leave or secondment, with a reason; they leave the denominator and are listed. */
@ApiTags('training')
@Controller('api/v1/training')
export class ExemptionsController {
  constructor(private readonly exemptions: ExemptionsService) {}

  @Put('enrolments/:id/exemption')
  @May(TRAINING.exempt)
  @ApiOperation({ summary: 'Exempt someone from a course (long leave, secondment, other) with a reason: the enrolment leaves the denominator' })
  @ApiOkResponse({ type: ExemptionView })
  @ApiProblems({
    404: 'No such enrolment (ENROLMENT_NOT_FOUND)',
    409: 'Already exempt (ALREADY_EXEMPT), completed or withdrawn (ENROLMENT_NOT_OPEN), or the course is not published (COURSE_NOT_PUBLISHED)',
  })
  exempt(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: ExemptDto): Promise<ExemptionView> {
    return this.exemptions.exempt(actor, id, dto);
  }

  @Delete('enrolments/:id/exemption')
  @HttpCode(204)
  @May(TRAINING.exempt)
  @ApiOperation({ summary: 'Lift an exemption: the person owes the course again' })
  @ApiNoContentResponse({ description: 'lifted' })
  @ApiProblems({ 404: 'No such enrolment (ENROLMENT_NOT_FOUND)', 409: 'Not exempt (NOT_EXEMPT), or the course is not published (COURSE_NOT_PUBLISHED)' })
  async unexempt(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.exemptions.unexempt(actor, id);
  }

  @Put('staff/:staffId/exemptions')
  @May(TRAINING.exempt)
  @ApiOperation({
    summary: "Exempt a person from every open enrolment of a fiscal year's published courses (a year's secondment), in one statement",
  })
  @ApiOkResponse({ type: YearExemptionResultView })
  @ApiProblems({ 404: 'No such member of staff (STAFF_NOT_FOUND)' })
  exemptForYear(
    @CurrentActor() actor: Actor,
    @Param('staffId', uuidParam('staffId')) staffId: string,
    @Body() dto: YearExemptionDto,
  ): Promise<YearExemptionResultView> {
    return this.exemptions.exemptForYear(actor, staffId, dto);
  }

  @Get('courses/:id/exemptions')
  @May(TRAINING.exempt)
  @ApiOperation({ summary: 'The exempt people of a course: name, department, kind, reason, who exempted them and when' })
  @ApiOkResponse({ type: PageOf(ExemptionView) })
  @ApiProblems({ 404: 'No such course (COURSE_NOT_FOUND)' })
  list(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() query: PageQuery): Promise<Page<ExemptionView>> {
    return this.exemptions.list(actor, id, query);
  }
}
