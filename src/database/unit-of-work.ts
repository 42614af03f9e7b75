import { Injectable, Logger } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
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
