import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { CreateRoleRequestDto, RejectRoleRequestDto, RoleRequestQuery } from './dto/role-request.dto.js';
import { RoleRequestView } from './dto/role-request-view.dto.js';
import { ROLE_REQUESTS } from './role-requests.permissions.js';
import { RoleRequestsService } from './role-requests.service.js';
import { uuidParam } from './uuid-param.js';

const NOT_FOUND = 'No such role request, or not one the caller may see (ROLE_REQUEST_NOT_FOUND)';
const CLOSED = 'Not at a step where this can be done (ROLE_REQUEST_TRANSITION_NOT_ALLOWED, with `requestStatus`), or expired now (ROLE_REQUEST_EXPIRED)';

/**
 * Role requests: a privileged role (admin, ciso, security_officer, csirt, auditor) is granted or
 * removed only when a second person approves (role-request-rules.ts).
 */
@ApiTags('staff')
@Controller('api/v1')
export class RoleRequestsController {
  constructor(private readonly requests: RoleRequestsService) {}

  @Post('staff/:id/role-requests')
  @May(ROLE_REQUESTS.request)
  @ApiOperation({
    summary: 'Request that a privileged role of someone else be granted or removed; applied when it is approved',
    description: 'One role per request, with a reason; it expires after 7 days. 403 STAFF_OWN_ROLES for a request about oneself.',
  })
  @ApiCreatedResponse({ type: RoleRequestView })
  @ApiProblems({
    404: 'No such staff member (STAFF_NOT_FOUND)',
    409: 'Already holds / does not hold the role (ROLE_REQUEST_NO_CHANGE), an open request exists (ROLE_REQUEST_OPEN_EXISTS), or the person has retired',
  })
  request(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: CreateRoleRequestDto): Promise<RoleRequestView> {
    return this.requests.request(actor, id, dto);
  }

  @Get('role-requests')
  @May(ROLE_REQUESTS.read)
  @ApiOperation({ summary: 'List role requests, newest first (the office sees all, anyone else those about them); filter by status, staffId, role' })
  @ApiOkResponse({ type: PageOf(RoleRequestView) })
  list(@CurrentActor() actor: Actor, @Query() query: RoleRequestQuery): Promise<Page<RoleRequestView>> {
    return this.requests.list(actor, query);
  }

  @Get('role-requests/:id')
  @May(ROLE_REQUESTS.read)
  @ApiOperation({ summary: 'One role request' })
  @ApiOkResponse({ type: RoleRequestView })
  @ApiProblems({ 404: NOT_FOUND })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<RoleRequestView> {
    return this.requests.get(actor, id);
  }

  @Post('role-requests/:id/approve')
  @HttpCode(200)
  @May(ROLE_REQUESTS.approve)
  @ApiOperation({
    summary: 'Approve: a CISO, or for ciso another administrator, with a second factor',
    description:
      '403 ROLE_REQUEST_OWN for a request the caller made or one about them; 403 ROLE_REQUEST_APPROVER_ROLE (with `requiredRoles`) when another role decides it. ' +
      'Applied at once, or (ciso) then awaits the confirmation of a sitting CISO (granting the first CISO: of the person concerned). ' +
      '409 ROLE_REQUEST_TARGET_RETIRED for a grant to a retired person.',
  })
  @ApiOkResponse({ type: RoleRequestView })
  @ApiProblems({
    404: NOT_FOUND,
    409: `${CLOSED}; removing the last administrator (ROLE_REQUEST_LAST_ADMIN)`,
  })
  approve(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<RoleRequestView> {
    return this.requests.approve(actor, id);
  }

  @Post('role-requests/:id/confirm')
  @HttpCode(200)
  @May(ROLE_REQUESTS.confirm)
  @ApiOperation({
    summary: 'A sitting CISO confirms an approved ciso request (granting the first CISO: the person accepts); the change applies',
    description:
      '403 ROLE_REQUEST_OWN for the requester or the person concerned (unless the confirmation is theirs); 403 ROLE_REQUEST_NOT_CONCERNED for anyone else. ' +
      '409 ROLE_REQUEST_TARGET_RETIRED for a grant to a retired person.',
  })
  @ApiOkResponse({ type: RoleRequestView })
  @ApiProblems({ 404: NOT_FOUND, 409: CLOSED })
  confirm(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<RoleRequestView> {
    return this.requests.confirm(actor, id);
  }

  @Post('role-requests/:id/reject')
  @HttpCode(200)
  @May(ROLE_REQUESTS.reject)
  @ApiOperation({
    summary: 'Reject with a reason (whoever would approve or confirm; the person concerned declines when the confirmation is theirs)',
    description: "403 ROLE_REQUEST_OWN, ROLE_REQUEST_APPROVER_ROLE or ROLE_REQUEST_NOT_CONCERNED when it is not the caller's step.",
  })
  @ApiOkResponse({ type: RoleRequestView })
  @ApiProblems({ 404: NOT_FOUND, 409: CLOSED })
  reject(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: RejectRoleRequestDto): Promise<RoleRequestView> {
    return this.requests.reject(actor, id, dto);
  }

  @Post('role-requests/:id/withdraw')
  @HttpCode(200)
  @May(ROLE_REQUESTS.withdraw)
  @ApiOperation({ summary: 'The requester withdraws an open request', description: '403 ROLE_REQUEST_NOT_REQUESTER for anyone else.' })
  @ApiOkResponse({ type: RoleRequestView })
  @ApiProblems({ 404: NOT_FOUND, 409: CLOSED })
  withdraw(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<RoleRequestView> {
    return this.requests.withdraw(actor, id);
  }
}
