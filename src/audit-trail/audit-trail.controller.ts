import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { AUDIT_TRAIL } from './audit-trail.permissions.js';
import type { Actor } from '../common/actor.js';
import { PageOf, type Page } from '../common/pagination.js';
import { AuditTrailService } from './audit-trail.service.js';
import { AuditTrailEntryView, AuditTrailVerificationView } from './dto/audit-trail-view.dto.js';
import { AuditTrailQuery } from './dto/audit-trail-query.dto.js';

@ApiTags('audit-trail')
@Controller('api/v1/audit-trail')
export class AuditTrailController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @May(AUDIT_TRAIL.read)
  @ApiOperation({ summary: 'The audit trail, newest first; filter by action, entity, actor, time' })
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
