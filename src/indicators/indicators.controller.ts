import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { fiscalYearParam } from '../common/int-param.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import {
  CloseYearDto,
  FiscalYearView,
  IndicatorDetailView,
  IndicatorRecordsQuery,
  IndicatorRowView,
  IndicatorsQuery,
  IndicatorsView,
  ManualValueDto,
  ReopenYearDto,
  YearCloseSummaryView,
} from './dto/indicators.dto.js';
import { FiscalYearsService } from './fiscal-years.service.js';
import { INDICATORS } from './indicators.permissions.js';
import { IndicatorsService } from './indicators.service.js';

/** The plan's indicators per fiscal year, one indicator's detail, manual values. */
@ApiTags('indicators')
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get()
  @May(INDICATORS.read)
  @ApiOperation({
    summary:
      'Every indicator of a fiscal year against its target: computed from the records as they stood at the end of asOf (default today), or entered by hand; a closed year answers from its frozen snapshot',
  })
  @ApiOkResponse({ type: IndicatorsView })
  @ApiProblems({ 400: 'fiscalYear or asOf is wrong (VALIDATION_FAILED)' })
  figures(@CurrentActor() actor: Actor, @Query() query: IndicatorsQuery): Promise<IndicatorsView> {
    return this.indicators.figures(actor, query);
  }

  @Get(':code')
  @May(INDICATORS.read)
  @ApiOperation({ summary: 'One indicator of a fiscal year: its row, its history across years, the records behind it, and (manual) every value entered' })
  @ApiOkResponse({ type: IndicatorDetailView })
  @ApiProblems({ 400: 'fiscalYear, asOf or limit is wrong (VALIDATION_FAILED)', 404: 'No such indicator (INDICATOR_NOT_FOUND)' })
  detail(@CurrentActor() actor: Actor, @Param('code') code: string, @Query() query: IndicatorRecordsQuery): Promise<IndicatorDetailView> {
    return this.indicators.detail(actor, code, query);
  }

  @Put(':code/values/:fy')
  @May(INDICATORS.enter_value)
  @ApiOperation({ summary: 'Enters a manual indicator’s value for a fiscal year with its source note (the entry before stays in the history)' })
  @ApiOkResponse({ type: IndicatorRowView })
  @ApiProblems({
    400: 'A field is wrong: no source note, a figure out of its unit’s range, a day outside the year (VALIDATION_FAILED)',
    404: 'No such indicator (INDICATOR_NOT_FOUND)',
    409: 'The indicator is computed (INDICATOR_COMPUTED), or the year is closed (FISCAL_YEAR_CLOSED)',
  })
  enterValue(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Param('fy', fiscalYearParam('fy')) fy: number,
    @Body() dto: ManualValueDto,
  ): Promise<IndicatorRowView> {
    return this.indicators.enterValue(actor, code, fy, dto);
  }
}

/** Fiscal years and their close. */
@ApiTags('indicators')
@Controller('api/v1/fiscal-years')
export class FiscalYearsController {
  constructor(private readonly years: FiscalYearsService) {}

  @Get()
  @May(INDICATORS.read)
  @ApiOperation({ summary: 'The fiscal years from the plan’s first to the current one, newest first: over or not, the close in force, closes reopened' })
  @ApiOkResponse({ type: ListOf(FiscalYearView) })
  async list(@CurrentActor() actor: Actor): Promise<List<FiscalYearView>> {
    const items = await this.years.list(actor);
    return { items, total: items.length };
  }

  @Post(':fy/close')
  @HttpCode(200)
  @May(INDICATORS.close_year)
  @ApiOperation({
    summary:
      'The CISO closes a fiscal year that is over (a session with the second factor): its indicators are frozen as of today with the audit trail’s head (seq, hash); later changes to its records do not move it',
  })
  @ApiOkResponse({ type: YearCloseSummaryView })
  @ApiProblems({
    400: 'fy is not a fiscal year, or the note is too long (VALIDATION_FAILED)',
    403: 'The session has no second factor (YEAR_CLOSE_REQUIRES_SECOND_FACTOR)',
    409: 'The year is not over (FISCAL_YEAR_NOT_OVER) or is closed already (FISCAL_YEAR_CLOSED)',
  })
  close(@CurrentActor() actor: Actor, @Param('fy', fiscalYearParam('fy')) fy: number, @Body() dto: CloseYearDto): Promise<YearCloseSummaryView> {
    return this.years.close(actor, fy, dto.note);
  }

  @Post(':fy/reopen')
  @HttpCode(200)
  @May(INDICATORS.reopen_year)
  @ApiOperation({ summary: 'The CISO opens a closed year again, with a reason (a session with the second factor); the close stays in the history' })
  @ApiOkResponse({ type: YearCloseSummaryView })
  @ApiProblems({
    400: 'fy is not a fiscal year, or there is no reason (VALIDATION_FAILED)',
    403: 'The session has no second factor (YEAR_CLOSE_REQUIRES_SECOND_FACTOR)',
    409: 'The year is not closed (FISCAL_YEAR_NOT_CLOSED)',
  })
  reopen(@CurrentActor() actor: Actor, @Param('fy', fiscalYearParam('fy')) fy: number, @Body() dto: ReopenYearDto): Promise<YearCloseSummaryView> {
    return this.years.reopen(actor, fy, dto.reason);
  }
}
