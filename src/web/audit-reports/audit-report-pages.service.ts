import { Injectable } from '@nestjs/common';
import { AuditReportService } from '../../audits/audit-report.service.js';
import { AUDIT_KINDS, type AuditKind } from '../../audits/audit.entity.js';
import { AUDITS } from '../../audits/audits.permissions.js';
import { AuditsService } from '../../audits/audits.service.js';
import type { Actor } from '../../common/actor.js';
import { formatFiscalYear } from '../../common/dates.js';
import type { Locale } from '../../common/locale.js';
import { message } from '../../common/messages.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { FINDINGS } from '../../findings/findings.permissions.js';
import type { FormErrors } from '../forms/form-error.js';
import { formatPercent } from '../view-helpers.js';
import type { AcceptanceForm } from './audit-report-page.dto.js';
import { trendChart } from './trend-chart.js';

/** 監査報告 and 適合率の推移: the data of the report page and the trend page. */
@Injectable()
export class AuditReportPagesService {
  constructor(
    private readonly reports: AuditReportService,
    private readonly audits: AuditsService,
    private readonly uow: UnitOfWork,
  ) {}

  /** The report on one printable page; the CISO's form to accept or return it while it is reporting. */
  async report(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const report = await this.reports.report(actor, id);
    const { audit } = report;
    const submitted = (formErrors?.submitted ?? {}) as Record<string, unknown>;
    // the managers' sign-offs of a self-inspection (課長確認), per department in the reader's view
    const signOffs =
      audit.kind === 'self_inspection'
        ? (await this.audits.progressOf(this.uow.manager, audit, report.departmentId)).departments.map((d) => ({
            departmentName: d.departmentName,
            signedOffAt: d.signedOffAt,
            signedOffByName: d.signedOffByName,
            signedOffNote: d.signedOffNote,
          }))
        : null;
    // a finding's reference opens its page, for those who read findings
    const linkFindings = may(actor, FINDINGS.read);
    const findingHref = new Map(report.findings.map((f) => [f.reference, `/findings/${f.id}`]));
    const hrefOf = (reference: string | null) => (linkFindings && reference ? (findingHref.get(reference) ?? null) : null);
    return {
      title: 'auditReportPage.title',
      titleDetail: { ja: `${audit.reference} ${audit.title}`, en: `${audit.reference} ${audit.title}` },
      audit,
      chapters: audit.scope.chapters ?? [],
      leadAuditor: report.leadAuditor,
      auditors: report.auditors,
      departments: report.departmentNames,
      heldTo: report.departmentId !== null,
      overall: report.overall,
      byChapter: report.byChapter,
      byDepartment: report.byDepartment,
      findings: report.findings.map((finding) => ({ ...finding, actionCount: finding.actions.length, href: hrefOf(finding.reference) })),
      notes: report.notes.map((note) => ({ ...note, findingHref: hrefOf(note.findingReference) })),
      signOffs,
      notesTotal: report.notesTotal,
      /** the notes not listed on the page (the workbook has them) */
      notesMore: report.notesTotal - report.notes.length,
      acceptedBy: report.acceptedBy,
      mayAccept: may(actor, AUDITS.accept) && audit.status === 'reporting',
      acceptForm: {
        accept: submitted.decision === 'accept',
        return: submitted.decision === 'return',
        note: typeof submitted.note === 'string' ? submitted.note : '',
      },
      xlsxHref: `/audits/${audit.id}/report.xlsx`,
    };
  }

  /** The CISO accepts the report (the audit closes) or returns it with a note. */
  accept(actor: Actor, id: string, form: AcceptanceForm) {
    return this.audits.accept(actor, id, { accepted: form.decision === 'accept', note: form.note });
  }

  /** The trend across fiscal years: a table (each year, each kind) and a bar per year. */
  async trend(actor: Actor, kind: AuditKind | undefined, locale: Locale): Promise<object> {
    const years = await this.reports.trend(actor, { kind });
    const label = (year: number) => formatFiscalYear(year, locale);
    const chart = trendChart(
      years.map((year) => ({ label: label(year.fiscalYear), rate: year.total.rate })),
      formatPercent,
    );
    const kindName = kind ? message(locale, `auditReport.kind.${kind}`) : message(locale, 'auditTrend.allKinds');
    const describe = years.map((year) =>
      message(locale, 'auditTrend.chart.row', { year: label(year.fiscalYear), rate: formatPercent(year.total.rate), audits: year.total.audits }),
    );
    return {
      title: 'auditTrend.title',
      kind: kind ?? '',
      kinds: AUDIT_KINDS.map((value) => ({ value, selected: value === kind })),
      years: years.map((year) => ({ ...year, showKinds: !kind && year.byKind.length > 0 })),
      chart,
      chartTitle: message(locale, 'auditTrend.chart.title', { kind: kindName }),
      chartDescription: describe.join(locale === 'ja' ? '。' : '. '),
    };
  }
}
