import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { AUDIT_TRAIL } from './audit-trail.permissions.js';
import type { Actor } from '../common/actor.js';
import type { Page } from '../common/pagination.js';
import { AuditTrailEntry } from './audit-trail-entry.entity.js';
import { AuditTrailService, type VerifyResult } from './audit-trail.service.js';
import { AuditTrailQuery } from './dto/audit-trail-query.dto.js';

@ApiTags('audit-trail')
@Controller('api/v1/audit-trail')
export class AuditTrailController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @May(AUDIT_TRAIL.read)
  @ApiOperation({ summary: 'The audit trail, newest first; filter by action, entity, actor, time' })
  list(@CurrentActor() actor: Actor, @Query() query: AuditTrailQuery): Promise<Page<AuditTrailEntry>> {
    return this.trail.list(actor, query);
  }

  @Get('verify')
  @May(AUDIT_TRAIL.read)
  @ApiOperation({ summary: 'Recompute the hash chain; reports the first broken link' })
  verify(@CurrentActor() actor: Actor): Promise<VerifyResult> {
    return this.trail.verifyAsActor(actor);
  }
}
