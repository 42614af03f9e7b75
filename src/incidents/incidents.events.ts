/** What the incidents feature tells the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** a report was filed (by staff or a resident) */
    'incident.reported': { incidentId: string; reference: string; fiscalYear: number; nearMiss: boolean };
    /** an incident changed state (triage included) */
    'incident.transitioned': { incidentId: string; from: string; to: string; severity: string | null; category: string | null };
    /** triage's assessment was set or changed (category, severity, personal data, systems): external reports follow it */
    'incident.assessed': { incidentId: string };
    /** an incident's severity changed (triage, or later) */
    'incident.severity_changed': { incidentId: string; from: string | null; to: string };
  }
}

export {};
