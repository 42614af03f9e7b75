import type { AuditStatus } from './audit.entity.js';

/**
 * An audit's steps: the security office (or the lead auditor) starts a planned audit, which makes its
 * checklist; the lead or the office reports it once every item is answered; the CISO accepts the
 * report, which closes it, or returns it for more work.
 */
export const AUDIT_TRANSITIONS: Readonly<Record<AuditStatus, readonly AuditStatus[]>> = {
  planned: ['in_progress'],
  in_progress: ['reporting'],
  reporting: ['closed', 'in_progress'],
  closed: [],
};

export function mayMoveAudit(from: AuditStatus, to: AuditStatus): boolean {
  return AUDIT_TRANSITIONS[from].includes(to);
}
