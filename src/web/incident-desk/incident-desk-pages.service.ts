import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import { AppException } from '../../common/errors/app.exception.js';
import type { Locale } from '../../common/locale.js';
import { assertMay } from '../../common/permissions.js';
import { randomToken } from '../../common/secrets.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { INCIDENT_FIGURE_GROUPS, type DurationFiguresView, type IncidentCountsView, type IncidentFiguresView } from '../../incidents/dto/figures.dto.js';
import type { ExternalRecipient, ExternalReportKind } from '../../incidents/external-report.entity.js';
import { groupLabel } from '../../incidents/incident-figures-export.js';
import { IncidentFiguresService } from '../../incidents/incident-figures.service.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import type { FormErrors } from '../forms/form-error.js';

/** External reports the due list shows at most. */
const DUE_LIST_LIMIT = 200;
const DAY_MS = 86_400_000;

/** A duration in minutes as people read it: 「45分」「3時間5分」「2日4時間」 (`45 min`, `3 h 5 min`, `2 d 4 h`); none: 「—」. */
export function formatMinutes(minutes: number | null, locale: Locale): string {
  if (minutes === null) return '—';
  const whole = Math.round(minutes);
  const ja = locale === 'ja';
  if (whole < 60) return ja ? `${whole}分` : `${whole} min`;
  if (whole < 24 * 60) {
    const [h, m] = [Math.floor(whole / 60), whole % 60];
    return ja ? `${h}時間${m ? `${m}分` : ''}` : `${h} h${m ? ` ${m} min` : ''}`;
  }
  const [d, h] = [Math.floor(whole / (24 * 60)), Math.floor((whole % (24 * 60)) / 60)];
  return ja ? `${d}日${h ? `${h}時間` : ''}` : `${d} d${h ? ` ${h} h` : ''}`;
}

/** The form's fields as the page fills them again (what was sent, or nothing). */
function formValues(submitted: Record<string, unknown> | undefined): Record<string, string> {
  const text = (name: string) => (typeof submitted?.[name] === 'string' ? (submitted[name] as string) : '');
  return { title: text('title'), description: text('description'), name: text('name'), email: text('email'), phone: text('phone') };
}

/**
 * The pages of the security office's incident desk: the residents' report page (public), the
 * figures of a fiscal year, and the external reports coming due.
 */
@Injectable()
export class IncidentDeskPagesService {
  constructor(
    private readonly figures: IncidentFiguresService,
    private readonly organizations: OrganizationsService,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * The residents' form: the organisation it goes to (named in the address, else the deployment's
   * first), and a fresh one-time token unless a refused form keeps its own.
   */
  async residentForm(input: { organization?: string; submitted?: Record<string, unknown>; formToken?: string; formErrors?: FormErrors }): Promise<object> {
    const organization = input.organization ? await this.organizations.byCode(input.organization) : await this.organizations.home();
    if (!organization) {
      throw new AppException('RESIDENT_REPORT_ORGANIZATION_UNKNOWN', undefined, [{ field: 'organization', messages: ['no such organisation'] }]);
    }
    return {
      title: 'residentReport.title',
      organizationName: organization.name,
      organizationCode: input.organization ?? '',
      formToken: input.formToken ?? randomToken(24),
      form: formValues(input.submitted),
      ...(input.formErrors ? { formErrors: input.formErrors } : {}),
    };
  }

  /** The figures page: a table for each grouping (severity, category, department) of the fiscal year. */
  async figuresPage(actor: Actor, fiscalYear: number | undefined, locale: Locale): Promise<object> {
    const year = fiscalYear ?? fiscalYearOf(tokyoToday());
    const years = await this.figures.fiscalYears(actor);
    const views: IncidentFiguresView[] = [];
    for (const groupBy of INCIDENT_FIGURE_GROUPS) views.push(await this.figures.figures(actor, { fiscalYear: year, groupBy }));
    const shown = (counts: IncidentCountsView) => ({
      ...counts,
      ack: this.duration(counts.timeToAcknowledge, locale),
      contain: this.duration(counts.timeToContain, locale),
      close: this.duration(counts.timeToClose, locale),
    });
    const first = views[0]!;
    return {
      title: 'incidentFigures.title',
      fiscalYear: year,
      years: (years.includes(year) ? years : [year, ...years].sort((a, b) => b - a)).map((y) => ({ year: y, selected: y === year })),
      scope: first.scope,
      countedSeverities: first.countedSeverities.join(locale === 'ja' ? '、' : ', '),
      totals: shown(first.totals),
      tables: views.map((view) => ({
        groupBy: view.groupBy,
        rows: view.items.map((row) => ({ label: groupLabel(view, row, locale), ...shown(row) })),
        totals: shown(view.totals),
      })),
      xlsxHref: `/incidents/figures.xlsx?fiscalYear=${year}`,
    };
  }

  /**
   * The external reports not sent nor cancelled, soonest due first, each flagged overdue or due
   * within a day (the work queue counts those): the desk's checklist across incidents.
   */
  async reportsDue(actor: Actor, now: Date = new Date()): Promise<object> {
    assertMay(actor, INCIDENTS.read_all);
    const rows = (await this.uow.manager.query(
      `SELECT x.id, x.incident_id, i.reference, i.title, x.recipient, x.kind, x.due_at
         FROM external_reports x JOIN incidents i ON i.id = x.incident_id AND i.organization_id = x.organization_id
        WHERE x.organization_id = $1 AND x.sent_at IS NULL AND x.cancelled_at IS NULL
        ORDER BY x.due_at, i.reference, x.recipient
        LIMIT ${DUE_LIST_LIMIT}`,
      [actor.organizationId],
    )) as { id: string; incident_id: string; reference: string; title: string; recipient: ExternalRecipient; kind: ExternalReportKind; due_at: Date }[];
    const items = rows.map((row) => {
      const due = new Date(row.due_at);
      const overdue = due.getTime() < now.getTime();
      return {
        id: row.id,
        // the incident's checklist of outside reports, where the report is marked sent
        href: `/incidents/${row.incident_id}/external-reports`,
        reference: row.reference,
        title: row.title,
        recipient: row.recipient,
        kind: row.kind,
        dueAt: due,
        overdue,
        dueSoon: !overdue && due.getTime() < now.getTime() + DAY_MS,
      };
    });
    return {
      title: 'incidentDesk.reportsDue.title',
      items,
      overdue: items.filter((item) => item.overdue).length,
      dueSoon: items.filter((item) => item.dueSoon).length,
      limited: rows.length === DUE_LIST_LIMIT,
    };
  }

  private duration(view: DurationFiguresView, locale: Locale): { median: string; p90: string; measured: number } {
    return { median: formatMinutes(view.medianMinutes, locale), p90: formatMinutes(view.p90Minutes, locale), measured: view.measured };
  }
}
