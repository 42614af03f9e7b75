import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { AppException, type FieldError } from '../../common/errors/app.exception.js';
import type { Locale } from '../../common/locale.js';
import { message } from '../../common/messages.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { FINDING_SEVERITIES } from '../../findings/finding.entity.js';
import type { PostIncidentReviewDto } from '../../incidents/dto/post-incident-review.dto.js';
import { ExternalReportDrafts } from '../../incidents/external-report-draft.js';
import type { ExternalReport } from '../../incidents/external-report.entity.js';
import { ExternalReportsService } from '../../incidents/external-reports.service.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { IncidentsService } from '../../incidents/incidents.service.js';
import { PostIncidentReviewService } from '../../incidents/post-incident-review.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { LOCAL_DATE_TIME, type RecordSentForm, type ReviewForm } from './incident-report-page.dto.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The forms of these pages (their messages are `formField.<form>.<field>`). */
export const SENT_FORM = 'externalReportSent';
export const REVIEW_FORM = 'incidentReview';

/** The element id of a field of one report's "record sent" form (several forms share the checklist page). */
export const sentFieldId = (field: string, reportId: string): string => `${field}-${reportId}`;

/** How long until a deadline, or since it passed, in whole days and hours: 「あと2日5時間」, 「期限を5時間過ぎています」. */
export function countdown(dueAt: Date, now: Date): { key: string; days: number; hours: number; overdue: boolean } {
  const diff = dueAt.getTime() - now.getTime();
  const overdue = diff < 0;
  const span = Math.abs(diff);
  const days = Math.floor(span / DAY_MS);
  const hours = Math.floor((span % DAY_MS) / HOUR_MS);
  const key = overdue ? (days > 0 ? 'overdue' : 'hoursOverdue') : days > 0 ? 'left' : 'hoursLeft';
  return { key: `externalReports.countdown.${key}`, days, hours, overdue };
}

/** A report's name in the reader's language: 「個人情報保護委員会（速報）」. */
export function reportName(report: Pick<ExternalReport, 'recipient' | 'kind'>, locale: Locale): string {
  const to = message(locale, `externalReport.recipient.${report.recipient}`);
  const kind = message(locale, `externalReport.kind.${report.kind}`);
  return locale === 'ja' ? `${to}（${kind}）` : `${to} (${kind})`;
}

/** `2026-05-01T14:30` from the browser is a time in Tokyo. */
export function tokyoDateTime(local: string): string {
  return LOCAL_DATE_TIME.test(local) ? `${local.length === 16 ? `${local}:00` : local}+09:00` : local;
}

/** 外部報告 and 事後レビュー: the data of the checklist, the draft and the review pages of an incident. */
@Injectable()
export class IncidentReportPagesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ExternalReportsService,
    private readonly drafts: ExternalReportDrafts,
    private readonly reviews: PostIncidentReviewService,
    private readonly incidents: IncidentsService,
  ) {}

  /** The checklist: the reports owed, soonest due first, with countdowns; a form to record each unsent one; the cancelled ones apart. */
  async checklist(actor: Actor, incidentId: string, locale: Locale, refused?: { reportId: string; errors: FormErrors }): Promise<object> {
    const incident = await this.incidents.get(actor, incidentId);
    const rows = await this.reports.forIncident(actor, incident.id);
    const now = new Date();
    const canRecord = may(actor, INCIDENTS.respond);
    const base = `/incidents/${incidentId}/external-reports`;
    const items = rows
      .filter((r) => r.cancelledAt === null)
      .map((r) => {
        const name = reportName(r, locale);
        const left = countdown(r.dueAt, now);
        const values = refused?.reportId === r.id ? refused.errors.submitted : {};
        return {
          id: r.id,
          name,
          headingId: `report-${r.id}`,
          triggerKeys: r.triggers.map((trigger) => `externalReport.trigger.${trigger}`),
          dueAt: r.dueAt,
          sent: r.sentAt !== null,
          sentAt: r.sentAt,
          sentTo: r.sentTo,
          sentVia: r.sentVia,
          note: r.note,
          late: r.sentAt !== null && r.sentAt.getTime() > r.dueAt.getTime(),
          countdown: left,
          overdue: r.sentAt === null && left.overdue,
          draftHref: `${base}/${r.id}/draft`,
          xlsxHref: `${base}/${r.id}/draft.xlsx`,
          form:
            canRecord && r.sentAt === null
              ? {
                  action: `${base}/${r.id}/sent`,
                  headingId: `record-${r.id}`,
                  ids: Object.fromEntries(['sentAt', 'sentTo', 'sentVia', 'note'].map((f) => [f, sentFieldId(f, r.id)])),
                  hints: Object.fromEntries(['sentAt', 'sentTo', 'sentVia'].map((f) => [f, `${sentFieldId(f, r.id)}-hint`])),
                  values,
                  // the form that was refused is shown open, with its messages
                  open: refused?.reportId === r.id,
                }
              : null,
        };
      });
    return {
      title: 'externalReports.title',
      titleDetail: { ja: incident.reference, en: incident.reference },
      incident,
      back: `/incidents/${incidentId}`,
      reviewHref: `/incidents/${incidentId}/review`,
      reports: items,
      overdue: items.filter((i) => i.overdue).length,
      cancelled: rows.filter((r) => r.cancelledAt !== null).map((r) => ({ id: r.id, name: reportName(r, locale), cancelledAt: r.cancelledAt, dueAt: r.dueAt })),
      ...(refused ? { formErrors: refused.errors } : {}),
    };
  }

  /** Records one report sent from its form (a time without a zone is Tokyo's). */
  async recordSent(actor: Actor, incidentId: string, reportId: string, form: RecordSentForm): Promise<void> {
    await this.reports.recordSent(actor, incidentId, reportId, {
      sentAt: form.sentAt ? tokyoDateTime(form.sentAt) : undefined,
      sentTo: form.sentTo,
      sentVia: form.sentVia,
      note: form.note,
    });
  }

  /** The printable draft: the items in the reader's language beside the Japanese ones, the values as they will be sent (Japanese). */
  async draft(actor: Actor, incidentId: string, reportId: string, locale: Locale): Promise<object> {
    const draft = await this.drafts.draft(actor, incidentId, reportId);
    return {
      title: 'externalReportDraftPage.title',
      titleDetail: { ja: `${draft.incident.reference} ${draft.heading.ja}`, en: `${draft.incident.reference} ${draft.heading.en}` },
      draft,
      english: locale === 'en',
      back: `/incidents/${incidentId}/external-reports`,
      xlsxHref: `/incidents/${incidentId}/external-reports/${reportId}/draft.xlsx`,
    };
  }

  /** The draft's workbook for a browser session, in the language of the pages. */
  workbook(actor: Actor, incidentId: string, reportId: string, locale: Locale): Promise<{ fileName: string; body: Buffer }> {
    return this.drafts.workbook(actor, incidentId, reportId, locale);
  }

  /** The review page: the review so far (or the refused form), its findings, and the form to add one. */
  async review(actor: Actor, incidentId: string, errors?: FormErrors): Promise<object> {
    const { incident, review, findings } = await this.reviews.read(actor, incidentId);
    const org = actor.organizationId;
    const [departments, controls] = await Promise.all([
      this.uow.manager.query(`SELECT id, code, name, name_en FROM departments WHERE organization_id = $1 AND closed_on IS NULL ORDER BY code`, [
        org,
      ]) as Promise<{ id: string; code: string; name: string; name_en: string | null }[]>,
      this.uow.manager.query(`SELECT id, code, title, title_en FROM controls WHERE organization_id = $1 ORDER BY code`, [org]) as Promise<
        { id: string; code: string; title: string; title_en: string | null }[]
      >,
    ]);
    const names = new Map(departments.map((d) => [d.id, d]));
    const submitted = (errors?.submitted ?? {}) as Record<string, unknown>;
    const chosenControls = new Set(toList(submitted.controlIds));
    const values = errors
      ? submitted
      : review
        ? { cause: review.cause, whatWorked: review.whatWorked, whatDidNot: review.whatDidNot, lessons: review.lessons }
        : {};
    return {
      title: 'incidentReview.title',
      titleDetail: { ja: incident.reference, en: incident.reference },
      incident,
      review,
      back: `/incidents/${incidentId}`,
      action: `/incidents/${incidentId}/review`,
      canWrite: may(actor, INCIDENTS.respond) && incident.status !== 'reported' && incident.status !== 'rejected',
      notAllowed: incident.status === 'reported' || incident.status === 'rejected',
      values,
      findings: findings.map(({ finding, actions }) => ({
        ...finding,
        department: finding.ownerDepartmentId ? (names.get(finding.ownerDepartmentId) ?? null) : null,
        actions,
      })),
      severities: FINDING_SEVERITIES.map((value) => ({ value, checked: submitted.severity === value })),
      departments: departments.map((d) => ({ ...d, selected: submitted.ownerDepartmentId === d.id })),
      controls: controls.map((c) => ({ ...c, selected: chosenControls.has(c.id) })),
      ...(errors ? { formErrors: errors } : {}),
    };
  }

  /**
   * Writes the review from the form: one finding when it has a title (its severity and department
   * then needed), with one action when it has a description (its assignee's employee number and due
   * date then needed).
   */
  async writeReview(actor: Actor, incidentId: string, form: ReviewForm): Promise<void> {
    const missing: FieldError[] = [];
    const need = (field: keyof ReviewForm, when: boolean): void => {
      if (when && !form[field]) missing.push({ field, messages: [`${field} is required`] });
    };
    need('severity', !!form.findingTitle);
    need('ownerDepartmentId', !!form.findingTitle);
    need('findingTitle', !!form.actionDescription);
    need('assignee', !!form.actionDescription);
    need('actionDueDate', !!form.actionDescription);
    if (missing.length) throw new AppException('VALIDATION_FAILED', undefined, missing);
    let assigneeId: string | null = null;
    if (form.actionDescription && form.assignee) {
      const [person] = (await this.uow.manager.query(`SELECT id FROM staff WHERE organization_id = $1 AND employee_number = $2 AND status = 'active'`, [
        actor.organizationId,
        form.assignee,
      ])) as { id: string }[];
      if (!person) throw new AppException('VALIDATION_FAILED', undefined, [{ field: 'assignee', messages: ['no active member of staff has that number'] }]);
      assigneeId = person.id;
    }
    const dto: PostIncidentReviewDto = {
      cause: form.cause,
      whatWorked: form.whatWorked,
      whatDidNot: form.whatDidNot,
      lessons: form.lessons,
      findings: form.findingTitle
        ? [
            {
              title: form.findingTitle,
              description: form.findingDescription,
              severity: form.severity!,
              ownerDepartmentId: form.ownerDepartmentId!,
              dueDate: form.dueDate,
              controlIds: form.controlIds ?? [],
              actions: form.actionDescription ? [{ description: form.actionDescription, assigneeId: assigneeId!, dueDate: form.actionDueDate! }] : [],
            },
          ]
        : [],
    };
    await this.reviews.write(actor, incidentId, dto);
  }
}

function toList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
