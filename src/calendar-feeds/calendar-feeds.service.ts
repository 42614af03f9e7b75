import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { In, IsNull } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { randomToken, sha256 } from '../common/secrets.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Drill } from '../response-plan/drill.entity.js';
import { DRILL_PERSON_SQL, invitationsOf } from '../response-plan/drill-people.js';
import { Staff } from '../staff/staff.entity.js';
import { calendarFeed, type DueTraining } from './calendar-feed-ics.js';
import { CalendarFeed } from './calendar-feed.entity.js';
import { CALENDAR_FEEDS } from './calendar-feeds.permissions.js';

/** A token as issued: 32 random bytes in base64url. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** How far back the feed lists drills. */
const PAST_DAYS = 400;
/** A fetch moves `lastUsedAt` at most this often (calendars poll; the row is not rewritten each time). */
const LAST_USED_EVERY_MS = 15 * 60_000;

/** The subscription as its person sees it (never the token, which is shown once). */
export interface CalendarFeedStatus {
  active: boolean;
  createdAt: Date | null;
  lastUsedAt: Date | null;
}

/** A new subscription: its address (with the token: shown once) and when it was made. */
export interface IssuedCalendarFeed {
  url: string;
  createdAt: Date;
}

/**
 * Private calendar subscriptions: each person may make an address (a secret token in it) that their
 * calendar (Outlook, Google) polls for their drills and training due dates, and stop it. Making a new
 * one stops the old; both are in the audit trail. The feed itself is public: the token is the
 * credential, and an unknown token and a stopped one answer alike.
 */
@Injectable()
export class CalendarFeedsService {
  private readonly publicUrl: string;

  constructor(
    private readonly uow: UnitOfWork,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  /** Whether the person has a subscription in use, when it was made and last fetched. */
  async status(actor: Actor): Promise<CalendarFeedStatus> {
    assertMay(actor, CALENDAR_FEEDS.manage_own);
    const feed = actor.staffId
      ? await this.uow.manager.getRepository(CalendarFeed).findOneBy({ organizationId: actor.organizationId, staffId: actor.staffId, revokedAt: IsNull() })
      : null;
    return { active: !!feed, createdAt: feed?.createdAt ?? null, lastUsedAt: feed?.lastUsedAt ?? null };
  }

  /** Makes the person's subscription address, stopping the one in use; the address (with its token) is returned only now. */
  async create(actor: Actor): Promise<IssuedCalendarFeed> {
    assertMay(actor, CALENDAR_FEEDS.manage_own);
    const staffId = this.staffIdOf(actor);
    return this.uow.run(actor, async (tx) => {
      await this.lockPerson(tx, staffId);
      const replaced = await this.revokeActive(tx, staffId, 'replaced');
      const token = randomToken(32);
      const feed = await tx.create(
        CalendarFeed,
        { staffId, tokenHash: sha256(token), revokedAt: null, lastUsedAt: null },
        { action: 'calendar_feed.create', entityType: 'calendar_feed', omit: ['tokenHash'], context: { replaced } },
      );
      return { url: `${this.publicUrl}/calendar/${token}.ics`, createdAt: feed.createdAt };
    });
  }

  /** Stops the person's subscription: its address answers 404 from now on. */
  async revoke(actor: Actor): Promise<void> {
    assertMay(actor, CALENDAR_FEEDS.manage_own);
    const staffId = this.staffIdOf(actor);
    await this.uow.run(actor, async (tx) => {
      await this.lockPerson(tx, staffId);
      if ((await this.revokeActive(tx, staffId, 'stopped')) === 0) throw new AppException('CALENDAR_FEED_NOT_FOUND');
    });
  }

  /** The feed of a token: null for a token unknown, stopped, or of a person no longer active (alike). */
  async feed(token: string, now: Date = new Date()): Promise<string | null> {
    if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) return null;
    const manager = this.uow.manager;
    const [found] = (await manager.query(
      `SELECT f.id, f.organization_id, f.staff_id, f.last_used_at FROM calendar_feeds f JOIN staff s ON s.id = f.staff_id
        WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND s.status = 'active'`,
      [sha256(token)],
    )) as { id: string; organization_id: string; staff_id: string; last_used_at: Date | null }[];
    if (!found) return null;
    if (!found.last_used_at || now.getTime() - new Date(found.last_used_at).getTime() > LAST_USED_EVERY_MS) {
      await manager.query(`UPDATE calendar_feeds SET last_used_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [found.id, now]);
    }
    const drillIds = (
      (await manager.query(
        `SELECT d.id FROM drills d JOIN staff s ON s.id = $2 AND s.organization_id = d.organization_id
          WHERE d.organization_id = $1 AND d.ends_at > $3::timestamptz - make_interval(days => ${PAST_DAYS}) AND ${DRILL_PERSON_SQL}`,
        [found.organization_id, found.staff_id, now],
      )) as { id: string }[]
    ).map((row) => row.id);
    const drills = drillIds.length ? await manager.getRepository(Drill).find({ where: { id: In(drillIds) }, order: { startsAt: 'ASC', id: 'ASC' } }) : [];
    const invitations = await invitationsOf(manager, found.organization_id, drills);
    const training = (
      (await manager.query(
        `SELECT e.id, c.title, e.due_on::text AS due_on FROM enrolments e JOIN courses c ON c.id = e.course_id
          WHERE e.organization_id = $1 AND e.staff_id = $2 AND c.status = 'published'
            AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL
          ORDER BY e.due_on, e.id`,
        [found.organization_id, found.staff_id],
      )) as { id: string; title: string; due_on: string }[]
    ).map((row): DueTraining => ({ enrolmentId: row.id, title: row.title, dueOn: row.due_on, url: `${this.publicUrl}/training/enrolments/${row.id}` }));
    return calendarFeed(
      drills.map((drill) => invitations.get(drill.id)!),
      training,
      now,
    );
  }

  private staffIdOf(actor: Actor): string {
    if (!actor.staffId) throw new AppException('FORBIDDEN', 'Only a member of staff has a calendar subscription');
    return actor.staffId;
  }

  /** One change of a person's subscription at a time (a double click makes one address, not two in use). */
  private async lockPerson(tx: Transaction, staffId: string): Promise<void> {
    await tx.manager
      .getRepository(Staff)
      .findOne({ where: { id: staffId, organizationId: tx.actor.organizationId }, select: { id: true }, lock: { mode: 'pessimistic_write' } });
  }

  private async revokeActive(tx: Transaction, staffId: string, reason: 'replaced' | 'stopped'): Promise<number> {
    const active = await tx.manager.getRepository(CalendarFeed).findBy({ organizationId: tx.actor.organizationId, staffId, revokedAt: IsNull() });
    for (const feed of active) {
      await tx.update(
        feed,
        { revokedAt: new Date() },
        { action: 'calendar_feed.revoke', entityType: 'calendar_feed', omit: ['tokenHash'], context: { reason } },
      );
    }
    return active.length;
  }
}
