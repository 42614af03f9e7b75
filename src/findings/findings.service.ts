import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { In, type EntityManager } from 'typeorm';
import { accessScope } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { addDays, tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import type { MamoriConfig } from '../config/configuration.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import { pageOf, type Page } from '../common/pagination.js';
import { assertMay, may, refusal } from '../common/permissions.js';
import { nextReference } from '../database/reference-numbers.js';
import { UnitOfWork, type RecordedChange, type Transaction } from '../database/unit-of-work.js';
import { CorrectiveAction, type CorrectiveActionStatus } from './corrective-action.entity.js';
import type { ActionProgressDto, FindingQuery, PlanActionDto, RaiseFindingDto, VerifyActionDto } from './dto/finding.dto.js';
import { ACTION_TRANSITIONS, findingStatusOf, mayMoveAction, mayMoveFinding } from './finding-transitions.js';
import { Finding, type FindingSeverity, type FindingSource } from './finding.entity.js';
import { FINDING_SCOPE, FINDINGS } from './findings.permissions.js';

/** Where raised findings come from: the feature's record (an incident, an audit, a drill). */
export interface FindingOrigin {
  source: FindingSource;
  sourceId: string | null;
  /** the audit checklist item whose non-conformity raises it (one finding per item, held by a unique index) */
  checklistItemId?: string;
  /** the day it is raised (Asia/Tokyo), for its fiscal year and default due date; today when not given (demo data gives past days) */
  raisedOn?: string;
}

/** A finding to raise, with the actions planned at once. */
export type FindingInput = Omit<RaiseFindingDto, 'actions'> & { actions?: PlanActionDto[] };

/** A finding with its corrective actions, oldest first. */
export interface FindingWithActions {
  finding: Finding;
  actions: CorrectiveAction[];
}

/** `findings.0.actions.1.assigneeId`; the parts left empty are skipped (a single finding has no prefix). */
const path = (...parts: (string | number)[]): string => parts.filter((part) => part !== '').join('.');

/**
 * Findings (指摘事項) and corrective actions (是正措置), shared by incident reviews, audits and drills.
 * A finding gets a gapless reference per fiscal year (FND-2022-0003), an owner department, a due
 * date (by severity when none is given) and the controls it concerns; its status follows its actions
 * along the table of finding-transitions.ts. Features raise findings in their own transaction
 * (`raise`, `raiseOrUpdate`); the API raises them by hand and follows the actions.
 */
@Injectable()
export class FindingsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: ConfigService<MamoriConfig, true>,
  ) {}

  /** A finding's due date when none is given: the configured days (FINDING_DUE_DAYS) from the day it is raised, by severity. */
  dueDateFor(severity: FindingSeverity, raisedOn: string = tokyoToday()): string {
    return addDays(raisedOn, this.config.get('findings', { infer: true }).dueDays[severity]);
  }

  // ---------------------------------------------------------------- for the features that raise findings

  /**
   * Checks the departments, controls and assignees the findings name exist in the organisation (and
   * the assignees are active), all at once: 400 FINDING_LINK_INVALID naming every wrong field under
   * `prefix` (`findings.0.controlIds`).
   */
  async assertLinks(tx: Transaction, items: readonly Partial<FindingInput>[], prefix = ''): Promise<void> {
    const org = tx.actor.organizationId;
    const departments = [...new Set(items.flatMap((item) => (item.ownerDepartmentId ? [item.ownerDepartmentId] : [])))];
    const controls = [...new Set(items.flatMap((item) => item.controlIds ?? []))];
    const assignees = [...new Set(items.flatMap((item) => (item.actions ?? []).map((action) => action.assigneeId)))];
    const found = async (sql: string, ids: string[]): Promise<Set<string>> =>
      ids.length === 0 ? new Set() : new Set(((await tx.manager.query(sql, [org, ids])) as { id: string }[]).map((row) => row.id));
    const [knownDepartments, knownControls, knownStaff] = await Promise.all([
      found(`SELECT id FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[])`, departments),
      found(`SELECT id FROM controls WHERE organization_id = $1 AND id = ANY($2::uuid[])`, controls),
      found(`SELECT id FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'`, assignees),
    ]);
    const errors: FieldError[] = [];
    items.forEach((item, i) => {
      const at = prefix ? [prefix, i] : [];
      if (item.ownerDepartmentId && !knownDepartments.has(item.ownerDepartmentId))
        errors.push({ field: path(...at, 'ownerDepartmentId'), messages: ['no such department'] });
      const unknown = (item.controlIds ?? []).filter((id) => !knownControls.has(id));
      if (unknown.length) errors.push({ field: path(...at, 'controlIds'), messages: [`no such control: ${unknown.join(', ')}`] });
      (item.actions ?? []).forEach((action, j) => {
        if (!knownStaff.has(action.assigneeId))
          errors.push({ field: path(...at, 'actions', j, 'assigneeId'), messages: ['must be an active member of staff'] });
      });
    });
    if (errors.length) throw new AppException('FINDING_LINK_INVALID', undefined, errors);
  }

  /** Raises one finding (its links checked by the caller, `assertLinks`) with its planned actions, in the caller's transaction. */
  async raise(tx: Transaction, origin: FindingOrigin, input: FindingInput): Promise<FindingWithActions> {
    const today = origin.raisedOn ?? tokyoToday();
    const fiscalYear = fiscalYearOf(today);
    const { reference } = await nextReference(tx.manager, tx.actor.organizationId, 'FND', fiscalYear);
    const finding = await tx.create(
      Finding,
      {
        reference,
        fiscalYear,
        source: origin.source,
        sourceId: origin.sourceId,
        checklistItemId: origin.checklistItemId ?? null,
        title: input.title,
        description: input.description ?? '',
        severity: input.severity,
        ownerDepartmentId: input.ownerDepartmentId,
        dueDate: input.dueDate ?? this.dueDateFor(input.severity, today),
        status: 'open',
        controlIds: [...new Set(input.controlIds)],
        raisedById: tx.actor.staffId,
      },
      { action: 'finding.raise', entityType: 'finding' },
    );
    const actions: CorrectiveAction[] = [];
    for (const action of input.actions ?? []) actions.push(await this.createAction(tx, finding, action));
    return { finding: await this.follow(tx, finding, actions), actions };
  }

  /**
   * The finding of an audit checklist item's non-conformity: raised the first time, and on a later
   * answer only brought up to date (severity, description), so an item answered twice has one
   * finding. The item is locked by the caller; the unique index on `checklist_item_id` holds the
   * rule even so. Returns the finding and whether it was raised now.
   */
  async raiseForChecklistItem(
    tx: Transaction,
    origin: FindingOrigin & { checklistItemId: string },
    input: Omit<FindingInput, 'actions'>,
  ): Promise<{ finding: Finding; raised: boolean }> {
    const earlier = await tx.manager
      .getRepository(Finding)
      .findOne({ where: { organizationId: tx.actor.organizationId, checklistItemId: origin.checklistItemId }, lock: { mode: 'pessimistic_write' } });
    if (!earlier) return { finding: (await this.raise(tx, origin, input)).finding, raised: true };
    const description = input.description ?? earlier.description;
    if (earlier.severity === input.severity && earlier.description === description) return { finding: earlier, raised: false };
    // a due date that came from the old severity follows the new one (a date set by hand stays)
    const raisedOn = tokyoToday(earlier.createdAt);
    const dueDate = earlier.dueDate === this.dueDateFor(earlier.severity, raisedOn) ? this.dueDateFor(input.severity, raisedOn) : earlier.dueDate;
    const finding = await tx.update(earlier, { severity: input.severity, description, dueDate }, { action: 'finding.update', entityType: 'finding' });
    return { finding, raised: false };
  }

  /** The finding an audit checklist item raised, if any. */
  findingOfChecklistItem(manager: EntityManager, organizationId: string, checklistItemId: string): Promise<Finding | null> {
    return manager.getRepository(Finding).findOneBy({ organizationId, checklistItemId });
  }

  /**
   * Raises the findings of a record (an incident's review), or updates those it raised before: an
   * item names its finding by `id`, else by the same title among the record's findings (so a review
   * sent again does not raise them twice). An updated finding takes the item's fields (its due date
   * only when given) and the actions whose description it does not have yet; nothing is removed.
   */
  async raiseOrUpdate(
    tx: Transaction,
    origin: FindingOrigin & { sourceId: string },
    items: readonly (FindingInput & { id?: string })[],
    prefix: string,
  ): Promise<FindingWithActions[]> {
    await this.assertLinks(tx, items, prefix);
    const earlier = await tx.manager
      .getRepository(Finding)
      .find({ where: { organizationId: tx.actor.organizationId, source: origin.source, sourceId: origin.sourceId }, lock: { mode: 'pessimistic_write' } });
    const errors: FieldError[] = [];
    const matched = items.map((item, i) => {
      const finding = item.id ? earlier.find((f) => f.id === item.id) : earlier.find((f) => f.title === item.title);
      if (item.id && !finding) errors.push({ field: path(prefix, i, 'id'), messages: ['not a finding of this record'] });
      return finding ?? null;
    });
    if (errors.length) throw new AppException('FINDING_LINK_INVALID', undefined, errors);

    const results: FindingWithActions[] = [];
    for (const [i, item] of items.entries()) {
      const finding = matched[i];
      if (!finding) {
        results.push(await this.raise(tx, origin, item));
        continue;
      }
      const updated = await tx.update(
        finding,
        {
          title: item.title,
          description: item.description ?? finding.description,
          severity: item.severity,
          ownerDepartmentId: item.ownerDepartmentId,
          ...(item.dueDate ? { dueDate: item.dueDate } : {}),
          controlIds: [...new Set(item.controlIds)],
        },
        { action: 'finding.update', entityType: 'finding' },
      );
      const actions = await this.actionsOf(tx.manager, [updated.id]);
      for (const action of item.actions ?? []) {
        if (actions.some((a) => a.description === action.description)) continue;
        actions.push(await this.createAction(tx, updated, action));
      }
      results.push({ finding: await this.follow(tx, updated, actions), actions });
    }
    return results;
  }

  /** The findings a record raised, with their actions (for the feature that raised them: its own reads and drafts). */
  async raisedFrom(manager: EntityManager, organizationId: string, origin: FindingOrigin): Promise<FindingWithActions[]> {
    const findings = await manager
      .getRepository(Finding)
      .find({ where: { organizationId, source: origin.source, ...(origin.sourceId ? { sourceId: origin.sourceId } : {}) }, order: { reference: 'ASC' } });
    const actions = await this.actionsOf(
      manager,
      findings.map((f) => f.id),
    );
    return findings.map((finding) => ({ finding, actions: actions.filter((a) => a.findingId === finding.id) }));
  }

  // ---------------------------------------------------------------- the API

  /** Findings in the reader's scope (a manager: their department's), newest reference first. */
  async list(actor: Actor, query: FindingQuery): Promise<Page<Finding>> {
    assertMay(actor, FINDINGS.read);
    const q = this.uow.manager.getRepository(Finding).createQueryBuilder('f').where('f.organizationId = :org', { org: actor.organizationId });
    const scope = accessScope(actor, FINDING_SCOPE);
    if (scope.kind !== 'all') q.andWhere('f.ownerDepartmentId = :own', { own: actor.departmentId ?? '00000000-0000-0000-0000-000000000000' });
    if (query.source) q.andWhere('f.source = :source', { source: query.source });
    if (query.sourceId) q.andWhere('f.sourceId = :sourceId', { sourceId: query.sourceId });
    if (query.status?.length) q.andWhere('f.status IN (:...status)', { status: query.status });
    if (query.departmentId) q.andWhere('f.ownerDepartmentId = :department', { department: query.departmentId });
    q.orderBy('f.fiscalYear', 'DESC')
      .addOrderBy('f.reference', 'DESC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize);
    const [items, total] = await q.getManyAndCount();
    return pageOf(items, total, query);
  }

  /** One finding with its actions (404 outside the reader's scope). */
  async get(actor: Actor, id: string): Promise<FindingWithActions> {
    assertMay(actor, FINDINGS.read);
    const finding = await this.uow.manager.getRepository(Finding).findOneBy({ id, organizationId: actor.organizationId });
    if (!finding || !this.canRead(actor, finding)) throw new AppException('FINDING_NOT_FOUND');
    return { finding, actions: await this.actionsOf(this.uow.manager, [finding.id]) };
  }

  /** Raises a finding by hand (source `manual`), with the actions planned at once. */
  async create(actor: Actor, dto: RaiseFindingDto): Promise<FindingWithActions> {
    assertMay(actor, FINDINGS.raise);
    return this.uow.run(actor, async (tx) => {
      await this.assertLinks(tx, [dto]);
      return this.raise(tx, { source: 'manual', sourceId: null }, dto);
    });
  }

  /** Plans a corrective action of a finding: the security office and auditors any, a manager their department's. */
  async planAction(actor: Actor, findingId: string, dto: PlanActionDto): Promise<CorrectiveAction> {
    assertMay(actor, FINDINGS.plan_action);
    return this.uow.run(actor, async (tx) => {
      const finding = await this.lockFinding(tx, findingId);
      if (!may(actor, FINDINGS.plan_action, finding)) throw refusal(FINDINGS.plan_action);
      await this.assertLinks(tx, [{ actions: [dto] }]);
      // a manager who plans for their department gives the action to someone of that department
      if (!actor.system && !actor.roles.some((role) => role === 'security_officer' || role === 'auditor')) {
        const [assignee] = (await tx.manager.query(`SELECT department_id FROM staff WHERE id = $1 AND organization_id = $2`, [
          dto.assigneeId,
          actor.organizationId,
        ])) as { department_id: string | null }[];
        if (assignee?.department_id !== finding.ownerDepartmentId)
          throw new AppException('FINDING_LINK_INVALID', undefined, [
            { field: 'assigneeId', messages: ['must be a member of the department that owns the finding'] },
          ]);
      }
      const action = await this.createAction(tx, finding, dto);
      await this.follow(tx, finding, await this.actionsOf(tx.manager, [finding.id]));
      return action;
    });
  }

  /** The assignee (or the owner department's manager) reports an action done. */
  async reportDone(actor: Actor, actionId: string, dto: ActionProgressDto): Promise<CorrectiveAction> {
    assertMay(actor, FINDINGS.report_progress);
    return this.uow.run(actor, async (tx) => {
      const { finding, action } = await this.lockAction(tx, actionId);
      if (!may(actor, FINDINGS.report_progress, { assigneeId: action.assigneeId, ownerDepartmentId: finding.ownerDepartmentId })) {
        if (!this.canRead(actor, finding)) throw new AppException('CORRECTIVE_ACTION_NOT_FOUND');
        throw refusal(FINDINGS.report_progress);
      }
      return this.moveAction(
        tx,
        finding,
        action,
        dto.status,
        { doneAt: new Date(), doneNote: dto.note ?? null },
        { action: 'corrective_action.done', entityType: 'corrective_action' },
      );
    });
  }

  /** The security office or an auditor verifies an action done (`verified: true`), or reopens it. */
  async verify(actor: Actor, actionId: string, dto: VerifyActionDto): Promise<CorrectiveAction> {
    assertMay(actor, FINDINGS.verify);
    return this.uow.run(actor, async (tx) => {
      const { finding, action } = await this.lockAction(tx, actionId);
      // who did the work does not check it
      if (action.assigneeId !== null && action.assigneeId === actor.staffId)
        throw new AppException('FORBIDDEN', 'You did this corrective action: someone else verifies it');
      if (dto.verified && dto.dueDate)
        throw new AppException('VALIDATION_FAILED', undefined, [{ field: 'dueDate', messages: ['a new due date goes with reopening only'] }]);
      const verdict = { verifiedById: actor.staffId, verifyNote: dto.note };
      return dto.verified
        ? this.moveAction(
            tx,
            finding,
            action,
            'verified',
            { ...verdict, verifiedAt: new Date() },
            { action: 'corrective_action.verify', entityType: 'corrective_action' },
          )
        : this.moveAction(
            tx,
            finding,
            action,
            'reopened',
            { ...verdict, verifiedAt: null, ...(dto.dueDate ? { dueDate: dto.dueDate } : {}) },
            { action: 'corrective_action.reopen', entityType: 'corrective_action' },
          );
    });
  }

  // ---------------------------------------------------------------- the steps

  private canRead(actor: Actor, finding: Finding): boolean {
    const scope = accessScope(actor, FINDING_SCOPE);
    if (scope.kind === 'all') return may(actor, FINDINGS.read);
    return scope.kind === 'department' && finding.ownerDepartmentId !== null && finding.ownerDepartmentId === actor.departmentId;
  }

  private async createAction(tx: Transaction, finding: Finding, dto: PlanActionDto): Promise<CorrectiveAction> {
    return tx.create(
      CorrectiveAction,
      { findingId: finding.id, description: dto.description, assigneeId: dto.assigneeId, dueDate: dto.dueDate, status: 'planned' },
      { action: 'corrective_action.plan', entityType: 'corrective_action' },
    );
  }

  private async moveAction(
    tx: Transaction,
    finding: Finding,
    action: CorrectiveAction,
    to: CorrectiveActionStatus,
    changes: Partial<CorrectiveAction>,
    recorded: RecordedChange<CorrectiveAction>,
  ): Promise<CorrectiveAction> {
    if (!mayMoveAction(action.status, to)) {
      const allowed = ACTION_TRANSITIONS[action.status];
      throw new AppException('CORRECTIVE_ACTION_TRANSITION_NOT_ALLOWED', `From ${action.status} the action may go to: ${allowed.join(', ')}`, undefined, {
        from: action.status,
        to,
        allowedTransitions: allowed,
      });
    }
    const saved = await tx.update(action, { ...changes, status: to }, recorded);
    await this.follow(tx, finding, await this.actionsOf(tx.manager, [finding.id]));
    return saved;
  }

  /** Moves the finding to the status its actions give it (finding-transitions.ts), recorded when it changes. */
  private async follow(tx: Transaction, finding: Finding, actions: readonly CorrectiveAction[]): Promise<Finding> {
    const to = findingStatusOf(actions.map((a) => a.status));
    if (to === finding.status) return finding;
    if (!mayMoveFinding(finding.status, to)) {
      throw new AppException('FINDING_TRANSITION_NOT_ALLOWED', `A finding does not go from ${finding.status} to ${to}`, undefined, {
        from: finding.status,
        to,
      });
    }
    return tx.update(
      finding,
      { status: to, verifiedAt: to === 'verified' ? new Date() : null },
      { action: 'finding.status', entityType: 'finding', context: { from: finding.status, to } },
    );
  }

  private actionsOf(manager: EntityManager, findingIds: string[]): Promise<CorrectiveAction[]> {
    if (findingIds.length === 0) return Promise.resolve([]);
    return manager.getRepository(CorrectiveAction).find({ where: { findingId: In(findingIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  private async lockFinding(tx: Transaction, id: string): Promise<Finding> {
    const finding = await tx.manager
      .getRepository(Finding)
      .findOne({ where: { id, organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!finding || !this.canRead(tx.actor, finding)) throw new AppException('FINDING_NOT_FOUND');
    return finding;
  }

  /** The action and its finding, the finding locked first (its status is derived from all its actions). */
  private async lockAction(tx: Transaction, id: string): Promise<{ finding: Finding; action: CorrectiveAction }> {
    const org = tx.actor.organizationId;
    const found = await tx.manager.getRepository(CorrectiveAction).findOneBy({ id, organizationId: org });
    if (!found) throw new AppException('CORRECTIVE_ACTION_NOT_FOUND');
    const finding = await tx.manager
      .getRepository(Finding)
      .findOne({ where: { id: found.findingId, organizationId: org }, lock: { mode: 'pessimistic_write' } });
    const action = await tx.manager.getRepository(CorrectiveAction).findOne({ where: { id, organizationId: org }, lock: { mode: 'pessimistic_write' } });
    if (!finding || !action) throw new AppException('CORRECTIVE_ACTION_NOT_FOUND');
    return { finding, action };
  }
}
