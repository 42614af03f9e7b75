/** What the controls feature tells the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** a control's implementation status changed (audits and indicators react) */
    'control.status_changed': { controlId: string; code: string; from: string; to: string };
  }
}

export {};
