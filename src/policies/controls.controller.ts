import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor } from '../auth/decorators.js';
import type { Actor } from '../common/actor.js';
import type { Page } from '../common/pagination.js';
import { Control } from './control.entity.js';
import { ControlsService, type PolicySummary } from './controls.service.js';
import { ControlQuery } from './dto/control.dto.js';

@ApiTags('controls')
@Controller('api/v1/controls')
export class ControlsController {
  constructor(private readonly controls: ControlsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'List controls (filter by chapter, status, owner role, framework mapping, essential, text)' })
  list(@CurrentActor() actor: Actor, @Query() query: ControlQuery): Promise<Page<Control>> {
    return this.controls.list(actor, query);
  }

  @Get(':id')
  @AnyRole()
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Control> {
    return this.controls.get(actor, id);
  }
}

@ApiTags('policies')
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly controls: ControlsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'List policies with their latest version number and status' })
  list(@CurrentActor() actor: Actor): Promise<{ items: PolicySummary[]; total: number }> {
    return this.controls.listPolicies(actor);
  }
}
