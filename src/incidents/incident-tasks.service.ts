import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { StaffRef } from '../staff/dto/staff-view.dto.js';
import type { CreateTaskDto, UpdateTaskDto } from './dto/task.dto.js';
import { IncidentTask, type ResponsePhase } from './incident-task.entity.js';
import { appendTimeline, type TimelineEntryInput } from './incident-timeline.js';
import { isOpen } from './incident-transitions.js';
import type { Incident } from './incident.entity.js';
import { assertIdempotencyKey, IncidentsService } from './incidents.service.js';
import { INCIDENTS } from './incidents.permissions.js';

/** The roles whose members a task (or an incident) is assigned to on the pages: those who work incidents. */
const RESPONDER_ROLES = ['csirt', 'security_officer'];

/**
 * The tasks of an incident's response (対応タスク), added by hand by those who work incidents (the
 * response plan's playbooks will add theirs with `source: 'playbook'`). Every change of a task (added,
 * done, skipped, open again, assigned) is written on the incident's timeline and the audit trail in
 * the transaction of the change, so no change of a task is missing from the timeline.
 */
@Injectable()
export class IncidentTasksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly incidents: IncidentsService,
  ) {}

  /** The incident's tasks in their order (anyone who may see the incident). */
  async list(actor: Actor, incidentId: string): Promise<IncidentTask[]> {
    assertMay(actor, INCIDENTS.read);
    await this.incidents.get(actor, incidentId);
    return this.uow.manager.getRepository(IncidentTask).find({
      where: { organizationId: actor.organizationId, incidentId },
      order: { position: 'ASC', createdAt: 'ASC' },
    });
  }

  /** Adds a task by hand at the end of the list. */
  async add(actor: Actor, incidentId: string, dto: CreateTaskDto, idempotencyKey?: string): Promise<IncidentTask> {
    assertMay(actor, INCIDENTS.respond);
    assertIdempotencyKey(idempotencyKey);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.openIncident(tx, incidentId);
      // a double-clicked form (or a retried request) with the same key adds one task: the first answers
      if (idempotencyKey !== undefined) {
        const [earlier] = (await tx.manager.query(
          `SELECT data->>'taskId' AS task_id FROM incident_timeline WHERE incident_id = $1 AND kind = 'task' AND data->>'formToken' = $2 LIMIT 1`,
          [incident.id, idempotencyKey],
        )) as { task_id: string }[];
        if (earlier) return tx.manager.getRepository(IncidentTask).findOneByOrFail({ id: earlier.task_id });
      }
      if (dto.assigneeId) await this.assertAssignee(tx, dto.assigneeId);
      const task = await tx.create(
        IncidentTask,
        {
          incidentId: incident.id,
          position: await this.nextPosition(tx, incident.id),
          title: dto.title.trim(),
          phase: dto.phase ?? null,
          role: dto.role ?? null,
          assigneeId: dto.assigneeId ?? null,
          dueAt: dto.dueAt ? new Date(dto.dueAt) : null,
          status: 'open',
          source: 'manual',
        },
        { action: 'incident_task.create', entityType: 'incident_task', context: { incidentId: incident.id, reference: incident.reference } },
      );
      const added = taskAdded(task);
      await appendTimeline(tx, incident.id, idempotencyKey !== undefined ? { ...added, data: { ...added.data, formToken: idempotencyKey } } : added);
      return task;
    });
  }

  /**
   * Marks a task done or skipped (or open again), and/or gives it another assignee. Each change is
   * its own timeline entry (the note on the change of state); a request that changes nothing is 409.
   */
  async update(actor: Actor, incidentId: string, taskId: string, dto: UpdateTaskDto): Promise<IncidentTask> {
    assertMay(actor, INCIDENTS.respond);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.openIncident(tx, incidentId);
      const task = await tx.manager
        .getRepository(IncidentTask)
        .findOne({ where: { id: taskId, incidentId: incident.id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new AppException('TASK_NOT_FOUND');
      const statusChanged = dto.status !== task.status;
      const assigneeChanged = dto.assigneeId !== undefined && dto.assigneeId !== task.assigneeId;
      if (!statusChanged && !assigneeChanged) {
        throw new AppException(
          'TASK_TRANSITION_NOT_ALLOWED',
          `The task is already ${task.status}`,
          [{ field: 'status', messages: [`is already ${task.status}`] }],
          {
            taskStatus: task.status,
          },
        );
      }
      if (assigneeChanged && dto.assigneeId) await this.assertAssignee(tx, dto.assigneeId);
      const before = { status: task.status, assigneeId: task.assigneeId };
      const now = new Date();
      const changes: Partial<IncidentTask> = {};
      if (statusChanged) {
        changes.status = dto.status;
        changes.doneAt = dto.status === 'open' ? null : now;
        changes.doneById = dto.status === 'open' ? null : actor.staffId;
      }
      if (assigneeChanged) changes.assigneeId = dto.assigneeId ?? null;
      const saved = await tx.update(task, changes, {
        action: 'incident_task.update',
        entityType: 'incident_task',
        context: { incidentId: incident.id, reference: incident.reference, note: dto.note?.trim() || null },
      });
      const note = dto.note?.trim() || null;
      await appendTimeline(tx, incident.id, [
        ...(statusChanged
          ? [
              {
                kind: 'task' as const,
                at: now,
                text: note,
                data: { event: 'status', taskId: task.id, title: task.title, from: before.status, to: saved.status },
              },
            ]
          : []),
        ...(assigneeChanged
          ? [
              {
                kind: 'task' as const,
                at: now,
                text: statusChanged ? null : note,
                data: { event: 'assigned', taskId: task.id, title: task.title, from: before.assigneeId, to: saved.assigneeId },
              },
            ]
          : []),
      ]);
      return saved;
    });
  }

  /** The people a task or an incident may be given to on the pages: active members of the CSIRT and the security office. */
  async assignees(actor: Actor): Promise<StaffRef[]> {
    assertMay(actor, INCIDENTS.respond);
    const rows = (await this.uow.manager.query(
      `SELECT id, employee_number, family_name, given_name FROM staff
        WHERE organization_id = $1 AND status = 'active' AND roles && $2::text[]
        ORDER BY family_name_kana NULLS LAST, employee_number`,
      [actor.organizationId, RESPONDER_ROLES],
    )) as { id: string; employee_number: string; family_name: string; given_name: string }[];
    return rows.map((row) => ({ id: row.id, employeeNumber: row.employee_number, familyName: row.family_name, givenName: row.given_name }));
  }

  /**
   * Adds a playbook's steps as the incident's tasks, in the caller's transaction (which holds the
   * incident's lock: triage), at the next places: each with `source: 'playbook'`, its
   * `playbookStepId`, a due time its target minutes after the report, and its `taskAdded` entry on the
   * timeline. A step already among the incident's tasks is not added again. Returns the tasks added.
   */
  async addFromPlaybook(
    tx: Transaction,
    incident: Pick<Incident, 'id' | 'reference' | 'reportedAt'>,
    steps: readonly { id: string; title: string; phase: ResponsePhase | null; role: string | null; targetMinutes: number }[],
  ): Promise<IncidentTask[]> {
    const have = new Set(
      (
        (await tx.manager.query(`SELECT playbook_step_id AS id FROM incident_tasks WHERE incident_id = $1 AND playbook_step_id IS NOT NULL`, [
          incident.id,
        ])) as {
          id: string;
        }[]
      ).map((row) => row.id),
    );
    const added: IncidentTask[] = [];
    let position = await this.nextPosition(tx, incident.id);
    for (const step of steps.filter((s) => !have.has(s.id))) {
      const task = await tx.create(
        IncidentTask,
        {
          incidentId: incident.id,
          position: position++,
          title: step.title.length > 300 ? `${step.title.slice(0, 299)}…` : step.title,
          phase: step.phase,
          role: step.role,
          assigneeId: null,
          dueAt: new Date(incident.reportedAt.getTime() + step.targetMinutes * 60_000),
          status: 'open',
          source: 'playbook',
          playbookStepId: step.id,
        },
        { action: 'incident_task.create', entityType: 'incident_task', context: { incidentId: incident.id, reference: incident.reference, playbook: true } },
      );
      await appendTimeline(tx, incident.id, taskAdded(task));
      added.push(task);
    }
    return added;
  }

  /**
   * The place after the incident's last task (the incident is locked by the change).
   */
  private async nextPosition(tx: Transaction, incidentId: string): Promise<number> {
    const [{ next }] = (await tx.manager.query(`SELECT coalesce(max(position), 0)::int + 1 AS next FROM incident_tasks WHERE incident_id = $1`, [
      incidentId,
    ])) as [{ next: number }];
    return next;
  }

  /** The incident, locked for the change; a closed or rejected one takes no task changes (reopen it first). */
  private async openIncident(tx: Transaction, incidentId: string): Promise<Incident> {
    const incident = await this.incidents.lock(tx, incidentId);
    if (!isOpen(incident.status)) throw new AppException('INCIDENT_CLOSED');
    return incident;
  }

  private async assertAssignee(tx: Transaction, assigneeId: string): Promise<void> {
    const found = (await tx.manager.query(`SELECT 1 FROM staff WHERE id = $1 AND organization_id = $2 AND status = 'active'`, [
      assigneeId,
      tx.actor.organizationId,
    ])) as unknown[];
    if (found.length === 0)
      throw new AppException('INCIDENT_ASSIGNEE_UNKNOWN', undefined, [{ field: 'assigneeId', messages: ['must be an active member of staff'] }]);
  }
}

/** The timeline entry of a task added (by hand, or from a playbook). */
function taskAdded(task: IncidentTask): TimelineEntryInput {
  return {
    kind: 'task',
    data: {
      event: 'added',
      taskId: task.id,
      title: task.title,
      phase: task.phase,
      role: task.role,
      assigneeId: task.assigneeId,
      dueAt: task.dueAt?.toISOString() ?? null,
      source: task.source,
    },
  };
}
