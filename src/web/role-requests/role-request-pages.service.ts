import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { may } from '../../common/permissions.js';
import { PRIVILEGED_ROLE_NAMES } from '../../common/roles.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import type { RoleRequestView } from '../../staff/dto/role-request-view.dto.js';
import type { StaffView } from '../../staff/dto/staff-view.dto.js';
import { decide, isOpen, sittingCisoIds, type RoleRequestFacts } from '../../staff/role-request-rules.js';
import { OPEN_ROLE_REQUEST_STATUSES, ROLE_CHANGES, ROLE_REQUEST_STATUSES, type RoleRequestStatus } from '../../staff/role-request.entity.js';
import { ROLE_REQUESTS } from '../../staff/role-requests.permissions.js';
import { RoleRequestsService } from '../../staff/role-requests.service.js';
import { StaffService } from '../../staff/staff.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import { fullName } from '../viewer.service.js';

/** What a person may do to a request on its page (role-request-rules.ts decides). */
export const DECISIONS = ['approve', 'confirm', 'reject', 'withdraw'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Why the viewer does not take the request's next step: a message `roleRequest.cannot.<reason>`. */
export const CANNOT_REASONS = ['requester', 'concerned', 'approverRole', 'secondFactor', 'notConcerned', 'personDecides', 'retired'] as const;
export type CannotReason = (typeof CANNOT_REASONS)[number];

/** The viewer's part in one request: the decisions open to them now, or why the next step is not theirs. */
export interface Standing {
  decisions: Decision[];
  cannot: CannotReason | null;
}

/** The request waits for the viewer: they may approve, confirm or reject it (withdrawing is the requester's own matter). */
const awaitsViewer = (standing: Standing): boolean => standing.decisions.some((decision) => decision !== 'withdraw');

/** What the request waits for, in words: `roleRequestNext.<key>`. */
export const NEXT_STEPS = ['cisoApproval', 'adminApproval', 'cisoConfirmation', 'personAcceptance', 'applied', 'closed'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

/** The lines of a request's history: `roleRequest.history.<kind>`. */
export const HISTORY_KINDS = ['requested', 'approved', 'confirmed', 'accepted', 'applied', 'rejected', 'declined', 'withdrawn', 'expired'] as const;
type HistoryKind = (typeof HISTORY_KINDS)[number];

const LIST_PAGE_SIZE = 50;

const name = (person: { familyName: string; givenName: string } | null | undefined): string | null => (person ? fullName(person) : null);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const href = (id: string): string => `/role-requests/${id}`;

/** What the request waits for now. */
export function nextStepOf(view: Pick<RoleRequestView, 'status' | 'approverRole' | 'confirmer'>): NextStep {
  switch (view.status) {
    case 'pending':
      return view.approverRole === 'ciso' ? 'cisoApproval' : 'adminApproval';
    case 'awaiting_confirmation':
      return view.confirmer === 'person' ? 'personAcceptance' : 'cisoConfirmation';
    case 'approved':
      return 'applied';
    default:
      return 'closed';
  }
}

/** Pending, and a confirmation follows the approval: who gives it (`roleRequestNext.then.<confirmer>`). */
function thenStepOf(view: RoleRequestView): 'ciso' | 'person' | null {
  return view.status === 'pending' && view.confirmationRequired ? view.confirmer : null;
}

/** The decisions as the rules see the request. */
function factsOf(view: RoleRequestView): RoleRequestFacts {
  return {
    staffId: view.staff.id,
    requestedById: view.requestedBy.id,
    change: view.change,
    role: view.role,
    status: view.status,
    expiresAt: view.expiresAt,
    approvedById: view.approvedBy?.id ?? null,
  };
}

/** The reason in words of the rules' refusal of the next step. */
function cannotOf(code: ProblemCode, actor: Actor, facts: RoleRequestFacts, view: RoleRequestView): CannotReason {
  switch (code) {
    case 'ROLE_REQUEST_OWN':
      return actor.staffId === facts.requestedById ? 'requester' : 'concerned';
    case 'ROLE_REQUEST_SECOND_FACTOR':
      return 'secondFactor';
    case 'ROLE_REQUEST_TARGET_RETIRED':
      return 'retired';
    case 'ROLE_REQUEST_NOT_CONCERNED':
      if (actor.staffId === facts.requestedById) return 'requester';
      if (actor.staffId === facts.staffId) return 'concerned';
      return view.status === 'awaiting_confirmation' && view.confirmer === 'person' ? 'personDecides' : 'notConcerned';
    default:
      return 'approverRole';
  }
}

/** The request's history, oldest first, from what it records (who asked, approved, confirmed, closed). */
function historyOf(view: RoleRequestView): { kind: HistoryKind; at: Date; by: string | null; note: string | null }[] {
  const lines: { kind: HistoryKind; at: Date; by: string | null; note: string | null }[] = [
    // the request's reason heads the page; the history names the rejection's
    { kind: 'requested', at: view.requestedAt, by: name(view.requestedBy), note: null },
  ];
  if (view.approvedAt) lines.push({ kind: 'approved', at: view.approvedAt, by: name(view.approvedBy), note: null });
  if (view.status === 'approved') {
    if (view.confirmedAt) {
      lines.push({ kind: view.confirmer === 'person' ? 'accepted' : 'confirmed', at: view.confirmedAt, by: name(view.closedBy), note: null });
    }
    lines.push({ kind: 'applied', at: view.closedAt ?? view.updatedAt, by: null, note: null });
  }
  if (view.status === 'rejected') {
    const declined = view.closedBy?.id === view.staff.id;
    lines.push({ kind: declined ? 'declined' : 'rejected', at: view.closedAt ?? view.updatedAt, by: name(view.closedBy), note: view.rejectionReason });
  }
  if (view.status === 'withdrawn') lines.push({ kind: 'withdrawn', at: view.closedAt ?? view.updatedAt, by: name(view.closedBy), note: null });
  if (view.status === 'expired') lines.push({ kind: 'expired', at: view.closedAt ?? view.expiresAt, by: null, note: null });
  return lines;
}

/** A request as a row of the list, and in the heading of its page. */
function summaryOf(view: RoleRequestView, standing: Standing) {
  return {
    id: view.id,
    href: href(view.id),
    person: name(view.staff),
    employeeNumber: view.staff.employeeNumber,
    change: view.change,
    role: view.role,
    requester: name(view.requestedBy),
    requestedAt: view.requestedAt,
    status: view.status,
    open: isOpen(view.status),
    next: nextStepOf(view),
    then: thenStepOf(view),
    expiresAt: view.expiresAt,
    yours: awaitsViewer(standing),
  };
}

/** 権限変更の申請: the data of the role requests' pages, and the decisions open to the viewer. */
@Injectable()
export class RoleRequestPagesService {
  constructor(
    private readonly requests: RoleRequestsService,
    private readonly staff: StaffService,
    private readonly uow: UnitOfWork,
  ) {}

  /** `/role-requests`: open ones first, then the rest, newest first; optionally one status. */
  async list(actor: Actor, query: { status?: RoleRequestStatus; page: number }): Promise<object> {
    const result = await this.requests.list(actor, { status: query.status, page: query.page, pageSize: LIST_PAGE_SIZE }, { openFirst: true });
    const standings = await this.standings(actor, result.items);
    const filter = { status: query.status };
    return {
      title: 'roleRequests.title',
      filter,
      statuses: ROLE_REQUEST_STATUSES.map((value) => ({ value, selected: value === query.status })),
      rows: result.items.map((view, index) => summaryOf(view, standings[index]!)),
      waiting: standings.filter(awaitsViewer).length,
      pager: pagerFor(result, '/role-requests', filter),
      mayRequest: may(actor, ROLE_REQUESTS.request),
    };
  }

  /** `/role-requests/new?staffId=`: the person, their privileged roles, their open requests, and the form. */
  async newRequest(actor: Actor, staffId: string | undefined, formErrors?: FormErrors): Promise<object> {
    const submitted = formErrors?.submitted ?? null;
    const base = { title: 'roleRequestNew.title', ...(formErrors ? { formErrors } : {}) };
    if (!staffId) return { ...base, person: null };
    let person: StaffView;
    try {
      person = await this.staff.get(actor, staffId);
    } catch (error) {
      if (error instanceof AppException && error.code === 'STAFF_NOT_FOUND') return { ...base, person: null, unknownPerson: true };
      throw error;
    }
    const open = await this.requests.list(actor, { staffId, page: 1, pageSize: 200 }, { openFirst: true });
    const change = text(submitted?.change);
    const role = text(submitted?.role);
    return {
      ...base,
      titleDetail: { ja: fullName(person), en: fullName(person) },
      person: {
        id: person.id,
        name: fullName(person),
        employeeNumber: person.employeeNumber,
        department: person.department,
        roles: person.roles,
        retired: person.status === 'retired',
      },
      own: person.id === actor.staffId,
      openRequests: open.items.filter((view) => isOpen(view.status)).map((view) => summaryOf(view, { decisions: [], cannot: null })),
      changes: ROLE_CHANGES.map((value) => ({ value, checked: value === change })),
      roles: PRIVILEGED_ROLE_NAMES.map((value) => ({ value, checked: value === role, held: person.roles.includes(value) })),
      reason: text(submitted?.reason),
    };
  }

  /** `/role-requests/:id`: the request, its history, what it waits for and the viewer's decisions. */
  async request(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const view = await this.requests.get(actor, id);
    const [standing] = await this.standings(actor, [view]);
    const decisions = new Set(standing!.decisions);
    const personConfirms = view.status === 'awaiting_confirmation' && view.confirmer === 'person';
    const submitted = formErrors?.form === 'roleRequestReject' ? formErrors.submitted : null;
    return {
      title: 'roleRequest.title',
      titleDetail: { ja: name(view.staff)!, en: name(view.staff)! },
      request: {
        ...summaryOf(view, standing!),
        reason: view.reason,
      },
      history: historyOf(view),
      can: {
        approve: decisions.has('approve'),
        confirm: decisions.has('confirm'),
        reject: decisions.has('reject'),
        withdraw: decisions.has('withdraw'),
        any: decisions.size > 0,
      },
      // the person who is to be the first CISO accepts or declines, rather than confirms or rejects
      personConfirms,
      cannot: standing!.cannot,
      rejectReason: text(submitted?.reason),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  /** The open requests that wait for the viewer's decision, soonest to expire first (the work queue, the my page). */
  async waitingFor(actor: Actor): Promise<RoleRequestView[]> {
    const open = (await Promise.all(OPEN_ROLE_REQUEST_STATUSES.map((status) => this.requests.list(actor, { status, page: 1, pageSize: 200 })))).flatMap(
      (page) => page.items,
    );
    const standings = await this.standings(actor, open);
    return open.filter((_, index) => awaitsViewer(standings[index]!)).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }

  /** The viewer's part in each request: the rules are asked, decision by decision, as the request's routes would ask them. */
  private async standings(actor: Actor, views: RoleRequestView[]): Promise<Standing[]> {
    const openViews = views.filter((view) => isOpen(view.status));
    if (openViews.length === 0) return views.map(() => ({ decisions: [], cannot: null }));
    const manager = this.uow.manager;
    const retired = new Set(
      (
        (await manager.query(`SELECT id FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'retired'`, [
          actor.organizationId,
          [...new Set(openViews.map((view) => view.staff.id))],
        ])) as { id: string }[]
      ).map((row) => row.id),
    );
    return Promise.all(
      views.map(async (view): Promise<Standing> => {
        if (!isOpen(view.status)) return { decisions: [], cannot: null };
        const facts = factsOf(view);
        const targetRetired = retired.has(view.staff.id);
        // approving makes the viewer the approver, who then does not count as a sitting CISO (act() in the service)
        const [asApprover, asIs] = await Promise.all([
          sittingCisoIds(manager, actor.organizationId, facts, actor.staffId),
          sittingCisoIds(manager, actor.organizationId, facts),
        ]);
        const refusal = (decision: Decision): ProblemCode | null => {
          try {
            decide(actor, facts, decision, { sittingCisos: decision === 'approve' ? asApprover : asIs, targetRetired });
          } catch (error) {
            if (error instanceof AppException) return error.code;
            throw error;
          }
          // the route's own permission too (the rules let the requester withdraw; the route, administrators only)
          return may(actor, ROLE_REQUESTS[decision]) ? null : 'ROLE_REQUEST_APPROVER_ROLE';
        };
        const decisions = DECISIONS.filter((decision) => refusal(decision) === null);
        const next = view.status === 'pending' ? 'approve' : 'confirm';
        const refused = decisions.includes(next) ? null : refusal(next);
        return { decisions, cannot: refused ? cannotOf(refused, actor, facts, view) : null };
      }),
    );
  }
}
