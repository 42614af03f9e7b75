import { Body, Controller, Headers, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientAddressOf } from '../auth/client-address.js';
import { withRetryAfter } from '../auth/retry-after.js';
import { Public } from '../common/access.decorators.js';
import { ApiProblems } from '../common/openapi.js';
import { PublicIncidentReportDto, ResidentAcknowledgementView } from './resident-reports.dto.js';
import { ResidentReportsService } from './resident-reports.service.js';

/** Residents' reports (住民からの通報): open to anyone, limited per client address, answered with an acknowledgement number. */
@ApiTags('incidents')
@Controller('api/v1/public/incident-reports')
export class ResidentReportsController {
  constructor(private readonly residents: ResidentReportsService) {}

  @Post()
  @Public()
  @ApiOperation({
    summary:
      'A resident reports something (no account): 201 with an acknowledgement number (not the internal reference). With an Idempotency-Key, a retried submission answers 200 with the first acknowledgement (header Idempotent-Replayed: true) and is not counted against the limit',
    description:
      'Limited per client address (IPv6: per /64) to RESIDENT_REPORTS_PER_HOUR reports an hour (default 5). Name, e-mail and phone are optional; only the security office and the CSIRT see them.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'any unique string per report (e.g. a UUID); 1–200 visible ASCII characters' })
  @ApiCreatedResponse({ type: ResidentAcknowledgementView })
  @ApiOkResponse({ type: ResidentAcknowledgementView, description: 'the same key was sent before from the same address: the first acknowledgement' })
  @ApiProblems({
    400: 'A field is missing or wrong (VALIDATION_FAILED, IDEMPOTENCY_KEY_INVALID), or no such organisation (RESIDENT_REPORT_ORGANIZATION_UNKNOWN)',
    422: 'The Idempotency-Key was used for another report (IDEMPOTENCY_KEY_REUSED)',
    429: 'Too many reports from this address (RESIDENT_REPORT_RATE_LIMITED, with Retry-After and retryAfterSeconds)',
  })
  async report(
    @Body() dto: PublicIncidentReportDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResidentAcknowledgementView> {
    const { organization, ...report } = dto;
    const receipt = await withRetryAfter(res, this.residents.receive({ organization, report, key: idempotencyKey, clientAddress: clientAddressOf(req) }));
    if (!receipt.created) {
      res.status(200);
      res.setHeader('Idempotent-Replayed', 'true');
    }
    return { acknowledgementNumber: receipt.acknowledgementNumber, receivedAt: receipt.receivedAt.toISOString() };
  }
}
