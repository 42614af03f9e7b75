import { Organization } from '../organizations/organization.entity.js';
import { Department } from '../staff/department.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { AuthSession } from '../auth/auth-session.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { RecoveryCode } from '../auth/recovery-code.entity.js';
import { PasswordToken } from '../auth/password-token.entity.js';
import { AuditTrailEntry } from '../audit-trail/audit-trail-entry.entity.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { NotificationDelivery } from '../notifications/notification-delivery.entity.js';
import { Policy } from '../policies/policy.entity.js';
import { PolicyVersion } from '../policies/policy-version.entity.js';
import { Control } from '../policies/control.entity.js';
import { ControlEvidence } from '../policies/control-evidence.entity.js';
import { FrameworkItem } from '../policies/framework-item.entity.js';
import { PolicyReview } from '../policies/policy-review.entity.js';
import { AcknowledgementDuty } from '../policies/acknowledgement-duty.entity.js';

/** Every entity, listed once for the DataSource (no globs: works from src and from dist). */
export const ENTITIES = [
  Organization,
  Department,
  Staff,
  AuthSession,
  RefreshToken,
  RecoveryCode,
  PasswordToken,
  AuditTrailEntry,
  OutboxMessage,
  NotificationDelivery,
  Policy,
  PolicyVersion,
  Control,
  ControlEvidence,
  FrameworkItem,
  PolicyReview,
  AcknowledgementDuty,
];
