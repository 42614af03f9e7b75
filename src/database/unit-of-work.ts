import { Injectable, Logger } from '@nestjs/common';
import { DataSource, QueryFailedError, type DeepPartial, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { canonicalJson, toJsonData } from '../common/canonical-json.js';
import type { Actor } from '../common/actor.js';
import { DomainEventBus, type DomainEvent } from '../common/events/domain-events.js';
import { AuditTrailWriter, type AuditEvent, type PendingAuditEntry } from '../audit-trail/audit-trail.writer.js';
import { JobRegistry } from '../jobs/job-registry.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import type { OutboxEvent } from '../outbox/outbox-topics.js';

/** PostgreSQL errors worth a retry: serialisation failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 3;
/** Outbox rows per INSERT statement. */
const OUTBOX_CHUNK = 1_000;

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
  private readonly auditEvents: PendingAuditEntry[] = [];

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
    this.auditEvents.push(this.trail.pending(this.actor, event));
  }

  /** The entries waiting for the commit (the unit of work chains and inserts them). */
  takeAuditEvents(): PendingAuditEntry[] {
    return this.auditEvents.splice(0);
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
      const inserted = await this.manager
        .createQueryBuilder()
        .insert()
        .into(OutboxMessage)
        .values(
          chunk.map((request) => ({
            organizationId: this.actor.organizationId,
            topic: request.topic,
            payload: request.payload,
            dedupeKey: request.dedupeKey,
            availableAt: request.availableAt ?? new Date(),
          })),
        )
        .orIgnore()
        .returning(['id'])
        .updateEntity(false)
        .execute();
      written += (inserted.raw as unknown[]).length;
    }
    return written;
  }

  /** Tells the features that react to `event`; their handlers run now, in this transaction. */
  publish(event: DomainEvent): Promise<void> {
    return this.bus.dispatch(event, this);
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
          await this.trail.appendAll(manager, tx.takeAuditEvents());
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
