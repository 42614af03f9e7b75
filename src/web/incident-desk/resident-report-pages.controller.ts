import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientAddressOf } from '../../auth/client-address.js';
import { Public } from '../../common/access.decorators.js';
import { ResidentReportsService } from '../../incidents/resident-reports.service.js';
import { ResidentReportForm, ResidentReportPageQuery } from './incident-desk-page.dto.js';
import { IncidentDeskPagesService } from './incident-desk-pages.service.js';
import { ResidentReceiptCookie } from './resident-receipt.cookie.js';
import { ResidentReportFormFilter } from './resident-report-form.filter.js';

/**
 * 住民の方からの通報: the public page (no sign-in; plain Japanese, English on request; works on a
 * phone). The form carries the CSRF token like every form, and a one-time token that makes a
 * double-click one report; the answer is a redirect to the thank-you page with the acknowledgement
 * number (post/redirect/get).
 */
@ApiExcludeController()
@Controller('report')
export class ResidentReportPagesController {
  constructor(
    private readonly pages: IncidentDeskPagesService,
    private readonly residents: ResidentReportsService,
    private readonly receipts: ResidentReceiptCookie,
  ) {}

  @Get()
  @Public()
  async form(@Query() query: ResidentReportPageQuery, @Res() res: Response): Promise<void> {
    const data = await this.pages.residentForm({ organization: query.organization });
    res.set('Cache-Control', 'no-store');
    res.render('resident-report', data);
  }

  @Post()
  @Public()
  @UseFilters(ResidentReportFormFilter)
  async submit(@Body() form: ResidentReportForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { formToken, organization, ...report } = form;
    const receipt = await this.residents.receive({ organization, report, key: formToken, keyField: 'formToken', clientAddress: clientAddressOf(req) });
    this.receipts.keep(res, receipt);
    // the thank-you page keeps the organisation, so that "another report" goes to the same one
    res.redirect(303, organization ? `/report/received?organization=${encodeURIComponent(organization)}` : '/report/received');
  }

  @Get('received')
  @Public()
  received(@Query() query: ResidentReportPageQuery, @Req() req: Request, @Res() res: Response): void {
    const again = query.organization ? `/report?organization=${encodeURIComponent(query.organization)}` : '/report';
    const receipt = this.receipts.read(req);
    if (!receipt) return res.redirect(303, again);
    res.set('Cache-Control', 'no-store');
    res.render('resident-report-received', { title: 'residentReport.received.title', ...receipt, anotherHref: again });
  }
}
