/** What the response plan tells the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** the CISO approved a version of the plan: its scenario revisions are in force, the next review is due by nextReviewDue */
    'response_plan.approved': {
      versionId: string;
      version: number;
      approvedBy: string | null;
      nextReviewDue: string;
      /** scenario id → the revision put in force */
      scenarioRevisions: Record<string, number>;
      superseded: number[];
    };
  }
}

export {};
