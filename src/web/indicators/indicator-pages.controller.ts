import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { FiscalYearsService } from '../../indicators/fiscal-years.service.js';
import { IndicatorsService } from '../../indicators/indicators.service.js';
import { INDICATORS } from '../../indicators/indicators.permissions.js';
import { flash, type NoticeKey } from '../flash.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { IndicatorPageFormFilter } from './indicator-form.filter.js';
import { IndicatorValueForm, IndicatorYearQuery, YearCloseForm, YearReopenForm } from './indicator-page.dto.js';
import { indicatorPath, IndicatorPagesService } from './indicator-pages.service.js';

/** The notice after a close or reopening, naming the year both ways: 令和4年度（2022年度）(令和元年度 for 2019, 平成 before). */
function yearNotice(what: 'closed' | 'reopened', fiscalYear: number): [NoticeKey, Record<string, number>] {
  if (fiscalYear === 2019) return [`notice.fiscalYears_${what}First`, { year: fiscalYear }];
  if (fiscalYear < 2019) return [`notice.fiscalYears_${what}Heisei`, { era: fiscalYear - 1988, year: fiscalYear }];
  return [`notice.fiscalYears_${what}`, { era: fiscalYear - 2018, year: fiscalYear }];
}

/**
 * 指標: the dashboard of a fiscal year (the home of the security office and the CISO), an
 * indicator's page with the form for a value entered by hand, and the fiscal years with the CISO's
 * close and reopen forms. The forms work without JavaScript (post, then back to the page).
 */
@ApiExcludeController()
@Controller()
export class IndicatorPagesController {
  constructor(
    private readonly pages: IndicatorPagesService,
    private readonly indicators: IndicatorsService,
    private readonly fiscalYears: FiscalYearsService,
  ) {}

  @Get('dashboard')
  @May(INDICATORS.read)
  @Render('indicator-dashboard')
  dashboard(@CurrentActor() actor: Actor, @Query() query: IndicatorYearQuery, @Req() req: Request): Promise<object> {
    return this.pages.dashboard(actor, query, localeOf(req));
  }

  @Get('indicators/:code')
  @May(INDICATORS.read)
  @Render('indicator-detail')
  detail(@CurrentActor() actor: Actor, @Param('code') code: string, @Query() query: IndicatorYearQuery, @Req() req: Request): Promise<object> {
    return this.pages.detail(actor, code, query, localeOf(req));
  }

  /** 値を入力する: a manual indicator's value for the year, with where it comes from. */
  @Post('indicators/:code/values/:fy')
  @May(INDICATORS.enter_value)
  @UseFilters(IndicatorPageFormFilter)
  async enterValue(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Param('fy', ParseIntPipe) fiscalYear: number,
    @Body() form: IndicatorValueForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.indicators.enterValue(actor, code, fiscalYear, { value: Number(form.value), sourceNote: form.sourceNote, measuredOn: form.measuredOn });
    flash(res, 'notice.indicators_valueEntered');
    res.redirect(303, `${indicatorPath(code, fiscalYear)}#entries-heading`);
  }

  @Get('fiscal-years')
  @May(INDICATORS.read)
  @Render('fiscal-years')
  years(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.years(actor);
  }

  @Post('fiscal-years/:fy/close')
  @May(INDICATORS.close_year)
  @UseFilters(IndicatorPageFormFilter)
  async close(@CurrentActor() actor: Actor, @Param('fy', ParseIntPipe) fiscalYear: number, @Body() form: YearCloseForm, @Res() res: Response): Promise<void> {
    await this.fiscalYears.close(actor, fiscalYear, form.note);
    flash(res, ...yearNotice('closed', fiscalYear));
    res.redirect(303, `/fiscal-years#year-${fiscalYear}`);
  }

  @Post('fiscal-years/:fy/reopen')
  @May(INDICATORS.reopen_year)
  @UseFilters(IndicatorPageFormFilter)
  async reopen(@CurrentActor() actor: Actor, @Param('fy', ParseIntPipe) fiscalYear: number, @Body() form: YearReopenForm, @Res() res: Response): Promise<void> {
    await this.fiscalYears.reopen(actor, fiscalYear, form.reason);
    flash(res, ...yearNotice('reopened', fiscalYear));
    res.redirect(303, `/fiscal-years#year-${fiscalYear}`);
  }
}
