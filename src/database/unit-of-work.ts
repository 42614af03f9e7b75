import { Injectable, Logger } from '@nestjs/common';
import { DataSource, QueryFailedError, type DeepPartial, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { canonicalJson, toJsonData } from '../common/canonical-json.js';
import type { Actor } from '../common/actor.js';
import { AuditTrailWriter, type AuditEvent } from '../audit-trail/audit-trail.writer.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import type { OutboxEvent } from '../outbox/outbox-topics.js';

/** PostgreSQL errors worth a retry: serialisation failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 3;

export type OutboxRequest = OutboxEvent & { dedupeKey: string; availableAt?: Date };

/**
 * One change in progress: the EntityManager of its transaction, who is acting, and the two things
 * every change may write beside its data: its audit-trail rows and its outbox messages.
 */
export class Transaction {
  constructor(
    readonly manager: EntityManager,
    readonly actor: Actor,
    private readonly trail: AuditTrailWriter,
  ) {}

  audit(event: AuditEvent): Promise<unknown> {
    return this.trail.append(this.manager, this.actor, event);
  }

  /**
   * The usual shape of an update: applies `changes` to a loaded entity, saves it and records the
   * change (before/after) in the audit trail. Nothing is recorded when nothing changed.
   */
  async update<E extends ObjectLiteral & { id: string }>(
    entity: E,
    changes: DeepPartial<NoInfer<E>>,
    event: Omit<AuditEvent, 'entityId' | 'before' | 'after'>,
  ): Promise<E> {
    const repository = this.manager.getRepository<E>(entity.constructor as EntityTarget<E>);
    const before = toJsonData(entity);
    repository.merge(entity, changes);
    if (canonicalJson(toJsonData(entity)) === canonicalJson(before)) return entity;
    const saved = await repository.save(entity);
    await this.audit({ ...event, entityId: entity.id, before, after: toJsonData(saved) });
    return saved;
  }

  /** Writes a side effect to the outbox; the same dedupe key twice writes it once. */
  async outbox(request: OutboxRequest): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values({
        organizationId: this.actor.organizationId,
        topic: request.topic,
        payload: request.payload,
        dedupeKey: request.dedupeKey,
        availableAt: request.availableAt ?? new Date(),
      })
      .orIgnore()
      .execute();
  }
}

/** Runs work in one transaction with the audit trail, retrying serialisation failures. */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly trail: AuditTrailWriter,
  ) {}

  /** For reads outside a change. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async run<T>(actor: Actor, work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => work(new Transaction(manager, actor, this.trail)));
      } catch (error) {
        const code = error instanceof QueryFailedError ? (error as QueryFailedError & { code?: string }).code : undefined;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn(`retrying transaction after ${code} (attempt ${attempt})`);
      }
    }
  }
}
