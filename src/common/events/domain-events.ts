import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Transaction } from '../../database/unit-of-work.js';
import { addMethodMetadata, FeatureCatalog } from '../features/discovery.js';

/**
 * What happened, by event type. Each feature declares the events it publishes in
 * `<feature>.events.ts`:
 *
 * ```ts
 * declare module '../common/events/domain-events.js' {
 *   interface DomainEventMap { 'staff.joined': { staffId: string; departmentId: string | null } }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEventMap {}

export type DomainEventType = keyof DomainEventMap & string;

/** One event: its `type` and the fields its type declares (a discriminated union over every type). */
export type DomainEvent<K extends DomainEventType = DomainEventType> = K extends DomainEventType ? { type: K } & DomainEventMap[K] : never;

/** A handler runs inside the publisher's transaction, before it commits; throwing rolls the publisher back. */
export type DomainEventHandler<K extends DomainEventType = DomainEventType> = (event: DomainEvent<K>, tx: Transaction) => Promise<unknown>;

const ON_DOMAIN_EVENT = Symbol('mamori:on-domain-event');

/**
 * Marks a provider method as a handler of an event type: `(event, tx) => Promise<…>`. The reacting
 * feature registers it; the publisher does not know it exists.
 */
export function OnDomainEvent<K extends DomainEventType>(type: K): MethodDecorator {
  return addMethodMetadata(ON_DOMAIN_EVENT, type);
}

/**
 * Delivers `tx.publish(event)` to its handlers, one after the other, in the publisher's transaction
 * (Vendure's blocking event handlers). What must leave the process (mail, webhooks, timers) is
 * written by a handler to the outbox, so it happens only if the transaction commits.
 */
@Injectable()
export class DomainEventBus implements OnModuleInit {
  private readonly logger = new Logger(DomainEventBus.name);
  private readonly handlers = new Map<string, { name: string; handle: DomainEventHandler }[]>();

  constructor(private readonly catalog: FeatureCatalog) {}

  onModuleInit(): void {
    for (const method of this.catalog.methods<DomainEventType>(ON_DOMAIN_EVENT)) {
      this.add(method.metadata, method.name, method.call as DomainEventHandler);
    }
  }

  /** Adds a handler by hand (tests); returns the function that removes it. */
  subscribe<K extends DomainEventType>(type: K, handle: DomainEventHandler<K>, name = 'subscriber'): () => void {
    const entry = this.add(type, name, handle as DomainEventHandler);
    return () => {
      const list = this.handlers.get(type) ?? [];
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async dispatch(event: DomainEvent, tx: Transaction): Promise<void> {
    for (const handler of this.handlers.get(event.type) ?? []) {
      this.logger.debug(`${event.type} → ${handler.name}`);
      await handler.handle(event, tx);
    }
  }

  private add(type: string, name: string, handle: DomainEventHandler): { name: string; handle: DomainEventHandler } {
    const entry = { name, handle };
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), entry]);
    return entry;
  }
}
