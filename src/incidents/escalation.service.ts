import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { systemActor } from '../common/actor.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { PeriodicCheck } from '../jobs/job-registry.js';
import { OutboxHandler, QUEUES, type OutboxJob } from '../outbox/outbox-topics.js';
import type { ClimbStopReason, PolicySnapshot } from './escalation-climb.entity.js';
import { EscalationClimb } from './escalation-climb.entity.js';
import { EscalationPolicy, type EscalationTrigger } from './escalation-policy.entity.js';
import type { Incident } from './incident.entity.js';
import { appendTimeline } from './incident-timeline.js';
import './escalation.events.js';

/** How long a timer may be late before the checker fires the level itself. */
const CHECK_GRACE_MS = 1_000;
/** How often the checker looks. */
const CHECK_EVERY_MS = 1_000;
/** Climbs the checker fires per round. */
const CHECK_BATCH = 200;
/**
 * How long firing waits for Redis to take the next level's timer. Redis that does not answer holds
 * a command until it is back (bull's connection queues it): without this bound a fire, and the
 * checker with it, would wait for the whole outage and no level would climb meanwhile.
 */
const TIMER_WAIT_MS = 1_000;
/** Climbs a timer fires in one transaction: its own and the organisation's others due with it. */
const FIRE_BATCH = 100;

/** The id of the bull delayed job that fires one level's attempt: derived, so setting it twice sets one timer. */
export function escalationJobId(climbId: string, level: number, attempt: number): string {
  return `escalation-${climbId}-${level}-${attempt}`;
}

/** What firing a climb did: the level told (if any) and when the next is due. */
export interface FireOutcome {
  fired: { firingId: string; level: number; attempt: number; recipients: number } | null;
  next: { level: number; attempt: number; dueAt: Date } | null;
}

interface ClimbRow {
  id: string;
  organization_id: string;
  incident_id: string;
  policy: PolicySnapshot;
  next_level: number | null;
  next_attempt: number | null;
  next_due_at: Date | null;
  stopped_at: Date | null;
}

/**
 * Escalation (エスカレーション): a climb of the policy chosen by the incident's severity, on a snapshot of
 * it. Levels are told one after the other while nobody acknowledges: each level's attempts `repeat`
 * times, `timeoutMinutes` apart, then the next level.
 *
 * - Starting a climb (report, triage, raised severity) writes the climb and an outbox row in the
 *   change's transaction: the first level goes out once the change commits, even if Redis is down then.
 * - Firing a level locks the climb, records the firing (unique per climb, level and attempt), writes
 *   the timeline and the notifications' outbox rows, and moves the climb to its next attempt, due
 *   `timeoutMinutes` after this one fired (a wait is never skipped, even after an outage). After
 *   commit, a bull delayed job with a derived id is set for the next.
 * - A checker in the worker fires what is overdue from the table itself, so a climb resumes after the
 *   app, the worker or Redis restarts; a level is never told twice.
 * - Acknowledging, lowering the severity, closing or rejecting stops the climb in its transaction;
 *   a timer that fires later finds it stopped, and a mail not yet claimed is not sent.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    private readonly uow: UnitOfWork,
    @InjectQueue(QUEUES.jobs) private readonly jobs: Queue,
  ) {}

  /** The active policy chosen for a severity (or `untriaged`), if any. */
  async policyFor(tx: Transaction, trigger: EscalationTrigger): Promise<EscalationPolicy | null> {
    return tx.manager
      .getRepository(EscalationPolicy)
      .createQueryBuilder('p')
      .where('p.organizationId = :org AND p.active AND p.triggers @> :trigger::jsonb', { org: tx.actor.organizationId, trigger: JSON.stringify([trigger]) })
      .orderBy('p.key')
      .getOne();
  }

  /**
   * Starts a climb for the incident on a snapshot of the policy its severity chooses, stopping a
   * running one (`superseded`). No policy (or one without levels): nothing starts. Returns the climb.
   */
  async start(tx: Transaction, incident: Incident, reason: EscalationClimb['startReason']): Promise<EscalationClimb | null> {
    // a report is a new incident: no climb runs yet
    if (reason !== 'reported') await this.stop(tx, incident.id, 'superseded');
    // an event or near miss (L0) is recorded only: nobody is paged for it
    if (incident.severity === 'L0' || (incident.nearMiss && incident.severity === null)) return null;
    const trigger: EscalationTrigger = incident.severity ?? 'untriaged';
    const policy = await this.policyFor(tx, trigger);
    if (!policy || policy.levels.length === 0) return null;
    const now = new Date();
    const snapshot: PolicySnapshot = {
      policyId: policy.id,
      key: policy.key,
      name: policy.name,
      nameEn: policy.nameEn ?? null,
      revision: policy.revision,
      webhookUrl: policy.webhookUrl,
      levels: structuredClone(policy.levels),
    };
    const climb = await tx.manager.getRepository(EscalationClimb).save(
      tx.manager.getRepository(EscalationClimb).create({
        organizationId: tx.actor.organizationId,
        incidentId: incident.id,
        policy: snapshot,
        trigger,
        startReason: reason,
        startedAt: now,
        nextLevel: 0,
        nextAttempt: 1,
        nextDueAt: now,
      }),
    );
    await appendTimeline(tx, incident.id, {
      kind: 'escalation',
      text: null,
      data: {
        event: 'started',
        climbId: climb.id,
        policy: policy.key,
        policyName: policy.name,
        policyNameEn: policy.nameEn ?? null,
        revision: policy.revision,
        trigger,
        reason,
        levels: policy.levels.length,
      },
    });
    tx.audit({
      action: 'escalation.start',
      entityType: 'incident',
      entityId: incident.id,
      after: { climbId: climb.id, policy: policy.key, revision: policy.revision, trigger },
    });
    await tx.outbox({ topic: 'incident.escalation_due', payload: { climbId: climb.id }, dedupeKey: `escalation:${climb.id}:start` });
    return climb;
  }

  /** Stops the incident's running climb, if any (in the caller's transaction). Returns whether one was running. */
  async stop(tx: Transaction, incidentId: string, reason: ClimbStopReason): Promise<boolean> {
    const stopped = (await tx.manager.query(
      `UPDATE escalation_climbs SET stopped_at = now(), stop_reason = $3, stopped_by_id = $4, next_due_at = NULL, updated_at = now()
        WHERE organization_id = $1 AND incident_id = $2 AND stopped_at IS NULL
        RETURNING id`,
      [tx.actor.organizationId, incidentId, reason, tx.actor.staffId],
    )) as [{ id: string }[], number];
    const rows = stopped[0];
    if (rows.length === 0) return false;
    await appendTimeline(tx, incidentId, { kind: 'escalation', data: { event: 'stopped', climbId: rows[0]!.id, reason } });
    tx.audit({ action: 'escalation.stop', entityType: 'incident', entityId: incidentId, after: { climbId: rows[0]!.id, reason } });
    return true;
  }

  /** The running climb of an incident (for the page and the acknowledgement). */
  running(tx: Transaction, incidentId: string): Promise<EscalationClimb | null> {
    return tx.manager
      .getRepository(EscalationClimb)
      .createQueryBuilder('c')
      .where('c.organizationId = :org AND c.incidentId = :incidentId AND c.stoppedAt IS NULL', { org: tx.actor.organizationId, incidentId })
      .getOne();
  }

  /** A climb has a level due now (the outbox row of its start, or a timer): fire it, and the others due with it. */
  @OutboxHandler('incident.escalation_due')
  async onDue(job: OutboxJob<'incident.escalation_due'>): Promise<FireOutcome> {
    return this.fireDue(job.organizationId, job.payload.climbId);
  }

  /**
   * Fires the climb and, in the same transaction, the organisation's other climbs due by now (up to
   * FIRE_BATCH; any another firing holds are skipped, not waited for): when many fall due at once (a
   * burst of reports, the end of an outage) the first timers fire them in a few transactions, one
   * audit-trail append and one commit each, and the later timers find theirs fired. Returns the
   * climb's own outcome (nothing when another firing held it).
   */
  async fireDue(organizationId: string, climbId: string, now: () => Date = () => new Date()): Promise<FireOutcome> {
    return (await this.fireBatch(organizationId, climbId, now, TIMER_WAIT_MS)).get(climbId) ?? { fired: null, next: null };
  }

  /** {@link fireDue}: the outcome of every climb it fired or found not yet due. */
  private async fireBatch(organizationId: string, climbId: string, now: () => Date, timerWaitMs: number): Promise<Map<string, FireOutcome>> {
    const outcomes = await this.uow.run(systemActor(organizationId, 'escalation'), async (tx) => {
      const due = (await tx.manager.query(
        `SELECT id FROM escalation_climbs
          WHERE organization_id = $1 AND stopped_at IS NULL AND (id = $2 OR next_due_at <= $3::timestamptz + interval '20 milliseconds')
          ORDER BY id = $2 DESC, next_due_at LIMIT $4 FOR UPDATE SKIP LOCKED`,
        [organizationId, climbId, now(), FIRE_BATCH],
      )) as { id: string }[];
      const fired = new Map<string, FireOutcome>();
      for (const { id } of due) fired.set(id, await this.fireIn(tx, id, now()));
      return fired;
    });
    await Promise.all([...outcomes].flatMap(([id, outcome]) => (outcome.next ? [this.setTimer(organizationId, id, outcome.next, timerWaitMs)] : [])));
    return outcomes;
  }

  /**
   * Fires the climb's due attempt, if it is due and the climb still runs; then sets the timer of the
   * next. Safe to call at any time, any number of times: a level's attempt is told once.
   */
  async fire(organizationId: string, climbId: string, now: () => Date = () => new Date()): Promise<FireOutcome> {
    const outcome = await this.uow.run(systemActor(organizationId, 'escalation'), (tx) => this.fireIn(tx, climbId, now()));
    if (outcome.next) await this.setTimer(organizationId, climbId, outcome.next, TIMER_WAIT_MS);
    return outcome;
  }

  private async fireIn(tx: Transaction, climbId: string, now: Date): Promise<FireOutcome> {
    const rows = (await tx.manager.query(
      `SELECT id, organization_id, incident_id, policy, next_level, next_attempt, next_due_at, stopped_at
         FROM escalation_climbs WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
      [climbId, tx.actor.organizationId],
    )) as ClimbRow[];
    const climb = rows[0];
    if (!climb || climb.stopped_at || climb.next_level === null || climb.next_attempt === null || !climb.next_due_at) return { fired: null, next: null };
    const dueAt = new Date(climb.next_due_at);
    // a timer that fires early (clock skew between Redis and here) waits for the rest
    if (dueAt.getTime() > now.getTime() + 20) return { fired: null, next: { level: climb.next_level, attempt: climb.next_attempt, dueAt } };
    const levelIndex = climb.next_level;
    const attempt = climb.next_attempt;
    const level = climb.policy.levels[levelIndex];
    if (!level) {
      // nothing left to tell: the checker must not pick this climb again every round
      await tx.manager.query(`UPDATE escalation_climbs SET next_level = NULL, next_attempt = NULL, next_due_at = NULL, updated_at = now() WHERE id = $1`, [
        climbId,
      ]);
      return { fired: null, next: null };
    }

    const recipientIds = await this.recipientsOf(tx, climb.incident_id, level.recipients);
    const firedAt = new Date();
    const inserted = (await tx.manager.query(
      `INSERT INTO escalation_firings (organization_id, climb_id, incident_id, level, attempt, due_at, fired_at, recipient_ids, channels)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9::jsonb)
       ON CONFLICT (climb_id, level, attempt) DO NOTHING RETURNING id`,
      [tx.actor.organizationId, climbId, climb.incident_id, levelIndex, attempt, dueAt, firedAt, recipientIds, JSON.stringify(level.channels)],
    )) as { id: string }[];
    const firingId = inserted[0]?.id;

    // the next attempt of this level, or the first of the next level, due a full timeout after this one was told
    const repeat = Math.max(1, level.repeat);
    const nextLevel = attempt < repeat ? levelIndex : levelIndex + 1;
    const nextAttempt = attempt < repeat ? attempt + 1 : 1;
    const hasNext = nextLevel < climb.policy.levels.length;
    const nextDueAt = hasNext ? new Date(firedAt.getTime() + level.timeoutMinutes * 60_000) : null;
    await tx.manager.query(`UPDATE escalation_climbs SET next_level = $2, next_attempt = $3, next_due_at = $4, updated_at = now() WHERE id = $1`, [
      climbId,
      hasNext ? nextLevel : null,
      hasNext ? nextAttempt : null,
      nextDueAt,
    ]);
    if (!firingId) return { fired: null, next: hasNext ? { level: nextLevel, attempt: nextAttempt, dueAt: nextDueAt! } : null };

    await appendTimeline(tx, climb.incident_id, {
      kind: 'notification',
      at: firedAt,
      data: {
        event: 'escalated',
        climbId,
        firingId,
        level: levelIndex + 1,
        attempt,
        recipients: recipientIds.length,
        recipientIds,
        channels: level.channels,
        lateMs: Math.max(0, firedAt.getTime() - dueAt.getTime()),
      },
    });
    tx.audit({
      action: 'escalation.fire',
      entityType: 'incident',
      entityId: climb.incident_id,
      after: { climbId, level: levelIndex + 1, attempt, recipients: recipientIds.length, channels: level.channels },
    });
    if (level.channels.includes('email') && recipientIds.length > 0) {
      await tx.outbox({ topic: 'incident.escalation_mail', payload: { firingId }, dedupeKey: `escalation-mail:${firingId}` });
    }
    if (level.channels.includes('webhook') && climb.policy.webhookUrl) {
      await tx.outbox({ topic: 'incident.escalation_webhook', payload: { firingId }, dedupeKey: `escalation-webhook:${firingId}` });
    }
    return {
      fired: { firingId, level: levelIndex, attempt, recipients: recipientIds.length },
      next: hasNext ? { level: nextLevel, attempt: nextAttempt, dueAt: nextDueAt! } : null,
    };
  }

  /** Active staff a level names: by role, by id, and the head of the reporter's department (its managers when it has no head). */
  private async recipientsOf(tx: Transaction, incidentId: string, recipients: PolicySnapshot['levels'][number]['recipients']): Promise<string[]> {
    const rows = (await tx.manager.query(
      `SELECT s.id FROM staff s
        WHERE s.organization_id = $1 AND s.status = 'active'
          AND (s.roles && $2::text[]
               OR s.id = ANY($3::uuid[])
               OR ($4 AND EXISTS (
                     SELECT 1 FROM incidents i JOIN departments d ON d.id = i.reporter_department_id
                      WHERE i.id = $5
                        AND (s.id = d.head_id OR (d.head_id IS NULL AND s.department_id = d.id AND 'manager' = ANY(s.roles))))))
        ORDER BY s.employee_number`,
      [tx.actor.organizationId, recipients.roles ?? [], recipients.staffIds ?? [], recipients.reporterManager === true, incidentId],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /**
   * Sets the bull delayed job of the climb's next attempt (a derived id: setting it twice sets one),
   * waiting at most `waitMs` for Redis. Redis down: the checker fires the level when it is due, and
   * the timer, held by the connection, is set when Redis is back (firing it then tells nobody twice).
   */
  private async setTimer(organizationId: string, climbId: string, next: { level: number; attempt: number; dueAt: Date }, waitMs: number): Promise<void> {
    const job: OutboxJob<'incident.escalation_due'> = {
      outboxMessageId: escalationJobId(climbId, next.level, next.attempt),
      organizationId,
      topic: 'incident.escalation_due',
      payload: { climbId },
    };
    const added = this.jobs
      .add('incident.escalation_due', job, {
        jobId: escalationJobId(climbId, next.level, next.attempt),
        delay: Math.max(0, next.dueAt.getTime() - Date.now()),
        attempts: 3,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      })
      .then(
        () => true,
        (error: Error) => {
          this.logger.warn(`escalation timer of ${climbId} not set (the checker will fire it): ${error.message}`);
          return true;
        },
      );
    if (waitMs <= 0) return;
    let timeout: NodeJS.Timeout | undefined;
    const waited = await Promise.race([added, new Promise<false>((resolve) => (timeout = setTimeout(() => resolve(false), waitMs)))]);
    clearTimeout(timeout);
    if (!waited) this.logger.warn(`escalation timer of ${climbId} waits for Redis (the checker will fire the level when it is due)`);
  }

  /**
   * The checker: fires every running climb whose next attempt is overdue by more than a moment (its
   * timer lost with Redis, or never set). Runs where jobs run, without Redis.
   */
  @PeriodicCheck('incidents.escalation_check', CHECK_EVERY_MS)
  async checkDue(): Promise<number> {
    const due = (await this.uow.manager.query(
      `SELECT id, organization_id FROM escalation_climbs
        WHERE stopped_at IS NULL AND next_due_at IS NOT NULL AND next_due_at <= now() - make_interval(secs => $1::float / 1000)
        ORDER BY next_due_at LIMIT $2`,
      [CHECK_GRACE_MS, CHECK_BATCH],
    )) as { id: string; organization_id: string }[];
    // in batches, as a timer fires them: a climb another batch took is not waited for
    const handled = new Set<string>();
    for (const climb of due) {
      if (handled.has(climb.id)) continue;
      try {
        // the next timers are not waited for: a Redis that does not answer must not hold up the other climbs
        for (const id of (await this.fireBatch(climb.organization_id, climb.id, () => new Date(), 0)).keys()) handled.add(id);
      } catch (error) {
        this.logger.warn(`escalation ${climb.id}: ${(error as Error).message}`);
      }
    }
    return due.length;
  }
}
