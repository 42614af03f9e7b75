/** What the policies feature tells the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** the CISO approved a version; when staff must acknowledge it, by when */
    'policy.version_approved': {
      policyId: string;
      policyKey: string;
      versionId: string;
      version: number;
      acknowledgementRequired: boolean;
      acknowledgementDueOn: string | null;
    };
  }
}

export {};
