import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { FindingsService, type FindingWithActions } from '../findings/findings.service.js';
import type { PostIncidentReviewDto } from './dto/post-incident-review.dto.js';
import { appendTimeline } from './incident-timeline.js';
import type { Incident } from './incident.entity.js';
import { IncidentsService } from './incidents.service.js';
import { INCIDENTS } from './incidents.permissions.js';
import { PostIncidentReview } from './post-incident-review.entity.js';

/** A review and every finding it has raised, with their actions. */
export interface ReviewRecord {
  incident: Incident;
  review: PostIncidentReview | null;
  findings: FindingWithActions[];
}

/**
 * The post-incident review (事後レビュー): cause, what worked, what did not, lessons, and the
 * findings it raises (source `incident`, the incident's id) with their corrective actions, linked to
 * controls. One review per incident; writing it again updates it (and the findings it names, see
 * FindingsService.raiseOrUpdate). Closing an L2 or L3 incident needs it (IncidentsService.transition).
 */
@Injectable()
export class PostIncidentReviewService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly incidents: IncidentsService,
    private readonly findings: FindingsService,
  ) {}

  /** The review of an incident (null before it is written) and its findings. */
  async read(actor: Actor, incidentId: string): Promise<ReviewRecord> {
    assertMay(actor, INCIDENTS.read_all);
    const incident = await this.incidents.get(actor, incidentId);
    const review = await this.uow.manager.getRepository(PostIncidentReview).findOneBy({ organizationId: actor.organizationId, incidentId });
    const findings = await this.findings.raisedFrom(this.uow.manager, actor.organizationId, { source: 'incident', sourceId: incidentId });
    return { incident, review, findings };
  }

  /**
   * Writes (or rewrites) the review and raises its findings in one transaction; on the timeline
   * (`review`). An incident not yet triaged, or rejected, has no review (409).
   */
  async write(actor: Actor, incidentId: string, dto: PostIncidentReviewDto): Promise<ReviewRecord> {
    assertMay(actor, INCIDENTS.respond);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.incidents.lock(tx, incidentId);
      if (incident.status === 'reported' || incident.status === 'rejected') {
        throw new AppException('INCIDENT_REVIEW_NOT_ALLOWED', undefined, undefined, { incidentStatus: incident.status });
      }
      const fields = { cause: dto.cause, whatWorked: dto.whatWorked, whatDidNot: dto.whatDidNot, lessons: dto.lessons, reviewedById: actor.staffId };
      const existing = await tx.manager.getRepository(PostIncidentReview).findOne({
        where: { organizationId: actor.organizationId, incidentId },
        lock: { mode: 'pessimistic_write' },
      });
      const now = new Date();
      const review = existing
        ? await tx.update(existing, { ...fields, reviewedAt: now }, { action: 'post_incident_review.update', entityType: 'post_incident_review' })
        : await tx.create(
            PostIncidentReview,
            { incidentId, ...fields, reviewedAt: now },
            { action: 'post_incident_review.write', entityType: 'post_incident_review' },
          );
      const origin = { source: 'incident' as const, sourceId: incident.id };
      const raised = await this.findings.raiseOrUpdate(tx, origin, dto.findings ?? [], 'findings');
      await appendTimeline(tx, incident.id, {
        kind: 'review',
        at: now,
        data: {
          change: existing ? 'updated' : 'written',
          reviewId: review.id,
          findings: raised.map(({ finding }) => ({ id: finding.id, reference: finding.reference, title: finding.title })),
        },
      });
      return { incident, review, findings: await this.findings.raisedFrom(tx.manager, actor.organizationId, origin) };
    });
  }
}
