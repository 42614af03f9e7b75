import { Injectable, Logger } from '@nestjs/common';
import { systemActor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE, tokyoToday } from '../common/calendar.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { UnitOfWork, type OutboxRequest, type Transaction } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import { CORRECTIVE_ACTION_REMINDER_RULES, type CorrectiveActionReminderRule } from './corrective-action-reminder.entity.js';
import './corrective-action-reminders.notifications.js';

/** The daily reminders of corrective actions' due dates: 08:45 in Tokyo (after the training reminders' 08:30). */
export const CORRECTIVE_ACTION_REMINDERS_SCHEDULE: ScheduleDefinition = {
  name: 'corrective-action-reminders',
  jobId: 'corrective-action-reminders-daily',
  cron: '45 8 * * *',
  tz: BUSINESS_TIME_ZONE,
};

/**
 * When each rule applies to an open action (`$2` is today in Tokyo): the windows do not overlap, so
 * at most one rule applies to an action on a day, the most urgent one; a rule whose window passed
 * while the job did not run is not sent late.
 */
const RULES: Record<CorrectiveActionReminderRule, string> = {
  due_in_30_days: `a.due_date > $2::date + 7 AND a.due_date <= $2::date + 30`,
  due_in_7_days: `a.due_date > $2::date + 1 AND a.due_date <= $2::date + 7`,
  due_in_1_day: `a.due_date >= $2::date AND a.due_date <= $2::date + 1`,
  overdue: `a.due_date < $2::date`,
};

export interface CorrectiveActionRemindersResult {
  /** the day (Asia/Tokyo) the rules were read against */
  today: string;
  organizations: number;
  /** actions each rule fired for (new corrective_action_reminders rows); a second run finds none */
  fired: Record<CorrectiveActionReminderRule, number>;
}

const noneFired = (): Record<CorrectiveActionReminderRule, number> => ({ due_in_30_days: 0, due_in_7_days: 0, due_in_1_day: 0, overdue: 0 });

/**
 * Reminders of corrective actions (是正措置) that are planned or reopened, once a day: for each
 * organisation, one `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` per rule records the actions
 * it fires for in `corrective_action_reminders` (unique per action, rule and due date), and only what
 * was newly inserted becomes an outbox message (`findings.corrective_action_reminder`, one per action
 * and rule; the template mails the assignee, and when overdue the head of the finding's owner
 * department and the security office, each in their language). So each rule fires once per action
 * and due date however often the job runs; an action given a new due date (reopened) is chased again.
 * One audit row per organisation and run summarises what fired (nothing fired: no row).
 */
@Injectable()
export class CorrectiveActionRemindersService {
  private readonly logger = new Logger(CorrectiveActionRemindersService.name);

  constructor(private readonly uow: UnitOfWork) {}

  /** The scheduled run: today is the day of `now` in Tokyo. */
  @ScheduledJob(CORRECTIVE_ACTION_REMINDERS_SCHEDULE.name)
  run(now: Date = new Date()): Promise<CorrectiveActionRemindersResult> {
    return this.remind(tokyoToday(now));
  }

  /** Fires the rules as of `today` (`YYYY-MM-DD`, Asia/Tokyo) for every organisation, each in its own transaction as the system actor. */
  async remind(today: string): Promise<CorrectiveActionRemindersResult> {
    const result: CorrectiveActionRemindersResult = { today, organizations: 0, fired: noneFired() };
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    for (const organization of organizations) {
      result.organizations++;
      await this.uow.run(systemActor(organization.id, 'scheduler'), (tx) => this.organizationReminders(tx, today, result));
    }
    const total = Object.values(result.fired).reduce((a, b) => a + b, 0);
    if (total) this.logger.log(`corrective action reminders ${today}: ${JSON.stringify(result.fired)}`);
    return result;
  }

  private async organizationReminders(tx: Transaction, today: string, result: CorrectiveActionRemindersResult): Promise<void> {
    const fired = noneFired();
    const messages: OutboxRequest[] = [];
    for (const rule of CORRECTIVE_ACTION_REMINDER_RULES) {
      const rows = (await tx.manager.query(
        `INSERT INTO corrective_action_reminders (organization_id, corrective_action_id, rule, due_date, sent_on)
         SELECT a.organization_id, a.id, '${rule}', a.due_date, $2::date FROM corrective_actions a
          WHERE a.organization_id = $1 AND a.status IN ('planned', 'reopened') AND ${RULES[rule]}
         ON CONFLICT (corrective_action_id, rule, due_date) DO NOTHING
         RETURNING corrective_action_id, due_date::text AS due_date`,
        [tx.actor.organizationId, today],
      )) as { corrective_action_id: string; due_date: string }[];
      fired[rule] = rows.length;
      for (const row of rows) {
        messages.push({
          topic: 'findings.corrective_action_reminder',
          dedupeKey: `corrective-action-reminder:${rule}:${row.corrective_action_id}:${row.due_date}`,
          payload: { actionId: row.corrective_action_id, rule, dueDate: row.due_date, day: today },
        });
      }
      result.fired[rule] += rows.length;
    }
    await tx.outbox(messages);
    if (messages.length > 0) {
      tx.audit({ action: 'corrective_action.reminders_sent', entityType: 'corrective_action', entityId: null, context: { today, ...fired } });
    }
  }
}
