import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { PrivilegedRole, Role } from '../common/roles.js';
import type { RoleChange, RoleRequestStatus } from './role-request.entity.js';

/**
 * Who decides a role request, and in which order (DESIGN.md §2: granting or removing a privileged
 * role is a request that a second person approves, never the requester):
 *
 * | request | approved by | then confirmed by | then |
 * |---|---|---|---|
 * | grant or revoke `admin`, `security_officer`, `csirt`, `auditor` | a CISO | — | applied |
 * | grant `ciso` | another administrator | a sitting CISO; when there is none, the person (the first CISO) | applied |
 * | revoke `ciso` | another administrator | a sitting CISO other than the person; when there is none, nobody | applied |
 *
 * A *sitting CISO* is an active person holding `ciso` who is neither the person concerned, nor the
 * requester, nor the administrator who approved (sittingCisoIds). Nobody approves, confirms or
 * rejects a request they made or one about themselves (the person concerned declines only when the
 * confirmation is theirs: no sitting CISO). No role is granted to a retired person, at any step.
 * The person and the security office are told at every step. Requests expire after ROLE_REQUEST_DAYS.
 */
export const ROLE_REQUEST_DAYS = 7;

export type RoleRequestAction = 'approve' | 'confirm' | 'reject' | 'withdraw' | 'expire';

type Transitions = { readonly [S in RoleRequestStatus]: Readonly<Partial<Record<RoleRequestAction, RoleRequestStatus>>> };

const CLOSED = { approved: {}, rejected: {}, withdrawn: {}, expired: {} } as const;

/** A request one approval decides. */
const ONE_APPROVAL: Transitions = {
  pending: { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn', expire: 'expired' },
  awaiting_confirmation: {},
  ...CLOSED,
};

/** `ciso` granted, or removed while another CISO sits: an administrator approves, then the confirmer confirms. */
const APPROVAL_AND_CONFIRMATION: Transitions = {
  pending: { approve: 'awaiting_confirmation', reject: 'rejected', withdraw: 'withdrawn', expire: 'expired' },
  awaiting_confirmation: { confirm: 'approved', reject: 'rejected', withdraw: 'withdrawn', expire: 'expired' },
  ...CLOSED,
};

export interface RoleRequestFacts {
  staffId: string;
  requestedById: string;
  change: RoleChange;
  role: PrivilegedRole;
  status: RoleRequestStatus;
  expiresAt: Date;
  approvedById?: string | null;
}

/** What the decision depends on beside the request: the sitting CISOs (sittingCisoIds) and whether the person has retired. */
export interface RoleRequestContext {
  sittingCisos: readonly string[];
  targetRetired: boolean;
}

/** Who confirms after the approval: a sitting CISO, the person concerned (the first CISO), or nobody (the approval applies it). */
export type Confirmer = 'ciso' | 'person' | null;

export function confirmerOf(request: Pick<RoleRequestFacts, 'change' | 'role'>, sittingCiso: boolean): Confirmer {
  if (request.role !== 'ciso') return null;
  if (sittingCiso) return 'ciso';
  return request.change === 'grant' ? 'person' : null;
}

/** The role of the second person: an administrator for `ciso`, else a CISO. */
export function approverRole(request: Pick<RoleRequestFacts, 'role'>): Extract<Role, 'admin' | 'ciso'> {
  return request.role === 'ciso' ? 'admin' : 'ciso';
}

/**
 * The sitting CISOs who may confirm `request`: active people holding `ciso`, other than the person
 * concerned, the requester and the approver (`approverId`, else the request's).
 */
export async function sittingCisoIds(
  manager: EntityManager,
  organizationId: string,
  request: Pick<RoleRequestFacts, 'staffId' | 'requestedById' | 'approvedById'>,
  approverId: string | null = request.approvedById ?? null,
): Promise<string[]> {
  const excluded = [request.staffId, request.requestedById, approverId].filter((id): id is string => !!id);
  const rows = (await manager.query(
    `SELECT id FROM staff WHERE organization_id = $1 AND status = 'active' AND 'ciso' = ANY(roles) AND id <> ALL($2::uuid[]) ORDER BY employee_number`,
    [organizationId, excluded],
  )) as { id: string }[];
  return rows.map((row) => row.id);
}

export function isOpen(status: RoleRequestStatus): boolean {
  return status === 'pending' || status === 'awaiting_confirmation';
}

/** The status a reader sees: an open request past its time is expired, swept or not. */
export function effectiveStatus(request: Pick<RoleRequestFacts, 'status' | 'expiresAt'>, now: Date = new Date()): RoleRequestStatus {
  return isOpen(request.status) && request.expiresAt <= now ? 'expired' : request.status;
}

/** What the request waits for: an approval, a confirmation, or nothing (closed). */
export function nextAction(request: Pick<RoleRequestFacts, 'status'>): 'approve' | 'confirm' | null {
  if (request.status === 'pending') return 'approve';
  if (request.status === 'awaiting_confirmation') return 'confirm';
  return null;
}

/**
 * Where `action` leads from the request's status, or null when the table has no such step. A
 * pending request follows the table of its confirmer (`sittingCiso`: one exists); one awaiting a
 * confirmation stays on the table with the confirmation.
 */
export function transition(
  request: Pick<RoleRequestFacts, 'status' | 'change' | 'role'>,
  action: RoleRequestAction,
  sittingCiso: boolean,
): RoleRequestStatus | null {
  const confirmed = request.status === 'awaiting_confirmation' || confirmerOf(request, sittingCiso) !== null;
  return (confirmed ? APPROVAL_AND_CONFIRMATION : ONE_APPROVAL)[request.status][action] ?? null;
}

/**
 * The status `actor` takes the request to with `action`; refuses (409) a step the table does not
 * have or a grant to a retired person, and (403) anyone but the person whose step it is. The
 * caller has expired it first if due.
 */
export function decide(
  actor: Pick<Actor, 'staffId' | 'roles' | 'mfa'>,
  request: RoleRequestFacts,
  action: Exclude<RoleRequestAction, 'expire'>,
  context: RoleRequestContext,
): RoleRequestStatus {
  const to = transition(request, action, context.sittingCisos.length > 0);
  if (!to) {
    throw new AppException('ROLE_REQUEST_TRANSITION_NOT_ALLOWED', `The request is ${request.status}; it cannot be ${PAST[action]}`, undefined, {
      requestStatus: request.status,
    });
  }
  const own = actor.staffId === request.requestedById || actor.staffId === request.staffId;
  if (request.status === 'pending' && (action === 'approve' || action === 'reject')) {
    if (own) throw new AppException('ROLE_REQUEST_OWN');
    const role = approverRole(request);
    if (!actor.roles.includes(role)) {
      throw new AppException('ROLE_REQUEST_APPROVER_ROLE', `This request is decided by: ${role}`, undefined, { requiredRoles: [role] });
    }
    if (!actor.mfa) throw new AppException('ROLE_REQUEST_SECOND_FACTOR');
  } else if (action === 'confirm' || action === 'reject') {
    const confirmer = confirmerOf(request, context.sittingCisos.length > 0);
    if (confirmer === 'person') {
      if (actor.staffId !== request.staffId) throw new AppException('ROLE_REQUEST_NOT_CONCERNED');
    } else {
      if (own) throw new AppException('ROLE_REQUEST_OWN');
      if (!actor.staffId || !context.sittingCisos.includes(actor.staffId)) throw new AppException('ROLE_REQUEST_NOT_CONCERNED');
      if (!actor.mfa) throw new AppException('ROLE_REQUEST_SECOND_FACTOR');
    }
  } else if (actor.staffId !== request.requestedById) {
    throw new AppException('ROLE_REQUEST_NOT_REQUESTER');
  }
  if (request.change === 'grant' && context.targetRetired && (action === 'approve' || action === 'confirm')) {
    throw new AppException('ROLE_REQUEST_TARGET_RETIRED');
  }
  return to;
}

const PAST: Record<Exclude<RoleRequestAction, 'expire'>, string> = {
  approve: 'approved',
  confirm: 'confirmed',
  reject: 'rejected',
  withdraw: 'withdrawn',
};
