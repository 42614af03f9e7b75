import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { findingDetailView } from '../findings/dto/finding.dto.js';
import { uuidParam } from '../staff/uuid-param.js';
import { PostIncidentReviewDto, PostIncidentReviewView } from './dto/post-incident-review.dto.js';
import { INCIDENTS } from './incidents.permissions.js';
import { PostIncidentReviewService, type ReviewRecord } from './post-incident-review.service.js';

export function reviewView(record: ReviewRecord & { review: NonNullable<ReviewRecord['review']> }): PostIncidentReviewView {
  const { review } = record;
  return {
    id: review.id,
    incidentId: review.incidentId,
    cause: review.cause,
    whatWorked: review.whatWorked,
    whatDidNot: review.whatDidNot,
    lessons: review.lessons,
    reviewedById: review.reviewedById,
    reviewedAt: review.reviewedAt.toISOString(),
    findings: record.findings.map(({ finding, actions }) => findingDetailView(finding, actions)),
  };
}

/** The post-incident review (事後レビュー) of an incident, with its findings and corrective actions. */
@ApiTags('incidents')
@Controller('api/v1/incidents')
export class PostIncidentReviewController {
  constructor(private readonly reviews: PostIncidentReviewService) {}

  @Put(':id/review')
  @May(INCIDENTS.respond)
  @ApiOperation({
    summary:
      'Write the post-incident review (cause, what worked, what did not, lessons) and raise its findings (FND-YYYY-NNNN, source incident) with corrective actions linked to controls; sent again, it updates the review and the findings it names',
  })
  @ApiOkResponse({ type: PostIncidentReviewView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED), or a department, control or assignee is unknown (FINDING_LINK_INVALID, naming findings.N.…)',
    404: 'No such incident (INCIDENT_NOT_FOUND)',
    409: 'The incident is not triaged yet, or rejected (INCIDENT_REVIEW_NOT_ALLOWED)',
  })
  async write(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: PostIncidentReviewDto): Promise<PostIncidentReviewView> {
    const record = await this.reviews.write(actor, id, dto);
    return reviewView({ ...record, review: record.review! });
  }
}
