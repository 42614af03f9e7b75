import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { systemActor, type Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { OnDomainEvent, type DomainEvent } from '../common/events/domain-events.js';
import { nextReference } from '../database/reference-numbers.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { Organization } from '../organizations/organization.entity.js';
import type { ResidentReportDto } from './dto/report-incident.dto.js';
import { appendTimeline } from './incident-timeline.js';
import { IncidentsService } from './incidents.service.js';
import { ResidentAcknowledgement } from './resident-acknowledgement.entity.js';
import { ResidentReportLimiter } from './resident-report-limiter.js';

/** Who files residents' reports: the organisation's public desk (a system actor; the audit trail names it `system:resident-desk`). */
export const RESIDENT_DESK = 'resident-desk';

/** The series of acknowledgement numbers (RCV-2022-0007), apart from the incidents' INC series. */
export const ACKNOWLEDGEMENT_SERIES = 'RCV';

/** An idempotency key as the API takes it (the same rule as staff reports'). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** A resident's report as it arrives, from the public API or the public page. */
export interface ResidentSubmission {
  /** the organisation's code (default: the deployment's first organisation) */
  organization?: string;
  report: ResidentReportDto;
  /** the `Idempotency-Key` header, or the page's one-time form token */
  key?: string;
  /** the name of the field or header the key came in (for the problem naming it) */
  keyField?: string;
  clientAddress: string | null;
}

/** What the resident is told: the acknowledgement number and when it was received; `created` false when a retry found the first report. */
export interface ResidentReceipt {
  acknowledgementNumber: string;
  receivedAt: Date;
  created: boolean;
}

/**
 * Residents' reports (住民からの通報) from the public page and API, without an account: limited per
 * client address (RESIDENT_REPORTS_PER_HOUR), filed by the core as the organisation's public desk
 * (`IncidentsService.reportAsResident`), and acknowledged with a number of a series of its own
 * (RCV-2022-0007) given in the report's transaction, so a resident never sees the internal reference.
 *
 * The idempotency key (the page's one-time form token, or the API's `Idempotency-Key`) is scoped to
 * the client's address network: a double-clicked or retried submission returns the first
 * acknowledgement (and gives its rate-limit point back), while nobody elsewhere can replay someone's
 * key to read their number.
 */
@Injectable()
export class ResidentReportsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly incidents: IncidentsService,
    private readonly organizations: OrganizationsService,
    private readonly limiter: ResidentReportLimiter,
  ) {}

  async receive(submission: ResidentSubmission): Promise<ResidentReceipt> {
    const { key, clientAddress } = submission;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new AppException('IDEMPOTENCY_KEY_INVALID', undefined, [
        { field: submission.keyField ?? 'Idempotency-Key', messages: ['must be 1 to 200 visible ASCII characters'] },
      ]);
    }
    const organization = await this.organizationOf(submission.organization);
    const retryAfter = await this.limiter.consume(clientAddress);
    if (retryAfter !== null) {
      throw new AppException('RESIDENT_REPORT_RATE_LIMITED', `Try again in ${retryAfter} s`, undefined, { retryAfterSeconds: retryAfter });
    }
    const actor: Actor = { ...systemActor(organization.id, RESIDENT_DESK), clientAddress };
    const scopedKey =
      key === undefined
        ? undefined
        : createHash('sha256')
            .update(`${ResidentReportLimiter.keyOf(clientAddress)}\n${key}`)
            .digest('hex');
    const { title, description, name, email, phone } = submission.report;
    const report: ResidentReportDto = { title, description, ...(name ? { name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    const outcome = await this.incidents.reportAsResident(actor, report, scopedKey);
    if (!outcome.created) await this.limiter.refund(clientAddress);
    const acknowledgement = await this.uow.manager
      .getRepository(ResidentAcknowledgement)
      .findOneByOrFail({ organizationId: organization.id, incidentId: outcome.incident.id });
    return { acknowledgementNumber: acknowledgement.number, receivedAt: outcome.incident.reportedAt, created: outcome.created };
  }

  /**
   * Gives a resident's report its acknowledgement number, in the report's transaction (gapless: a
   * report rolled back gives its number back). Staff reports are not the desk's: only a system
   * actor's report is looked at, and only one from a resident gets a number.
   */
  @OnDomainEvent('incident.reported')
  async giveAcknowledgementNumber(event: DomainEvent<'incident.reported'>, tx: Transaction): Promise<void> {
    if (!tx.actor.system) return;
    const [incident] = (await tx.manager.query(`SELECT source FROM incidents WHERE id = $1 AND organization_id = $2`, [
      event.incidentId,
      tx.actor.organizationId,
    ])) as { source: string }[];
    if (incident?.source !== 'resident') return;
    const { reference: number } = await nextReference(tx.manager, tx.actor.organizationId, ACKNOWLEDGEMENT_SERIES, event.fiscalYear);
    await tx.manager.insert(ResidentAcknowledgement, {
      organizationId: tx.actor.organizationId,
      incidentId: event.incidentId,
      number,
      fiscalYear: event.fiscalYear,
    });
    tx.audit({ action: 'incident.resident_acknowledgement', entityType: 'incident', entityId: event.incidentId, after: { acknowledgementNumber: number } });
    await appendTimeline(tx, event.incidentId, {
      kind: 'note',
      text: `住民からの報告。受付番号 ${number}（Resident report, acknowledgement number ${number}）`,
      data: { acknowledgementNumber: number },
    });
  }

  /** The organisation a report is for: the code given, else the deployment's first; an unknown code is the resident's field to correct. */
  private async organizationOf(code: string | undefined): Promise<Organization> {
    const organization = code === undefined ? await this.organizations.home() : await this.organizations.byCode(code);
    if (!organization) {
      throw new AppException('RESIDENT_REPORT_ORGANIZATION_UNKNOWN', undefined, [{ field: 'organization', messages: ['no such organisation'] }]);
    }
    return organization;
  }
}
