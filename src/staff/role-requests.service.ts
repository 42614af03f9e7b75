import { Injectable, Logger } from '@nestjs/common';
import { In, LessThanOrEqual } from 'typeorm';
import { accessScope, scopeConditions, type ScopeRules } from '../auth/access-scope.js';
import { AuthService } from '../auth/auth.service.js';
import { systemActor, type Actor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { requiresSecondFactor } from '../common/roles.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import type { CreateRoleRequestDto, RejectRoleRequestDto, RoleRequestQuery } from './dto/role-request.dto.js';
import type { RoleRequestView } from './dto/role-request-view.dto.js';
import type { StaffRef } from './dto/staff-view.dto.js';
import {
  approverRole,
  confirmerOf,
  decide,
  effectiveStatus,
  isOpen,
  nextAction,
  ROLE_REQUEST_DAYS,
  sittingCisoIds,
  type RoleRequestAction,
} from './role-request-rules.js';
import { OPEN_ROLE_REQUEST_STATUSES, RoleRequest } from './role-request.entity.js';
import { ROLE_REQUESTS } from './role-requests.permissions.js';
import { Staff } from './staff.entity.js';
import type { RoleRequestEvent } from './staff.notifications.js';
import { StaffService } from './staff.service.js';

/** Who sees which role requests: the office every one, anyone else those about them. */
export const ROLE_REQUEST_SCOPE: ScopeRules = { all: ['admin', 'ciso', 'security_officer'], department: [] };
const SCOPE_COLUMNS = { organization: 'r.organization_id', department: 't.department_id', owner: 'r.staff_id' };

/** Open requests past their time are closed as expired every hour (they already read as expired). */
export const ROLE_REQUEST_EXPIRY_SCHEDULE: ScheduleDefinition = {
  name: 'role-request-expiry',
  jobId: 'role-request-expiry-hourly',
  cron: '17 * * * *',
  tz: BUSINESS_TIME_ZONE,
};

/** The status a reader sees, in SQL (an open request past its time is expired). */
const STATUS_SQL = `(CASE WHEN r.status IN ('pending', 'awaiting_confirmation') AND r.expires_at <= now() THEN 'expired' ELSE r.status END)`;

const person = (alias: string) =>
  `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id, 'employeeNumber', ${alias}.employee_number, 'familyName', ${alias}.family_name, 'givenName', ${alias}.given_name) END`;

const SELECT = `SELECT r.id, r.change, r.role, r.reason, r.status, r.expires_at, r.approved_at, r.confirmed_at, r.closed_at, r.rejection_reason,
       r.created_at, r.updated_at, r.staff_id, r.closed_by_id,
       EXISTS (SELECT 1 FROM staff c WHERE c.organization_id = r.organization_id AND c.status = 'active' AND 'ciso' = ANY(c.roles)
                  AND c.id NOT IN (r.staff_id, r.requested_by_id) AND c.id IS DISTINCT FROM r.approved_by_id) AS sitting_ciso,
       ${person('t')} AS staff, ${person('q')} AS requested_by, ${person('a')} AS approved_by, ${person('c')} AS closed_by
  FROM role_requests r
  JOIN staff t ON t.id = r.staff_id
  JOIN staff q ON q.id = r.requested_by_id
  LEFT JOIN staff a ON a.id = r.approved_by_id
  LEFT JOIN staff c ON c.id = r.closed_by_id`;

interface RoleRequestRow {
  id: string;
  change: RoleRequest['change'];
  role: RoleRequest['role'];
  reason: string;
  status: RoleRequest['status'];
  expires_at: Date;
  approved_at: Date | null;
  confirmed_at: Date | null;
  closed_at: Date | null;
  rejection_reason: string | null;
  created_at: Date;
  updated_at: Date;
  staff_id: string;
  closed_by_id: string | null;
  /** a sitting CISO other than the person, the requester and the approver exists */
  sitting_ciso: boolean;
  staff: StaffRef;
  requested_by: StaffRef;
  approved_by: StaffRef | null;
  closed_by: StaffRef | null;
}

function viewOf(row: RoleRequestRow, now: Date): RoleRequestView {
  const status = effectiveStatus({ status: row.status, expiresAt: row.expires_at }, now);
  // open: who confirms after the approval (as things stand); closed: who confirmed, if anyone
  const confirmer = isOpen(status) ? confirmerOf(row, row.sitting_ciso) : row.confirmed_at ? (row.closed_by_id === row.staff_id ? 'person' : 'ciso') : null;
  return {
    id: row.id,
    staff: row.staff,
    change: row.change,
    role: row.role,
    reason: row.reason,
    status,
    nextAction: nextAction({ status }),
    approverRole: approverRole(row),
    confirmationRequired: confirmer !== null,
    confirmer,
    requestedBy: row.requested_by,
    requestedAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    confirmedAt: row.confirmed_at,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    rejectionReason: row.rejection_reason,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Role requests (権限変更申請): granting or removing a privileged role is asked for by an
 * administrator and applied only when the second person has approved it (role-request-rules.ts);
 * the change itself goes through StaffService.applyUpdate in the transaction of the last approval.
 * Every step is audited (`role_request.*`) and mailed to the security office and whoever acts next.
 */
@Injectable()
export class RoleRequestsService {
  private readonly logger = new Logger(RoleRequestsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly staff: StaffService,
    private readonly auth: AuthService,
  ) {}

  /** Newest first; `openFirst` puts the requests still waiting for someone before the closed ones (the pages' list). */
  async list(actor: Actor, query: RoleRequestQuery, options: { openFirst?: boolean } = {}): Promise<Page<RoleRequestView>> {
    assertMay(actor, ROLE_REQUESTS.read);
    const where = scopeConditions(actor, accessScope(actor, ROLE_REQUEST_SCOPE), SCOPE_COLUMNS);
    if (query.status) where.add(`${STATUS_SQL} = ?`, query.status);
    if (query.staffId) where.add('r.staff_id = ?', query.staffId);
    if (query.role) where.add('r.role = ?', query.role);
    const { skip, take } = skipTake(query);
    const manager = this.uow.manager;
    const order = `${options.openFirst ? `${STATUS_SQL} IN ('pending', 'awaiting_confirmation') DESC, ` : ''}r.created_at DESC, r.id`;
    const [rows, [count]] = await Promise.all([
      manager.query(`${SELECT} WHERE ${where.sql()} ORDER BY ${order} LIMIT $${where.next()} OFFSET $${where.next() + 1}`, [
        ...where.values,
        take,
        skip,
      ]) as Promise<RoleRequestRow[]>,
      manager.query(`SELECT count(*)::int AS total FROM role_requests r JOIN staff t ON t.id = r.staff_id WHERE ${where.sql()}`, where.values) as Promise<
        { total: number }[]
      >,
    ]);
    const now = new Date();
    return pageOf(
      rows.map((row) => viewOf(row, now)),
      count?.total ?? 0,
      query,
    );
  }

  async get(actor: Actor, id: string): Promise<RoleRequestView> {
    assertMay(actor, ROLE_REQUESTS.read);
    return this.read(actor, id);
  }

  /** An administrator asks for one privileged role of someone else to be granted or removed. */
  async request(actor: Actor, staffId: string, dto: CreateRoleRequestDto): Promise<RoleRequestView> {
    assertMay(actor, ROLE_REQUESTS.request);
    if (staffId === actor.staffId) {
      throw new AppException('STAFF_OWN_ROLES', undefined, [{ field: 'id', messages: ['another administrator must request a change of your roles'] }]);
    }
    const id = await this.uow.run(actor, async (tx) => {
      const org = actor.organizationId;
      const target = await tx.manager.getRepository(Staff).findOne({ where: { id: staffId, organizationId: org }, lock: { mode: 'pessimistic_write' } });
      if (!target) throw new AppException('STAFF_NOT_FOUND');
      const holds = target.roles.includes(dto.role);
      if (dto.change === 'grant' ? holds : !holds) {
        throw new AppException('ROLE_REQUEST_NO_CHANGE', undefined, [
          { field: 'role', messages: [dto.change === 'grant' ? `the person already holds ${dto.role}` : `the person does not hold ${dto.role}`] },
        ]);
      }
      if (dto.change === 'grant' && target.status === 'retired') throw new AppException('ROLE_REQUEST_TARGET_RETIRED');
      const requests = tx.manager.getRepository(RoleRequest);
      const open = await requests.findOne({
        where: { organizationId: org, staffId, role: dto.role, status: In(OPEN_ROLE_REQUEST_STATUSES) },
        lock: { mode: 'pessimistic_write' },
      });
      const now = new Date();
      if (open && effectiveStatus(open, now) !== 'expired') {
        throw new AppException('ROLE_REQUEST_OPEN_EXISTS', undefined, [{ field: 'role', messages: ['decide or withdraw the open request first'] }], {
          roleRequestId: open.id,
        });
      }
      if (open) await this.expire(tx, open); // past its time: it gives way
      const created = await tx.create(
        RoleRequest,
        {
          staffId,
          change: dto.change,
          role: dto.role,
          reason: dto.reason,
          requestedById: actor.staffId!,
          status: 'pending',
          expiresAt: new Date(now.getTime() + ROLE_REQUEST_DAYS * 86_400_000),
        },
        { action: 'role_request.create', entityType: 'role_request' },
      );
      await this.notify(tx, created, 'requested');
      return created.id;
    });
    return this.read(actor, id);
  }

  /** The second person approves: a CISO, or for `ciso` another administrator (second factor required). */
  async approve(actor: Actor, id: string): Promise<RoleRequestView> {
    assertMay(actor, ROLE_REQUESTS.approve);
    return this.act(actor, id, 'approve');
  }

  /** `ciso` approved: a sitting CISO confirms (granting the first CISO: the person accepts), and the change applies. */
  async confirm(actor: Actor, id: string): Promise<RoleRequestView> {
    assertMay(actor, ROLE_REQUESTS.confirm);
    return this.act(actor, id, 'confirm');
  }

  /** Whoever would approve refuses it; at the confirmation step the person concerned declines. */
  async reject(actor: Actor, id: string, dto: RejectRoleRequestDto): Promise<RoleRequestView> {
    assertMay(actor, ROLE_REQUESTS.reject);
    return this.act(actor, id, 'reject', dto.reason);
  }

  async withdraw(actor: Actor, id: string): Promise<RoleRequestView> {
    assertMay(actor, ROLE_REQUESTS.withdraw);
    return this.act(actor, id, 'withdraw');
  }

  /** Closes, as expired, every open request past its time (hourly; acting on one expires it too). */
  @ScheduledJob(ROLE_REQUEST_EXPIRY_SCHEDULE.name)
  async expireDue(now: Date = new Date()): Promise<{ expired: number }> {
    let expired = 0;
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    for (const organization of organizations) {
      expired += await this.uow.run(systemActor(organization.id, 'scheduler'), async (tx) => {
        const due = await tx.manager.getRepository(RoleRequest).find({
          where: { organizationId: organization.id, status: In(OPEN_ROLE_REQUEST_STATUSES), expiresAt: LessThanOrEqual(now) },
          order: { expiresAt: 'ASC' },
          lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
        });
        for (const request of due) await this.expire(tx, request);
        return due.length;
      });
    }
    if (expired) this.logger.log(`role requests expired: ${expired}`);
    return { expired };
  }

  private async read(actor: Actor, id: string): Promise<RoleRequestView> {
    const where = scopeConditions(actor, accessScope(actor, ROLE_REQUEST_SCOPE), SCOPE_COLUMNS);
    where.add('r.id = ?', id);
    const [row] = (await this.uow.manager.query(`${SELECT} WHERE ${where.sql()}`, where.values)) as RoleRequestRow[];
    if (!row) throw new AppException('ROLE_REQUEST_NOT_FOUND');
    return viewOf(row, new Date());
  }

  /**
   * One step of the state table (role-request-rules.ts). A request found past its time is closed
   * as expired (committed) and the step refused.
   */
  private async act(actor: Actor, id: string, action: Exclude<RoleRequestAction, 'expire'>, reason?: string): Promise<RoleRequestView> {
    const outcome = await this.uow.run(actor, async (tx) => {
      const request = await tx.manager
        .getRepository(RoleRequest)
        .findOne({ where: { id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      const sees = accessScope(actor, ROLE_REQUEST_SCOPE).kind === 'all' || request?.staffId === actor.staffId;
      if (!request || !sees) throw new AppException('ROLE_REQUEST_NOT_FOUND');
      const now = new Date();
      if (effectiveStatus(request, now) === 'expired' && request.status !== 'expired') {
        await this.expire(tx, request);
        return 'expired' as const;
      }
      const target = await tx.manager.getRepository(Staff).findOne({ where: { id: request.staffId }, select: { id: true, status: true } });
      const approverId = action === 'approve' ? actor.staffId : request.approvedById;
      const sittingCisos = await sittingCisoIds(tx.manager, actor.organizationId, request, approverId);
      const to = decide(actor, request, action, { sittingCisos, targetRetired: target?.status === 'retired' });
      const changes: Partial<RoleRequest> = { status: to };
      if (action === 'approve') Object.assign(changes, { approvedById: actor.staffId, approvedAt: now });
      if (action === 'confirm') changes.confirmedAt = now;
      if (action === 'reject') changes.rejectionReason = reason ?? null;
      if (to !== 'awaiting_confirmation') Object.assign(changes, { closedById: actor.staffId, closedAt: now });
      if (to === 'approved') await this.apply(tx, request);
      await tx.update(request, changes, { action: `role_request.${action}`, entityType: 'role_request' });
      const event: RoleRequestEvent =
        to === 'approved' ? 'applied' : to === 'awaiting_confirmation' ? 'approved' : to === 'rejected' ? 'rejected' : 'withdrawn';
      await this.notify(tx, request, event);
      return 'done' as const;
    });
    if (outcome === 'expired') throw new AppException('ROLE_REQUEST_EXPIRED');
    return this.read(actor, id);
  }

  /**
   * The approved change, as any staff update (audited `staff.update`, events published). Removing a
   * privileged role ends the person's sessions (their rights change); so does a first privileged
   * role (their sessions were opened without the second factor it needs).
   */
  private async apply(tx: Transaction, request: RoleRequest): Promise<void> {
    const org = tx.actor.organizationId;
    const person = await tx.manager.getRepository(Staff).findOne({ where: { id: request.staffId, organizationId: org }, lock: { mode: 'pessimistic_write' } });
    if (!person) throw new AppException('STAFF_NOT_FOUND');
    if (request.change === 'grant' && person.status === 'retired') throw new AppException('ROLE_REQUEST_TARGET_RETIRED');
    if (request.change === 'revoke' && request.role === 'admin') {
      // locked, so that two removals approved at once cannot leave the organisation without one
      const admins = (await tx.manager.query(
        `SELECT id FROM staff WHERE organization_id = $1 AND status = 'active' AND 'admin' = ANY(roles) ORDER BY id FOR UPDATE`,
        [org],
      )) as { id: string }[];
      if (!admins.some((admin) => admin.id !== person.id)) throw new AppException('ROLE_REQUEST_LAST_ADMIN');
    }
    const roles = request.change === 'grant' ? [...new Set([...person.roles, request.role])] : person.roles.filter((role) => role !== request.role);
    await this.staff.applyUpdate(tx, person, { roles });
    if (request.change === 'revoke') await this.auth.revokeAllSessions(tx, person.id, 'role_revoked');
    else if (!requiresSecondFactor(person.roles)) await this.auth.revokeAllSessions(tx, person.id, 'second_factor_required');
  }

  private async expire(tx: Transaction, request: RoleRequest): Promise<void> {
    await tx.update(request, { status: 'expired', closedById: null, closedAt: new Date() }, { action: 'role_request.expire', entityType: 'role_request' });
    await this.notify(tx, request, 'expired');
  }

  private async notify(tx: Transaction, request: RoleRequest, event: RoleRequestEvent): Promise<void> {
    await tx.outbox({ topic: 'staff.role_request', dedupeKey: `role-request:${request.id}:${event}`, payload: { roleRequestId: request.id, event } });
  }
}
