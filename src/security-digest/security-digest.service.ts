import { Injectable, Logger } from '@nestjs/common';
import { AuditTrailCheckpoints } from '../audit-trail/audit-trail-checkpoints.service.js';
import { AuditTrailService } from '../audit-trail/audit-trail.service.js';
import { systemActor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE, tokyoToday } from '../common/calendar.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';

/** Every morning at 07:30 in Tokyo. */
export const SECURITY_DIGEST_SCHEDULE: ScheduleDefinition = {
  name: 'security-digest',
  jobId: 'security-digest-daily',
  cron: '30 7 * * *',
  tz: BUSINESS_TIME_ZONE,
};

export interface SecurityDigestResult {
  day: string;
  organizations: number;
  /** organisations whose chain verification found a break */
  broken: number;
  /** digests written to the outbox (a second run the same day writes none) */
  digests: number;
}

/**
 * The security office's daily mail: each organisation's chain head is anchored (a checkpoint), the
 * chain verified (recorded in the audit trail, like a verification someone asks for), and one mail
 * goes to its security officers and CISOs with the head line and what the verification found. The
 * mail leaves a copy of the head outside Mamori's database.
 */
@Injectable()
export class SecurityDigestService {
  private readonly logger = new Logger(SecurityDigestService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly trail: AuditTrailService,
    private readonly checkpoints: AuditTrailCheckpoints,
  ) {}

  @ScheduledJob(SECURITY_DIGEST_SCHEDULE.name)
  async sendDigests(now: Date = new Date()): Promise<SecurityDigestResult> {
    const day = tokyoToday(now);
    const result: SecurityDigestResult = { day, organizations: 0, broken: 0, digests: 0 };
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    for (const { id } of organizations) {
      result.organizations++;
      const { head } = await this.checkpoints.checkpoint(id);
      const verified = await this.trail.verify(id);
      if (!verified.ok) {
        result.broken++;
        this.logger.error(`audit trail of ${id} is broken at seq ${verified.firstBreak?.seq} (${verified.firstBreak?.reason})`);
      }
      const verification = {
        ok: verified.ok,
        checked: verified.checked,
        breakSeq: verified.firstBreak?.seq ?? null,
        breakReason: verified.firstBreak?.reason ?? null,
      };
      result.digests += await this.uow.run(systemActor(id, 'security-digest'), async (tx) => {
        tx.audit({
          action: 'audit_trail.verify',
          entityType: 'audit_trail',
          context: { ok: verified.ok, checked: verified.checked, firstBreak: verified.firstBreak, lastCheckpointSeq: verified.lastCheckpoint?.seq ?? null },
        });
        return tx.outbox({
          topic: 'security.daily_digest',
          dedupeKey: `security-digest:${day}`,
          payload: { checkpointId: head?.checkpointId ?? null, day, verification },
        });
      });
    }
    return result;
  }
}
