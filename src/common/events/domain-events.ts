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

/** A handler of many events of one type at once (a set-based reaction, e.g. to an import's joiners); same rules. */
export type DomainEventBatchHandler<K extends DomainEventType = DomainEventType> = (events: DomainEvent<K>[], tx: Transaction) => Promise<unknown>;

const ON_DOMAIN_EVENT = Symbol('mamori:on-domain-event');
const ON_DOMAIN_EVENTS = Symbol('mamori:on-domain-events');

/**
 * Marks a provider method as a handler of an event type: `(event, tx) => Promise<…>`. The reacting
 * feature registers it; the publisher does not know it exists.
 */
export function OnDomainEvent<K extends DomainEventType>(type: K): MethodDecorator {
  return addMethodMetadata(ON_DOMAIN_EVENT, type);
}

/**
 * Marks a provider method as a handler of many events of a type at once: `(events, tx) =>
 * Promise<…>`. `tx.publishAll` hands it every event of a run in one call (one statement for 50,000
 * joiners rather than 50,000); `tx.publish` hands it a list of one.
 */
export function OnDomainEvents<K extends DomainEventType>(type: K): MethodDecorator {
  return addMethodMetadata(ON_DOMAIN_EVENTS, type);
}

type Registered = { name: string; handle: DomainEventHandler; batch: false } | { name: string; handle: DomainEventBatchHandler; batch: true };

/**
 * Delivers `tx.publish(event)` to its handlers, one after the other, in the publisher's transaction
 * (Vendure's blocking event handlers). What must leave the process (mail, webhooks, timers) is
 * written by a handler to the outbox, so it happens only if the transaction commits.
 */
@Injectable()
export class DomainEventBus implements OnModuleInit {
  private readonly logger = new Logger(DomainEventBus.name);
  private readonly handlers = new Map<string, Registered[]>();

  constructor(private readonly catalog: FeatureCatalog) {}

  onModuleInit(): void {
    for (const method of this.catalog.methods<DomainEventType>(ON_DOMAIN_EVENT)) {
      this.add(method.metadata, { name: method.name, handle: method.call as DomainEventHandler, batch: false });
    }
    for (const method of this.catalog.methods<DomainEventType>(ON_DOMAIN_EVENTS)) {
      this.add(method.metadata, { name: method.name, handle: method.call as DomainEventBatchHandler, batch: true });
    }
  }

  /** Adds a handler by hand (tests); returns the function that removes it. */
  subscribe<K extends DomainEventType>(type: K, handle: DomainEventHandler<K>, name = 'subscriber'): () => void {
    return this.add(type, { name, handle: handle as DomainEventHandler, batch: false });
  }

  /** Adds a handler of many events at once by hand (tests); returns the function that removes it. */
  subscribeAll<K extends DomainEventType>(type: K, handle: DomainEventBatchHandler<K>, name = 'subscriber'): () => void {
    return this.add(type, { name, handle: handle as DomainEventBatchHandler, batch: true });
  }

  dispatch(event: DomainEvent, tx: Transaction): Promise<void> {
    return this.dispatchAll([event], tx);
  }

  /**
   * Delivers many events in order: each run of consecutive events of one type goes to each of the
   * type's handlers in turn, whole to a batch handler, one event after the other to the others.
   */
  async dispatchAll(events: readonly DomainEvent[], tx: Transaction): Promise<void> {
    for (let start = 0; start < events.length;) {
      const type = events[start]!.type;
      let end = start + 1;
      while (end < events.length && events[end]!.type === type) end++;
      const run = events.slice(start, end);
      for (const handler of this.handlers.get(type) ?? []) {
        this.logger.debug(`${type} ×${run.length} → ${handler.name}`);
        if (handler.batch) await handler.handle(run, tx);
        else for (const event of run) await handler.handle(event, tx);
      }
      start = end;
    }
  }

  private add(type: string, entry: Registered): () => void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), entry]);
    return () => {
      const list = this.handlers.get(type) ?? [];
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    };
  }
}
