import type { AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

/** The audit trail of the e-mail sent, in words. */
export const NOTIFICATIONS_AUDIT = {
  actions: {
    'notification.sent': { ja: '通知メールを送信', en: 'Sent a notification e-mail' },
  },
  entityTypes: {
    notification_delivery: { ja: '通知メール', en: 'Notification e-mail' },
  },
} as const satisfies AuditTrailVocabulary;
