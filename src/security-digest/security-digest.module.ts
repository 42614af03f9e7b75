import { Module } from '@nestjs/common';
import { AuditTrailModule } from '../audit-trail/audit-trail.module.js';
import { Feature } from '../common/features/feature.js';
import { SecurityDigestMail } from './security-digest.notifications.js';
import { SECURITY_DIGEST_SCHEDULE, SecurityDigestService } from './security-digest.service.js';

/** The security office's daily mail on the audit trail (its anchored head and the day's verification). */
@Feature({ name: 'security-digest', schedules: [SECURITY_DIGEST_SCHEDULE] })
@Module({ imports: [AuditTrailModule], providers: [SecurityDigestService, SecurityDigestMail], exports: [SecurityDigestService] })
export class SecurityDigestModule {}
