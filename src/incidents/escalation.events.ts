declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** a climb has a level due now (the first level of a new climb); the worker fires it and sets its timer */
    'incident.escalation_due': { climbId: string };
    /** tell the people of one fired level by e-mail (read when sent: nothing once the climb stopped) */
    'incident.escalation_mail': { firingId: string };
    /** post one fired level to the policy's webhook (JSON for Teams, Slack, LINE WORKS incoming webhooks) */
    'incident.escalation_webhook': { firingId: string };
  }
}

export {};
