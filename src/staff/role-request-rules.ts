import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { PrivilegedRole, Role } from '../common/roles.js';
import type { RoleChange, RoleRequestStatus } from './role-request.entity.js';

/**
 * Who decides a role request, and in which order (DESIGN.md §2: granting or removing a privileged
 * role is a request that a second person approves, never the requester):
 *
 * | request | approved by | then |
 * |---|---|---|
 * | grant or revoke `admin`, `security_officer`, `csirt`, `auditor` | a CISO | applied |
 * | grant `ciso` | another administrator | the person confirms they accept; applied |
 * | revoke `ciso` | another administrator | applied |
 *
 * Nobody approves (or rejects) a request they made or one about themselves. Removing `ciso` needs no
 * CISO: the person concerned must not be able to block their own removal, and a town has one CISO;
 * they and the security office are told at every step. Requests expire after ROLE_REQUEST_DAYS.
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

/** `ciso` granted: an administrator approves, then the person confirms. */
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
}

export function needsConfirmation(request: Pick<RoleRequestFacts, 'change' | 'role'>): boolean {
  return request.change === 'grant' && request.role === 'ciso';
}

/** The role of the second person: an administrator for `ciso`, else a CISO. */
export function approverRole(request: Pick<RoleRequestFacts, 'role'>): Extract<Role, 'admin' | 'ciso'> {
  return request.role === 'ciso' ? 'admin' : 'ciso';
}

export function isOpen(status: RoleRequestStatus): boolean {
  return status === 'pending' || status === 'awaiting_confirmation';
}

/** The status a reader sees: an open request past its time is expired, swept or not. */
export function effectiveStatus(request: Pick<RoleRequestFacts, 'status' | 'expiresAt'>, now: Date = new Date()): RoleRequestStatus {
  return isOpen(request.status) && request.expiresAt <= now ? 'expired' : request.status;
}

/** What the request waits for: an approval, the person's confirmation, or nothing (closed). */
export function nextAction(request: Pick<RoleRequestFacts, 'status'>): 'approve' | 'confirm' | null {
  if (request.status === 'pending') return 'approve';
  if (request.status === 'awaiting_confirmation') return 'confirm';
  return null;
}

/** Where `action` leads from the request's status, or null when the table has no such step. */
export function transition(request: Pick<RoleRequestFacts, 'status' | 'change' | 'role'>, action: RoleRequestAction): RoleRequestStatus | null {
  return (needsConfirmation(request) ? APPROVAL_AND_CONFIRMATION : ONE_APPROVAL)[request.status][action] ?? null;
}

/**
 * The status `actor` takes the request to with `action`; refuses (409) a step the table does not
 * have and (403) anyone but the person whose step it is. The caller has expired it first if due.
 */
export function decide(
  actor: Pick<Actor, 'staffId' | 'roles' | 'mfa'>,
  request: RoleRequestFacts,
  action: Exclude<RoleRequestAction, 'expire'>,
): RoleRequestStatus {
  const to = transition(request, action);
  if (!to) {
    throw new AppException('ROLE_REQUEST_TRANSITION_NOT_ALLOWED', `The request is ${request.status}; it cannot be ${PAST[action]}`, undefined, {
      requestStatus: request.status,
    });
  }
  const approving = action === 'approve' || (action === 'reject' && request.status === 'pending');
  if (approving) {
    if (actor.staffId === request.requestedById || actor.staffId === request.staffId) throw new AppException('ROLE_REQUEST_OWN');
    const role = approverRole(request);
    if (!actor.roles.includes(role)) {
      throw new AppException('ROLE_REQUEST_APPROVER_ROLE', `This request is decided by: ${role}`, undefined, { requiredRoles: [role] });
    }
    if (!actor.mfa) throw new AppException('ROLE_REQUEST_SECOND_FACTOR');
  } else if (action === 'confirm' || action === 'reject') {
    if (actor.staffId !== request.staffId) throw new AppException('ROLE_REQUEST_NOT_CONCERNED');
  } else if (actor.staffId !== request.requestedById) {
    throw new AppException('ROLE_REQUEST_NOT_REQUESTER');
  }
  return to;
}

const PAST: Record<Exclude<RoleRequestAction, 'expire'>, string> = {
  approve: 'approved',
  confirm: 'confirmed',
  reject: 'rejected',
  withdraw: 'withdrawn',
};
