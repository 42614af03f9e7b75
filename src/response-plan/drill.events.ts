import type { DrillInvitees } from './drill.entity.js';

/** What the drills tell the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** a drill was scheduled (SEQUENCE 0): its people are invited */
    'drill.scheduled': { drillId: string; sequence: number };
    /** a scheduled drill was changed (its SEQUENCE raised); `before` is who was invited before the change */
    'drill.changed': { drillId: string; sequence: number; before: { facilitatorId: string; invitees: DrillInvitees } };
    /** a scheduled drill was cancelled (its SEQUENCE raised) */
    'drill.cancelled': { drillId: string; sequence: number };
  }
}

export {};
