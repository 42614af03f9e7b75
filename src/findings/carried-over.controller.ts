import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { CarriedOverFindingsService } from './carried-over-findings.service.js';
import { CarriedOverPageView, carriedOverPageView, CarriedOverQueryDto } from './dto/carried-over.dto.js';
import { FINDINGS } from './findings.permissions.js';

/**
 * Findings carried over (繰越し) into a fiscal year. Registered before FindingsController, so that
 * `/findings/carried-over` is not read as `/findings/:id`.
 */
@ApiTags('findings')
@Controller('api/v1/findings/carried-over')
export class CarriedOverController {
  constructor(private readonly carriedOver: CarriedOverFindingsService) {}

  @Get()
  @May(FINDINGS.read)
  @ApiOperation({
    summary:
      'Findings of earlier fiscal years not verified before the fiscal year began (default: the current one), oldest first, with their actions then still open (a manager: their department’s)',
  })
  @ApiOkResponse({ type: CarriedOverPageView })
  @ApiProblems({ 400: 'fiscalYear or paging is wrong (VALIDATION_FAILED)' })
  async list(@CurrentActor() actor: Actor, @Query() query: CarriedOverQueryDto): Promise<CarriedOverPageView> {
    return carriedOverPageView(await this.carriedOver.list(actor, query));
  }
}
