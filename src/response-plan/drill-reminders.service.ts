import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { systemActor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE, tokyoToday } from '../common/calendar.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import type { Locale } from '../common/locale.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork, type OutboxRequest, type Transaction } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import { Organization } from '../organizations/organization.entity.js';
import { drillDetails, drillMailFacts, peopleByIds, type DrillMailFacts } from './drill-invitations.js';
import { DRILL_PERSON_SQL, drillPeople } from './drill-people.js';
import { DRILL_REMINDER_KINDS, type DrillReminderKind } from './drill-reminder.entity.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** remind these people of the drill starting on `startsOn` (dedupe key `drill-reminder:<kind>:<drillId>:<startsOn>:<day>`) */
    'drills.reminder': { drillId: string; kind: DrillReminderKind; startsOn: string; day: string; staffIds: string[] };
  }
}

/** The daily drill reminders: 08:50 in Tokyo (after the corrective actions' 08:45). */
export const DRILL_REMINDERS_SCHEDULE: ScheduleDefinition = {
  name: 'drill-reminders',
  jobId: 'drill-reminders-daily',
  cron: '50 8 * * *',
  tz: BUSINESS_TIME_ZONE,
};

/**
 * When each reminder applies to a scheduled drill (`$2` is today in Tokyo, `sd` the drill's day):
 * the windows do not overlap; a drill scheduled at short notice gets only the nearer one.
 */
const WINDOWS: Record<DrillReminderKind, string> = {
  week_before: `sd > $2::date + 1 AND sd <= $2::date + 7`,
  day_before: `sd >= $2::date AND sd <= $2::date + 1 AND d.starts_at > now()`,
};

export interface DrillRemindersResult {
  today: string;
  organizations: number;
  /** people reminded of each kind (new drill_reminders rows); a second run finds none */
  fired: Record<DrillReminderKind, number>;
}

/**
 * Reminders of scheduled drills, once a day: a week before the drill's day (Asia/Tokyo) and the day
 * before, to its facilitator and every active person invited (by id, role or department). One
 * `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` per kind records who is reminded in
 * `drill_reminders` (unique per drill, person, kind and day), and only the new rows become outbox
 * messages (one per drill and kind): each person is reminded once of each, however often the job runs.
 */
@Injectable()
export class DrillRemindersService {
  private readonly logger = new Logger(DrillRemindersService.name);

  constructor(private readonly uow: UnitOfWork) {}

  @ScheduledJob(DRILL_REMINDERS_SCHEDULE.name)
  run(now: Date = new Date()): Promise<DrillRemindersResult> {
    return this.remind(tokyoToday(now));
  }

  /** Sends the reminders due as of `today` (`YYYY-MM-DD`, Asia/Tokyo) for every organisation, each in its own transaction. */
  async remind(today: string): Promise<DrillRemindersResult> {
    const result: DrillRemindersResult = { today, organizations: 0, fired: { week_before: 0, day_before: 0 } };
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    for (const organization of organizations) {
      result.organizations++;
      await this.uow.run(systemActor(organization.id, 'scheduler'), (tx) => this.organizationReminders(tx, today, result));
    }
    if (result.fired.week_before + result.fired.day_before) this.logger.log(`drill reminders ${today}: ${JSON.stringify(result.fired)}`);
    return result;
  }

  private async organizationReminders(tx: Transaction, today: string, result: DrillRemindersResult): Promise<void> {
    const messages: OutboxRequest[] = [];
    const fired: Record<DrillReminderKind, number> = { week_before: 0, day_before: 0 };
    for (const kind of DRILL_REMINDER_KINDS) {
      const rows = (await tx.manager.query(
        `INSERT INTO drill_reminders (organization_id, drill_id, staff_id, kind, starts_on, sent_on)
         SELECT d.organization_id, d.id, s.id, '${kind}', sd, $2::date
           FROM drills d CROSS JOIN LATERAL (SELECT (d.starts_at AT TIME ZONE 'Asia/Tokyo')::date AS sd) dd
           JOIN staff s ON s.organization_id = d.organization_id AND s.status = 'active' AND ${DRILL_PERSON_SQL}
          WHERE d.organization_id = $1 AND d.status = 'scheduled' AND ${WINDOWS[kind]}
         ON CONFLICT (drill_id, staff_id, kind, starts_on) DO NOTHING
         RETURNING drill_id, staff_id, starts_on::text AS starts_on`,
        [tx.actor.organizationId, today],
      )) as { drill_id: string; staff_id: string; starts_on: string }[];
      fired[kind] = rows.length;
      result.fired[kind] += rows.length;
      const byDrill = new Map<string, { startsOn: string; staffIds: string[] }>();
      for (const row of rows) {
        const entry = byDrill.get(row.drill_id) ?? { startsOn: row.starts_on, staffIds: [] };
        entry.staffIds.push(row.staff_id);
        byDrill.set(row.drill_id, entry);
      }
      for (const [drillId, { startsOn, staffIds }] of byDrill) {
        messages.push({
          topic: 'drills.reminder',
          dedupeKey: `drill-reminder:${kind}:${drillId}:${startsOn}:${today}`,
          payload: { drillId, kind, startsOn, day: today, staffIds },
        });
      }
    }
    await tx.outbox(messages);
    if (messages.length > 0) tx.audit({ action: 'drill.reminders_sent', entityType: 'drill', entityId: null, context: { today, ...fired } });
  }
}

interface ReminderData extends DrillMailFacts {
  /** days from the reminder's day to the drill's */
  days: number;
}

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** Still reminded: still scheduled, on the day the reminder was for (locked against the change that ends it). */
async function stillOn(manager: EntityManager, payload: { drillId: string; startsOn: string }, lock: boolean): Promise<boolean> {
  const rows = (await manager.query(
    `SELECT 1 FROM drills WHERE id = $1 AND status = 'scheduled' AND (starts_at AT TIME ZONE 'Asia/Tokyo')::date = $2::date${lock ? ' FOR SHARE' : ''}`,
    [payload.drillId, payload.startsOn],
  )) as unknown[];
  return rows.length > 0;
}

/** A drill's reminder (a week before, the day before), read when sent: a drill cancelled or moved meanwhile reminds nobody. */
@Injectable()
@NotificationTemplate('drills.reminder')
export class DrillReminderMail implements NotificationIntent<'drills.reminder', ReminderData> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(
    manager: EntityManager,
    payload: { drillId: string; kind: DrillReminderKind; startsOn: string; day: string; staffIds: string[] },
    organizationId: string,
  ): Promise<NotificationRecipient<ReminderData>[]> {
    if (!(await stillOn(manager, payload, false))) return [];
    const found = await drillMailFacts(manager, organizationId, payload.drillId, this.publicUrl);
    if (!found) return [];
    const data: ReminderData = { ...found.facts, days: dayNumber(payload.startsOn) - dayNumber(payload.day) };
    // only those the drill still names: someone a change took off since the job ran is not reminded
    const stillInvited = new Set(await drillPeople(manager, organizationId, found.drill));
    return (
      await peopleByIds(
        manager,
        organizationId,
        payload.staffIds.filter((id) => stillInvited.has(id)),
      )
    ).map((person) => ({
      key: person.id,
      email: person.email,
      familyName: person.family_name,
      givenName: person.given_name,
      locale: person.locale,
      data,
    }));
  }

  stillWanted(tx: Transaction, payload: { drillId: string; startsOn: string }): Promise<boolean> {
    return stillOn(tx.manager, payload, true);
  }

  render(locale: Locale, data: ReminderData): Mail {
    const details = drillDetails(locale, data);
    if (locale === 'en') {
      const when = data.days === 0 ? 'today' : data.days === 1 ? 'tomorrow' : `in ${data.days} days`;
      return { subject: `[Mamori] Drill ${when}: ${data.title}`, text: `A reminder: the drill below is ${when}.\n\n${details}` };
    }
    const when = data.days === 0 ? '本日' : data.days === 1 ? '明日' : `${data.days}日後`;
    return { subject: `【訓練は${when}です】${data.title}`, text: `次の訓練は${when}です。ご参加ください。\n\n${details}` };
  }
}
