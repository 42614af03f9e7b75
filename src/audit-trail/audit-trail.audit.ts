import type { AuditTrailVocabulary } from './audit-vocabulary.js';

/** The audit trail's own rows, in words: checking it and exporting it are recorded too. */
export const AUDIT_TRAIL_AUDIT = {
  actions: {
    'audit_trail.verify': { ja: '操作ログの改ざんを検証', en: 'Verified the audit trail' },
    'audit_trail.export': { ja: '操作ログを書き出し', en: 'Exported the audit trail' },
  },
  entityTypes: {
    audit_trail: { ja: '操作ログ', en: 'Audit trail' },
  },
} as const satisfies AuditTrailVocabulary;
