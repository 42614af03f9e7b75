/** What the policies feature tells the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /**
     * a new draft version: loaded from `policies/` (`files`), written in the app (`app`), or with a
     * review that asked for the revision (`review`); `replaced` are the drafts it superseded
     */
    'policy.version_drafted': {
      policyId: string;
      policyKey: string;
      versionId: string;
      version: number;
      source: 'files' | 'app' | 'review';
      replaced: number[];
    };
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
