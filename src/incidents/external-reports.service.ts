import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { OnDomainEvent, type DomainEvent } from '../common/events/domain-events.js';
import { assertMay } from '../common/permissions.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { RecordSentDto } from './dto/external-report.dto.js';
import { owedReports, type OwedReport, type ReportDeadlines } from './external-report-rules.js';
import { ExternalReport } from './external-report.entity.js';
import { appendTimeline } from './incident-timeline.js';
import { Incident } from './incident.entity.js';
import { IncidentsService } from './incidents.service.js';
import { INCIDENTS } from './incidents.permissions.js';
import './incidents.events.js';

/** Sent more than this far ahead of the server's clock is refused (a clock a little off is not). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The order of a checklist: by due time, then recipient and kind. */
const ORDER = { dueAt: 'ASC', recipient: 'ASC', kind: 'ASC' } as const;

const keyOf = (report: Pick<ExternalReport, 'recipient' | 'kind'>): string => `${report.recipient}:${report.kind}`;
const sameTriggers = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/** What an external report's timeline entry says (`data.change`): owed, changed (due or triggers), cancelled, sent. */
export type ExternalReportChange = 'owed' | 'changed' | 'cancelled' | 'sent';

/**
 * External reports (外部報告): the reports an incident owes to the Personal Information Protection
 * Commission, the prefecture, the ministry and the people affected, derived from triage's
 * assessment in the triage's own transaction (`incident.assessed`), with deadlines counted from
 * detection (external-report-rules.ts). A re-assessment adds what is newly owed, cancels what is no
 * longer owed and not sent, and never touches what was sent; each change is on the incident's
 * timeline (`external_report`) and in the audit trail.
 */
@Injectable()
export class ExternalReportsService {
  private readonly deadlines: ReportDeadlines;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly incidents: IncidentsService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.deadlines = { preliminaryReportDays: config.get('incidents', { infer: true }).preliminaryReportDays };
  }

  @OnDomainEvent('incident.assessed')
  async onAssessed(event: DomainEvent<'incident.assessed'>, tx: Transaction): Promise<void> {
    await this.reconcile(tx, event.incidentId);
  }

  /** A rejected incident owes nothing; one reopened from a rejection owes again what its assessment says. */
  @OnDomainEvent('incident.transitioned')
  async onTransitioned(event: DomainEvent<'incident.transitioned'>, tx: Transaction): Promise<void> {
    if (event.to === 'rejected' || event.to === 'reopened') await this.reconcile(tx, event.incidentId);
  }

  /**
   * Brings the incident's reports in line with what it owes now (in the caller's transaction, which
   * holds the incident's row lock): a report newly owed is added (or a cancelled one revived, the
   * unique key being incident, recipient and kind); an unsent one gets the due time and triggers of
   * the assessment; an unsent one no longer owed is cancelled; a sent one is never changed.
   */
  async reconcile(tx: Transaction, incidentId: string): Promise<void> {
    const incident = await tx.manager.getRepository(Incident).findOneByOrFail({ id: incidentId, organizationId: tx.actor.organizationId });
    const owed = new Map(owedReports(incident, this.deadlines).map((report) => [keyOf(report), report]));
    const existing = await tx.manager
      .getRepository(ExternalReport)
      .find({ where: { organizationId: tx.actor.organizationId, incidentId }, lock: { mode: 'pessimistic_write' } });
    const byKey = new Map(existing.map((report) => [keyOf(report), report]));
    const now = new Date();

    for (const [key, want] of owed) {
      const report = byKey.get(key);
      if (!report) {
        const created = await tx.create(
          ExternalReport,
          { incidentId, recipient: want.recipient, kind: want.kind, triggers: want.triggers, dueAt: want.dueAt },
          { action: 'external_report.owe', entityType: 'external_report' },
        );
        await this.onTimeline(tx, created, 'owed', now);
      } else if (report.sentAt === null && (report.cancelledAt !== null || !this.matches(report, want))) {
        const revived = report.cancelledAt !== null;
        const saved = await tx.update(
          report,
          { cancelledAt: null, triggers: want.triggers, dueAt: want.dueAt },
          { action: revived ? 'external_report.owe' : 'external_report.change', entityType: 'external_report' },
        );
        await this.onTimeline(tx, saved, revived ? 'owed' : 'changed', now);
      }
    }
    for (const report of existing) {
      if (owed.has(keyOf(report)) || report.sentAt !== null || report.cancelledAt !== null) continue;
      const saved = await tx.update(report, { cancelledAt: now }, { action: 'external_report.cancel', entityType: 'external_report' });
      await this.onTimeline(tx, saved, 'cancelled', now);
    }
  }

  /** The reports of an incident, soonest due first (cancelled ones too, for the record). */
  async list(actor: Actor, incidentId: string): Promise<ExternalReport[]> {
    assertMay(actor, INCIDENTS.read_all);
    await this.incidents.get(actor, incidentId);
    return this.reportsOf(actor, incidentId);
  }

  /** The reports of an incident the caller has already found (the incident's detail, for those who may read every incident). */
  async forIncident(actor: Actor, incidentId: string): Promise<ExternalReport[]> {
    assertMay(actor, INCIDENTS.read_all);
    return this.reportsOf(actor, incidentId);
  }

  /** One report of an incident (404 for another incident's). */
  async get(actor: Actor, incidentId: string, reportId: string): Promise<{ incident: Incident; report: ExternalReport }> {
    assertMay(actor, INCIDENTS.read_all);
    const incident = await this.incidents.get(actor, incidentId);
    const report = await this.uow.manager.getRepository(ExternalReport).findOneBy({ id: reportId, incidentId, organizationId: actor.organizationId });
    if (!report) throw new AppException('EXTERNAL_REPORT_NOT_FOUND');
    return { incident, report };
  }

  /**
   * Records that a report was sent: when (default now; not in the future, not before detection), to
   * whom and how. A report is recorded once (409 when it already was); a cancelled one is no longer
   * owed (409).
   */
  async recordSent(actor: Actor, incidentId: string, reportId: string, dto: RecordSentDto): Promise<ExternalReport> {
    assertMay(actor, INCIDENTS.respond);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.incidents.lock(tx, incidentId);
      const report = await tx.manager
        .getRepository(ExternalReport)
        .findOne({ where: { id: reportId, incidentId, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!report) throw new AppException('EXTERNAL_REPORT_NOT_FOUND');
      if (report.sentAt) throw new AppException('EXTERNAL_REPORT_ALREADY_SENT', undefined, undefined, { sentAt: report.sentAt.toISOString() });
      if (report.cancelledAt) throw new AppException('EXTERNAL_REPORT_CANCELLED', undefined, undefined, { cancelledAt: report.cancelledAt.toISOString() });
      const now = new Date();
      const sentAt = dto.sentAt ? new Date(dto.sentAt) : now;
      if (sentAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS || sentAt.getTime() < incident.detectedAt.getTime()) {
        throw new AppException('EXTERNAL_REPORT_SENT_AT_INVALID', undefined, [
          { field: 'sentAt', messages: ['must lie between the detection of the incident and now'] },
        ]);
      }
      const saved = await tx.update(
        report,
        { sentAt, sentTo: dto.sentTo, sentVia: dto.sentVia, note: dto.note ?? null, sentById: actor.staffId },
        { action: 'external_report.send', entityType: 'external_report' },
      );
      await this.onTimeline(tx, saved, 'sent', now, dto.note ?? null);
      return saved;
    });
  }

  private reportsOf(actor: Actor, incidentId: string): Promise<ExternalReport[]> {
    return this.uow.manager.getRepository(ExternalReport).find({ where: { organizationId: actor.organizationId, incidentId }, order: ORDER });
  }

  private matches(report: ExternalReport, want: OwedReport): boolean {
    return report.dueAt.getTime() === want.dueAt.getTime() && sameTriggers(report.triggers, want.triggers);
  }

  private onTimeline(tx: Transaction, report: ExternalReport, change: ExternalReportChange, at: Date, text: string | null = null): Promise<void> {
    return appendTimeline(tx, report.incidentId, {
      kind: 'external_report',
      text,
      at,
      data: {
        change,
        reportId: report.id,
        recipient: report.recipient,
        kind: report.kind,
        triggers: report.triggers,
        dueAt: report.dueAt.toISOString(),
        ...(change === 'sent'
          ? {
              sentAt: report.sentAt?.toISOString() ?? null,
              sentTo: report.sentTo,
              sentVia: report.sentVia,
              late: (report.sentAt?.getTime() ?? 0) > report.dueAt.getTime(),
            }
          : {}),
      },
    });
  }
}
