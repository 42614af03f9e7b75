import { Injectable, Logger } from '@nestjs/common';
import { DataSource, QueryFailedError, type DeepPartial, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { canonicalJson, toJsonData } from '../common/canonical-json.js';
import type { Actor } from '../common/actor.js';
import { timeOrderedUuid } from '../common/uuid.js';
import { DomainEventBus, type DomainEvent } from '../common/events/domain-events.js';
import { AuditTrailWriter, type AuditEvent, type PreparedAuditEntry } from '../audit-trail/audit-trail.writer.js';
import { JobRegistry } from '../jobs/job-registry.js';
import type { OutboxEvent } from '../outbox/outbox-topics.js';

/** PostgreSQL errors worth a retry: serialisation failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 3;
/** Outbox rows per INSERT statement (they travel as one JSON document). */
const OUTBOX_CHUNK = 25_000;

export type OutboxRequest = OutboxEvent & { dedupeKey: string; availableAt?: Date };

/** What `tx.create` and `tx.update` record beside the row: the action, and fields left out of the trail. */
export type RecordedChange<E> = Omit<AuditEvent, 'entityId' | 'before' | 'after'> & {
  /** fields not written to the audit trail (large texts, secrets) */
  omit?: readonly (keyof E & string)[];
};

/** The audit-trail copy of a record: plain JSON, without the fields left out (dropped before serialising: a file's bytes never are). */
function withoutFields<E extends object>(value: E, omit: readonly string[] | undefined): object {
  if (!omit?.length) return toJsonData(value);
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of omit) delete copy[field];
  return toJsonData(copy);
}

/**
 * One change in progress: the EntityManager of its transaction, who is acting, and what every change
 * may do beside its data: record audit-trail events (`audit`, and `create`/`update` which record
 * for you), write outbox rows (`outbox`) and publish domain events to the features that react in
 * this same transaction (`publish`).
 */
export class Transaction {
  /** in the order recorded; `auditMany`'s entries are still being made while the change goes on */
  private readonly auditEvents: (PreparedAuditEntry | Promise<PreparedAuditEntry[]>)[] = [];

  constructor(
    readonly manager: EntityManager,
    readonly actor: Actor,
    private readonly trail: AuditTrailWriter,
    private readonly bus: DomainEventBus,
    private readonly jobs: JobRegistry,
  ) {}

  /**
   * Records an event in the audit trail. The entry is made now (its changes are a snapshot) and
   * chained with the transaction's others just before commit.
   */
  audit(event: AuditEvent): void {
    this.auditEvents.push(this.trail.prepare(this.trail.pending(this.actor, event)));
  }

  /**
   * Records many events at once (an import's rows): the same entries as `audit` one by one, chained
   * with the transaction's others in the one insert before commit. They are made a slice at a time
   * while the change goes on (the event loop serves other requests between slices), so the events'
   * objects must not change afterwards.
   */
  auditMany(events: readonly AuditEvent[]): void {
    if (events.length === 0) return;
    const entries = this.trail.prepareMany(this.actor, events);
    entries.catch(() => undefined); // awaited before commit; a change that fails first must not leave it unhandled
    this.auditEvents.push(entries);
  }

  /** The entries waiting for the commit (the unit of work chains and inserts them). */
  async takeAuditEvents(): Promise<PreparedAuditEntry[]> {
    const entries: PreparedAuditEntry[] = [];
    for (const item of this.auditEvents.splice(0)) {
      if (item instanceof Promise) for (const entry of await item) entries.push(entry);
      else entries.push(item);
    }
    return entries;
  }

  /** Inserts a row of the actor's organisation and records it (`after`) in the audit trail. */
  async create<E extends ObjectLiteral & { id: string }>(target: new () => E, fields: DeepPartial<NoInfer<E>>, event: RecordedChange<NoInfer<E>>): Promise<E> {
    const repository = this.manager.getRepository<E>(target);
    const saved = await repository.save(repository.create({ organizationId: this.actor.organizationId, ...fields } as DeepPartial<E>));
    const { omit, ...recorded } = event;
    this.audit({ ...recorded, entityId: saved.id, after: withoutFields(saved, omit) });
    return saved;
  }

  /**
   * The usual shape of an update: applies `changes` to a loaded entity, saves it and records the
   * change (before/after) in the audit trail. Nothing is recorded when nothing changed.
   */
  async update<E extends ObjectLiteral & { id: string }>(entity: E, changes: DeepPartial<NoInfer<E>>, event: RecordedChange<E>): Promise<E> {
    const repository = this.manager.getRepository<E>(entity.constructor as EntityTarget<E>);
    const before = toJsonData(entity);
    repository.merge(entity, changes);
    if (canonicalJson(toJsonData(entity)) === canonicalJson(before)) return entity;
    const saved = await repository.save(entity);
    const { omit, ...recorded } = event;
    this.audit({ ...recorded, entityId: entity.id, before: withoutFields(before as E, omit), after: withoutFields(saved, omit) });
    return saved;
  }

  /**
   * Writes side effects to the outbox, one row or many in one statement; a dedupe key written before
   * is skipped. Returns how many rows were new.
   */
  async outbox(requests: OutboxRequest | readonly OutboxRequest[]): Promise<number> {
    const list = Array.isArray(requests) ? (requests as readonly OutboxRequest[]) : [requests as OutboxRequest];
    let written = 0;
    for (let i = 0; i < list.length; i += OUTBOX_CHUNK) {
      const chunk = list.slice(i, i + OUTBOX_CHUNK);
      for (const request of chunk) if (!this.jobs.isRouted(request.topic)) throw new Error(`outbox topic ${request.topic} has no route`);
      const messages = chunk.map((request) => ({
        id: timeOrderedUuid(),
        topic: request.topic,
        payload: request.payload,
        dedupe_key: request.dedupeKey,
        available_at: (request.availableAt ?? new Date()).toISOString(),
      }));
      const inserted = (await this.manager.query(
        `INSERT INTO outbox_messages (id, organization_id, topic, payload, dedupe_key, available_at)
         SELECT id, $1::uuid, topic, payload, dedupe_key, available_at
           FROM ROWS FROM (json_to_recordset($2::json) AS (id uuid, topic varchar, payload jsonb, dedupe_key varchar, available_at timestamptz)) WITH ORDINALITY
                AS message (id, topic, payload, dedupe_key, available_at, n)
          ORDER BY n
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [this.actor.organizationId, JSON.stringify(messages)],
      )) as unknown[];
      written += inserted.length;
    }
    return written;
  }

  /** Tells the features that react to `event`; their handlers run now, in this transaction. */
  publish(event: DomainEvent): Promise<void> {
    return this.bus.dispatch(event, this);
  }

  /** Tells them of many events, in order; a handler of many at once (`@OnDomainEvents`) gets each run of one type in one call. */
  publishAll(events: readonly DomainEvent[]): Promise<void> {
    return this.bus.dispatchAll(events, this);
  }
}

/** Runs work in one transaction with the audit trail, retrying serialisation failures. */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly trail: AuditTrailWriter,
    private readonly bus: DomainEventBus,
    private readonly jobs: JobRegistry,
  ) {}

  /** For reads outside a change. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async run<T>(actor: Actor, work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          const tx = new Transaction(manager, actor, this.trail, this.bus, this.jobs);
          const result = await work(tx);
          // chained last: the chain lock is held from here to the commit only
          await this.trail.appendAll(manager, await tx.takeAuditEvents());
          return result;
        });
      } catch (error) {
        const code = error instanceof QueryFailedError ? (error as QueryFailedError & { code?: string }).code : undefined;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn(`retrying transaction after ${code} (attempt ${attempt})`);
      }
    }
  }
}
