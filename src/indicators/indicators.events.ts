/** What the indicators feature tells the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** a fiscal year's figures were frozen by the CISO */
    'fiscal_year.closed': { fiscalYear: number; closeId: string };
    /** a closed fiscal year was opened again (its figures follow the records once more) */
    'fiscal_year.reopened': { fiscalYear: number; closeId: string };
  }
}

export {};
