/**
 * What the staff feature tells the others (`tx.publish`), in the transaction of the change: a later
 * feature (training enrolling joiners, findings following transfers) reacts with `@OnDomainEvent` (or, to take many at once, `@OnDomainEvents`)
 * and commits with it. Staff imports none of them.
 */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** someone became active: created active, or back from leave or retirement */
    'staff.joined': { staffId: string; departmentId: string | null; reason: 'created' | 'returned' };
    /** someone changed department */
    'staff.moved': { staffId: string; fromDepartmentId: string | null; toDepartmentId: string | null };
    /** someone stopped being active: retired, or went on leave */
    'staff.left': { staffId: string; reason: 'retired' | 'on_leave' };
  }
}

export {};
