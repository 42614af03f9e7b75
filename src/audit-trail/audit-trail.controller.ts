import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { ApiFileResponse } from '../common/openapi.js';
import { AUDIT_TRAIL } from './audit-trail.permissions.js';
import type { Actor } from '../common/actor.js';
import { PageOf, type Page } from '../common/pagination.js';
import { CSV_CONTENT_TYPE } from './audit-trail-csv.js';
import { AuditTrailService } from './audit-trail.service.js';
import { AuditTrailEntryView, AuditTrailVerificationView } from './dto/audit-trail-view.dto.js';
import { AuditTrailExportQuery, AuditTrailQuery } from './dto/audit-trail-query.dto.js';

@ApiTags('audit-trail')
@Controller('api/v1/audit-trail')
export class AuditTrailController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @May(AUDIT_TRAIL.read)
  @ApiOperation({ summary: "The audit trail, newest first, with the actor's name; filter by period, actor, action and record" })
  @ApiOkResponse({ type: PageOf(AuditTrailEntryView) })
  list(@CurrentActor() actor: Actor, @Query() query: AuditTrailQuery): Promise<Page<AuditTrailEntryView>> {
    return this.trail.list(actor, query);
  }

  @Get('verify')
  @May(AUDIT_TRAIL.read)
  @ApiOperation({ summary: 'Recompute the hash chain; reports the first broken link' })
  @ApiOkResponse({ type: AuditTrailVerificationView })
  verify(@CurrentActor() actor: Actor): Promise<AuditTrailVerificationView> {
    return this.trail.verifyAsActor(actor);
  }
}

/** The audit trail as CSV (its own path, `/api/v1/audit-trail.csv`, beside the list). */
@ApiTags('audit-trail')
@Controller('api/v1')
export class AuditTrailExportController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get('audit-trail.csv')
  @May(AUDIT_TRAIL.read)
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The audit trail as CSV (UTF-8 with a byte-order mark), newest first, with the same filters as the list',
    description:
      "Headers and words in Japanese unless `lang=en` (or the reader's language setting is English). The export is recorded in the audit trail " +
      '(`audit_trail.export`, with the filters and the number of rows) and holds the rows up to the moment it starts; it is streamed, so a long period only takes longer.',
  })
  @ApiFileResponse({ description: 'the CSV, as an attachment', contentTypes: [CSV_CONTENT_TYPE] })
  async exportCsv(@CurrentActor() actor: Actor, @Query() query: AuditTrailExportQuery): Promise<StreamableFile> {
    const file = await this.trail.exportCsv(actor, query);
    return new StreamableFile(file.stream, { type: CSV_CONTENT_TYPE, disposition: `attachment; filename="${file.fileName}"` });
  }
}
