import type { EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { endOfTokyoDay } from '../../common/calendar.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { FINDINGS } from '../../findings/findings.permissions.js';
import { DutySource, type Duty, type DutyProvider } from '../my-page/my-page.service.js';
import { WorkQueueSource, type WorkDays, type WorkItem, type WorkQueueProvider } from '../work-queue/work-queue.service.js';

/** How much of an action's description a duty's title keeps. */
const TITLE_LENGTH = 60;

/**
 * The work queue's findings, for whoever verifies corrective actions (the security office): the
 * actions reported done and waiting for verification (overdue: those whose finding is past its due
 * date), and the findings past their due date and not verified. Counted in one query.
 */
@Injectable()
@WorkQueueSource()
export class FindingWorkItems implements WorkQueueProvider {
  constructor(private readonly uow: UnitOfWork) {}

  async workItems(actor: Actor, days: WorkDays): Promise<WorkItem[]> {
    if (!may(actor, FINDINGS.verify)) return [];
    const row = await findingWorkCounts(this.uow.manager, actor.organizationId, days.today);
    return [
      { label: 'work.findingActionsToVerify', count: row.awaiting, overdue: row.awaitingLate, href: '/findings?awaiting=true', order: 25 },
      { label: 'work.findingsOverdue', count: row.overdue, overdue: row.overdue, href: '/findings?overdue=true', order: 26 },
    ];
  }
}

/**
 * The findings' work of an organisation on a day, one statement: corrective actions done and waiting
 * for verification (of those, on findings past their due date), and findings past their due date
 * not verified. The work queue's lines, and the dashboard's for the CISO, who does not verify.
 */
export async function findingWorkCounts(
  manager: EntityManager,
  organizationId: string,
  today: string,
): Promise<{ awaiting: number; awaitingLate: number; overdue: number }> {
  const [row] = (await manager.query(
    `SELECT count(*) FILTER (WHERE a.id IS NOT NULL)::int AS awaiting,
            count(*) FILTER (WHERE a.id IS NOT NULL AND f.due_date < $2)::int AS awaiting_late,
            count(DISTINCT f.id) FILTER (WHERE f.due_date < $2)::int AS overdue
       FROM findings f
       LEFT JOIN corrective_actions a ON a.organization_id = $1 AND a.finding_id = f.id AND a.status = 'done'
      WHERE f.organization_id = $1 AND f.status <> 'verified'`,
    [organizationId, today],
  )) as { awaiting: number; awaiting_late: number; overdue: number }[];
  return { awaiting: row?.awaiting ?? 0, awaitingLate: row?.awaiting_late ?? 0, overdue: row?.overdue ?? 0 };
}

/** "My page": the corrective actions assigned to me and not yet done (planned, or sent back), each leading to its finding. */
@Injectable()
@DutySource()
export class CorrectiveActionDuties implements DutyProvider {
  constructor(private readonly uow: UnitOfWork) {}

  async duties(actor: Actor): Promise<Duty[]> {
    if (!actor.staffId) return [];
    const rows = (await this.uow.manager.query(
      `SELECT a.id, a.finding_id, a.description, a.due_date::text AS due_date, f.reference
         FROM corrective_actions a JOIN findings f ON f.id = a.finding_id
        WHERE a.organization_id = $1 AND a.assignee_id = $2 AND a.status IN ('planned', 'reopened')
        ORDER BY a.due_date, f.reference`,
      [actor.organizationId, actor.staffId],
    )) as { id: string; finding_id: string; description: string; due_date: string; reference: string }[];
    return rows.map((row) => {
      const text = row.description.replace(/\s+/g, ' ').trim();
      return {
        kind: 'corrective_action',
        title: `${row.reference} ${text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH)}…` : text}`,
        titleEn: null,
        dueAt: endOfTokyoDay(row.due_date),
        href: `/findings/${row.finding_id}#action-${row.id}`,
      };
    });
  }
}
