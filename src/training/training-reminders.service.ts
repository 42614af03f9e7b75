import { Injectable, Logger } from '@nestjs/common';
import { systemActor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE, tokyoToday } from '../common/calendar.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { UnitOfWork, type OutboxRequest, type Transaction } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import { DEFAULT_REMINDER_SETTINGS } from './course.entity.js';
import type { ReminderRule } from './training-reminder.entity.js';
import type { EscalationRule, PersonReminderRule } from './training-reminders.notifications.js';

/** The daily training reminders: 08:30 in Tokyo (after the policy reviews' 08:00). */
export const TRAINING_REMINDERS_SCHEDULE: ScheduleDefinition = {
  name: 'training-reminders',
  jobId: 'training-reminders-daily',
  cron: '30 8 * * *',
  tz: BUSINESS_TIME_ZONE,
};

export interface TrainingRemindersResult {
  /** the day (Asia/Tokyo) the rules were read against */
  today: string;
  organizations: number;
  /** enrolments each rule fired for (new training_reminders rows); a second run the same day finds none */
  fired: Record<ReminderRule, number>;
  /** outbox messages written: one per person reminded of a course, one per manager or security officer told */
  mails: number;
}

/**
 * The settings of the organisation's published courses that have opened, over the defaults, read
 * once per statement (not per enrolment): the due days that are N days from today, whether the due
 * day reminds, the overdue limit, whether managers are told, after how many days the office is.
 */
const COURSE_SETTINGS = `
  settings AS MATERIALIZED (
    SELECT c.id AS course_id,
           ARRAY(SELECT $2::date + n::int FROM jsonb_array_elements_text(CASE jsonb_typeof(r.r->'daysBefore') WHEN 'array' THEN r.r->'daysBefore' ELSE '[]' END) n)
             AS before_days,
           coalesce((r.r->>'onDueDate')::boolean, false) AS on_due_date,
           coalesce((r.r->>'overdueDailyLimit')::int, 0) AS overdue_limit,
           coalesce((r.r->>'managerWeekly')::boolean, false) AS manager_weekly,
           (r.r->>'securityOfficeAfterDays')::int AS office_after
      FROM courses c CROSS JOIN LATERAL (SELECT $3::jsonb || c.reminders AS r) r
     WHERE c.organization_id = $1 AND c.status = 'published' AND c.opens_on <= $2::date)`;

/**
 * The enrolments the rules read: open (not completed, exempt or withdrawn) enrolments of those
 * courses, of active staff (someone on leave is not chased; the security office exempts them).
 */
const OPEN_ENROLMENTS = `
  FROM enrolments e
  JOIN settings cfg ON cfg.course_id = e.course_id
  JOIN staff s ON s.id = e.staff_id
 WHERE e.organization_id = $1
   AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL AND s.status = 'active'`;

/**
 * Who manages each department: its head and the active managers who belong to it (a handful of rows
 * for the organisation, joined by department; never read per enrolment).
 */
const DEPARTMENT_MANAGERS = `
  managers AS MATERIALIZED (
    SELECT d.id AS department_id, h.id AS manager_id
      FROM departments d JOIN staff h ON h.id = d.head_id AND h.status = 'active'
     WHERE d.organization_id = $1
    UNION
    SELECT m.department_id, m.id FROM staff m
     WHERE m.organization_id = $1 AND m.status = 'active' AND 'manager' = ANY(m.roles) AND m.department_id IS NOT NULL)`;

/** When each rule reminds the person of an enrolment (on top of OPEN_ENROLMENTS; `$2` is today). */
const PERSON_RULES: Record<PersonReminderRule, string> = {
  // N days before the due day, for each N of the course's daysBefore
  before_due: `e.due_on = ANY(cfg.before_days)`,
  due_today: `e.due_on = $2::date AND cfg.on_due_date`,
  // daily after the due day, as many times in all as the course allows (counted since this due day)
  overdue: `e.due_on < $2::date AND cfg.overdue_limit > 0
    AND (SELECT count(*) FROM training_reminders t
          WHERE t.enrolment_id = e.id AND t.rule = 'overdue' AND t.sent_on > e.due_on AND t.sent_on < $2::date) < cfg.overdue_limit`,
};

/**
 * Reminders and escalation of training (issue 9), once a day: for each organisation, one
 * `INSERT … SELECT … ON CONFLICT DO NOTHING` per rule records the enrolments the rule fires for
 * today in `training_reminders` (unique per enrolment, rule and day), and only what was newly
 * inserted becomes outbox messages, whose dedupe keys name the rule, the recipient and the day, so
 * running the job twice a day sends everything once. The rules, per course's `reminders`:
 *
 * - `before_due`: N days before the due day, for each N in `daysBefore`, to the person;
 * - `due_today`: on the due day (`onDueDate`), to the person;
 * - `overdue`: each day after it, to the person, `overdueDailyLimit` times in all;
 * - `manager_weekly`: every 7th day after it (`managerWeekly`), to the person's managers (the head
 *   of the enrolment's department and its active managers): one mail per manager listing all their
 *   people whose week fell that day;
 * - `security_office`: once, when `securityOfficeAfterDays` have passed since it, to every active
 *   security officer: one digest a day.
 *
 * One audit row per organisation and run summarises what fired (nothing fired: no row).
 */
@Injectable()
export class TrainingRemindersService {
  private readonly logger = new Logger(TrainingRemindersService.name);

  constructor(private readonly uow: UnitOfWork) {}

  @ScheduledJob(TRAINING_REMINDERS_SCHEDULE.name)
  async run(now: Date = new Date()): Promise<TrainingRemindersResult> {
    const today = tokyoToday(now);
    const result: TrainingRemindersResult = {
      today,
      organizations: 0,
      fired: { before_due: 0, due_today: 0, overdue: 0, manager_weekly: 0, security_office: 0 },
      mails: 0,
    };
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    for (const organization of organizations) {
      result.organizations++;
      await this.uow.run(systemActor(organization.id, 'scheduler'), (tx) => this.organizationReminders(tx, today, result));
    }
    const fired = Object.values(result.fired).reduce((a, b) => a + b, 0);
    if (fired) this.logger.log(`training reminders ${today}: ${JSON.stringify(result.fired)}, ${result.mails} mails`);
    return result;
  }

  private async organizationReminders(tx: Transaction, today: string, result: TrainingRemindersResult): Promise<void> {
    const params = [tx.actor.organizationId, today, JSON.stringify(DEFAULT_REMINDER_SETTINGS)];
    const fired: Record<ReminderRule, number> = { before_due: 0, due_today: 0, overdue: 0, manager_weekly: 0, security_office: 0 };
    const messages: OutboxRequest[] = [];

    for (const rule of Object.keys(PERSON_RULES) as PersonReminderRule[]) {
      const inserted = (await tx.manager.query(
        `WITH ${COURSE_SETTINGS}
         INSERT INTO training_reminders (organization_id, enrolment_id, rule, sent_on, recipient_id)
         SELECT e.organization_id, e.id, '${rule}', $2::date, e.staff_id ${OPEN_ENROLMENTS} AND ${PERSON_RULES[rule]}
         ON CONFLICT (enrolment_id, rule, sent_on) DO NOTHING
         RETURNING enrolment_id, recipient_id`,
        params,
      )) as { enrolment_id: string; recipient_id: string }[];
      fired[rule] = inserted.length;
      for (const row of inserted) {
        messages.push({
          topic: 'training.reminder',
          dedupeKey: `training-reminder:${rule}:${row.recipient_id}:${today}:${row.enrolment_id}`,
          payload: { enrolmentId: row.enrolment_id, rule, day: today },
        });
      }
    }

    // weekly to the managers: the rows name no one recipient (there may be several); the messages do
    const [weekly] = (await tx.manager.query(
      `WITH ${COURSE_SETTINGS}, ${DEPARTMENT_MANAGERS},
       fired AS (
         INSERT INTO training_reminders (organization_id, enrolment_id, rule, sent_on, recipient_id)
         SELECT e.organization_id, e.id, 'manager_weekly', $2::date, NULL ${OPEN_ENROLMENTS}
            AND cfg.manager_weekly AND e.due_on < $2::date AND ($2::date - e.due_on) % 7 = 0
            AND EXISTS (SELECT 1 FROM managers m WHERE m.department_id = e.department_id AND m.manager_id <> e.staff_id)
         ON CONFLICT (enrolment_id, rule, sent_on) DO NOTHING
         RETURNING enrolment_id)
       SELECT (SELECT count(*) FROM fired)::int AS fired,
              ARRAY(SELECT DISTINCT m.manager_id FROM fired JOIN enrolments e ON e.id = fired.enrolment_id
                      JOIN managers m ON m.department_id = e.department_id AND m.manager_id <> e.staff_id
                     ORDER BY m.manager_id)::text[] AS recipients`,
      params,
    )) as { fired: number; recipients: string[] }[];
    fired.manager_weekly = weekly!.fired;
    messages.push(...weekly!.recipients.map((id) => this.escalation('manager_weekly', id, today)));

    // once to the security office, when the course's days have passed since the due day
    const [office] = (await tx.manager.query(
      `WITH ${COURSE_SETTINGS},
       fired AS (
         INSERT INTO training_reminders (organization_id, enrolment_id, rule, sent_on, recipient_id)
         SELECT e.organization_id, e.id, 'security_office', $2::date, NULL ${OPEN_ENROLMENTS}
            AND e.due_on < $2::date AND e.due_on <= $2::date - cfg.office_after
            AND NOT EXISTS (SELECT 1 FROM training_reminders t WHERE t.enrolment_id = e.id AND t.rule = 'security_office')
            AND EXISTS (SELECT 1 FROM staff o WHERE o.organization_id = $1 AND o.status = 'active' AND 'security_officer' = ANY(o.roles))
         ON CONFLICT (enrolment_id, rule, sent_on) DO NOTHING
         RETURNING enrolment_id)
       SELECT (SELECT count(*) FROM fired)::int AS fired,
              ARRAY(SELECT o.id FROM staff o
                     WHERE o.organization_id = $1 AND o.status = 'active' AND 'security_officer' = ANY(o.roles) AND EXISTS (SELECT 1 FROM fired)
                     ORDER BY o.employee_number)::text[] AS recipients`,
      params,
    )) as { fired: number; recipients: string[] }[];
    fired.security_office = office!.fired;
    messages.push(...office!.recipients.map((id) => this.escalation('security_office', id, today)));

    const mails = await tx.outbox(messages);
    for (const rule of Object.keys(fired) as ReminderRule[]) result.fired[rule] += fired[rule];
    result.mails += mails;
    if (Object.values(fired).some((n) => n > 0)) {
      tx.audit({ action: 'training.reminders_sent', entityType: 'enrolment', entityId: null, context: { today, ...fired, mails } });
    }
  }

  private escalation(rule: EscalationRule, recipientId: string, day: string): OutboxRequest {
    return { topic: 'training.escalation', dedupeKey: `training-escalation:${rule}:${recipientId}:${day}`, payload: { rule, recipientId, day } };
  }
}
