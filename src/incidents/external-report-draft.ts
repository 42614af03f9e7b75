import { Injectable, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Actor } from '../common/actor.js';
import { formatDate, formatDateTime } from '../common/dates.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { FindingsService } from '../findings/findings.service.js';
import { externalReportView, type ExternalReportView } from './dto/external-report.dto.js';
import type { ExternalReport } from './external-report.entity.js';
import { ExternalReportsService } from './external-reports.service.js';
import type { Incident } from './incident.entity.js';
import { INCIDENTS } from './incidents.permissions.js';
import { PostIncidentReview } from './post-incident-review.entity.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The language a reader set for themselves (their staff record's), else Japanese. */
export function readerLocale(actor: Actor): Locale {
  const locale = (actor.person as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The same words in both languages: the report is written in Japanese; an English reader sees the English beside it. */
export interface Bilingual {
  ja: string;
  en: string;
}

/** One item of the draft: its label, and the value the incident gives it (null: a blank to fill in). */
export interface DraftField {
  key: string;
  label: Bilingual;
  value: string | null;
}

export interface DraftSection {
  key: string;
  label: Bilingual;
  fields: DraftField[];
}

/**
 * The draft of an external report (報告書案), filled from the incident's records with what the
 * Commission asks for (rule art. 43 for administrative bodies: outline, the personal data involved,
 * the number of people, cause, secondary harm, response to the people affected, publication,
 * prevention, other); the other recipients get the same items. What Mamori does not hold is left
 * blank, labelled, to fill in.
 */
export interface ExternalReportDraft {
  heading: Bilingual;
  organization: string;
  incident: { id: string; reference: string; title: string };
  report: ExternalReportView;
  preparedAt: Date;
  sections: DraftSection[];
  /** how many items are left to fill in */
  blanks: number;
}

const PREFIX = 'externalReportDraft';
const words = (key: string, values: Record<string, unknown> = {}): Bilingual => ({
  ja: message('ja', `${PREFIX}.${key}`, values),
  en: message('en', `${PREFIX}.${key}`, values),
});
/** Values are written in Japanese, the language of the report. */
const ja = (key: string, values: Record<string, unknown> = {}): string => message('ja', `${PREFIX}.${key}`, values);
/** Recipients, kinds and triggers are named as the pages name them (`externalReport.*`). */
const named = (key: string): string => message('ja', `externalReport.${key}`);
const lines = (items: readonly string[]): string | null => (items.length ? items.join('\n') : null);

interface Facts {
  incident: Incident;
  report: ExternalReport;
  others: ExternalReport[];
  organization: string;
  assignee: { name: string; email: string; department: string | null } | null;
  review: PostIncidentReview | null;
  prevention: string[];
}

/** The items of a draft, from the facts (a pure function: the unit tests and both formats read it). */
export function draftSections(facts: Facts): DraftSection[] {
  const { incident, report, others, review } = facts;
  const personal = incident.personalData;
  const field = (key: string, value: string | null): DraftField => ({ key, label: words(`field.${key}`), value: value?.trim() ? value : null });
  const categories = personal?.involved
    ? [
        ...(personal.sensitive ? [ja('value.sensitive')] : []),
        ...(personal.myNumber ? [ja('value.myNumber')] : []),
        ...(personal.ordinanceSensitive ? [ja('value.ordinanceSensitive')] : []),
      ]
    : [];
  const people = personal?.affectedPeople ?? incident.affectedPeople;
  const systems = incident.affectedSystems.length ? incident.affectedSystems.map((s) => s.name) : incident.system ? [incident.system] : [];
  const harm = [...(personal?.financialHarm ? [ja('value.financialHarm')] : []), ...(personal?.unlawfulPurpose ? [ja('value.unlawfulPurpose')] : [])];
  const notice = others.find((r) => r.recipient === 'affected_people' && r.cancelledAt === null);
  const otherReports = others
    .filter((r) => r.id !== report.id && r.recipient !== 'affected_people' && r.cancelledAt === null)
    .map((r) =>
      r.sentAt
        ? ja('value.reportSent', { to: named(`recipient.${r.recipient}`), kind: named(`kind.${r.kind}`), at: formatDateTime(r.sentAt, 'ja') })
        : ja('value.reportDue', { to: named(`recipient.${r.recipient}`), kind: named(`kind.${r.kind}`), at: formatDateTime(r.dueAt, 'ja') }),
    );
  return [
    {
      key: 'report',
      label: words('section.report'),
      fields: [
        field('organization', facts.organization),
        field('recipient', named(`recipient.${report.recipient}`)),
        field('kind', named(`kind.${report.kind}`)),
        field('dueAt', formatDateTime(report.dueAt, 'ja')),
        field('reference', `${incident.reference} ${incident.title}`),
        field(
          'contact',
          facts.assignee ? `${facts.assignee.department ? `${facts.assignee.department} ` : ''}${facts.assignee.name}（${facts.assignee.email}）` : null,
        ),
      ],
    },
    {
      key: 'facts',
      label: words('section.facts'),
      fields: [
        field('detectedAt', formatDateTime(incident.detectedAt, 'ja')),
        field('occurredAt', formatDateTime(incident.occurredAt, 'ja')),
        field('triggers', lines(report.triggers.map((t) => named(`trigger.${t}`)))),
        field('outline', `${incident.title}\n${incident.description}`),
        field('dataCategories', personal?.involved ? (categories.length ? categories.join('、') : ja('value.ordinaryData')) : null),
        field('dataItems', null),
        field('affectedPeople', people !== null && people !== undefined ? ja('value.people', { count: people.toLocaleString('ja-JP') }) : null),
        field('systems', systems.length ? systems.join('、') : null),
      ],
    },
    {
      key: 'cause',
      label: words('section.cause'),
      fields: [field('cause', review?.cause ?? null), field('secondaryHarm', lines(harm))],
    },
    {
      key: 'response',
      label: words('section.response'),
      fields: [
        field(
          'responseToPeople',
          notice?.sentAt
            ? ja('value.noticeSent', { at: formatDateTime(notice.sentAt, 'ja'), via: notice.sentVia ?? '', to: notice.sentTo ?? '' })
            : notice
              ? ja('value.noticeDue', { at: formatDateTime(notice.dueAt, 'ja') })
              : null,
        ),
        field('publication', null),
        field('prevention', lines([...(review ? [review.lessons] : []), ...facts.prevention])),
        field('otherReports', lines(otherReports)),
        field('other', null),
      ],
    },
  ];
}

/**
 * Drafts of external reports: the printable page's data and the workbook (XLSX), both from
 * `draftSections`. Those who read every incident may read a draft; the workbook's export is recorded
 * in the audit trail (it carries the incident's details).
 */
@Injectable()
export class ExternalReportDrafts {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ExternalReportsService,
    private readonly findings: FindingsService,
  ) {}

  async draft(actor: Actor, incidentId: string, reportId: string): Promise<ExternalReportDraft> {
    assertMay(actor, INCIDENTS.read_all);
    const { incident, report } = await this.reports.get(actor, incidentId, reportId);
    const manager = this.uow.manager;
    const org = actor.organizationId;
    const [others, [organization], assignees, review, findings] = await Promise.all([
      this.reports.forIncident(actor, incidentId),
      manager.query(`SELECT name FROM organizations WHERE id = $1`, [org]) as Promise<{ name: string }[]>,
      incident.assigneeId
        ? (manager.query(
            `SELECT s.family_name, s.given_name, s.email, d.name AS department FROM staff s LEFT JOIN departments d ON d.id = s.department_id
              WHERE s.id = $1 AND s.organization_id = $2`,
            [incident.assigneeId, org],
          ) as Promise<{ family_name: string; given_name: string; email: string; department: string | null }[]>)
        : Promise.resolve([]),
      manager.getRepository(PostIncidentReview).findOneBy({ organizationId: org, incidentId }),
      this.findings.raisedFrom(manager, org, { source: 'incident', sourceId: incidentId }),
    ]);
    const assignee = assignees[0];
    const prevention = findings.flatMap(({ finding, actions }) =>
      actions.length
        ? actions.map((a) => ja('value.action', { reference: finding.reference, description: a.description, due: formatDate(a.dueDate, 'ja') }))
        : [ja('value.finding', { reference: finding.reference, title: finding.title, due: formatDate(finding.dueDate, 'ja') })],
    );
    const sections = draftSections({
      incident,
      report,
      others,
      organization: organization?.name ?? '',
      assignee: assignee ? { name: `${assignee.family_name} ${assignee.given_name}`, email: assignee.email, department: assignee.department } : null,
      review,
      prevention,
    });
    return {
      heading: words(`heading.${report.recipient}.${report.kind}`),
      organization: organization?.name ?? '',
      incident: { id: incident.id, reference: incident.reference, title: incident.title },
      report: externalReportView(report),
      preparedAt: new Date(),
      sections,
      blanks: sections.reduce((n, s) => n + s.fields.filter((f) => f.value === null).length, 0),
    };
  }

  /** The draft as a workbook: the items in Japanese (with the English labels beside them for `en`), blanks marked to fill in. */
  async workbook(actor: Actor, incidentId: string, reportId: string, locale: Locale): Promise<{ fileName: string; body: Buffer }> {
    const draft = await this.draft(actor, incidentId, reportId);
    const body = await draftWorkbook(draft, locale);
    await this.uow.run(actor, async (tx) =>
      tx.audit({
        action: 'external_report.export',
        entityType: 'external_report',
        entityId: draft.report.id,
        context: { format: 'xlsx', locale, blanks: draft.blanks },
      }),
    );
    return { fileName: `external-report-${draft.incident.reference}-${draft.report.recipient}-${draft.report.kind}.xlsx`, body };
  }

  static streamable(file: { fileName: string; body: Buffer }): StreamableFile {
    return new StreamableFile(file.body, { type: XLSX_CONTENT_TYPE, disposition: `attachment; filename="${file.fileName}"` });
  }
}

const BLANK_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const SECTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

/** One sheet: the heading, the incident and the time it was prepared, a note, then item | (English) | content. */
export async function draftWorkbook(draft: ExternalReportDraft, locale: Locale): Promise<Buffer> {
  const english = locale === 'en';
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mamori';
  workbook.created = draft.preparedAt;
  const sheet = workbook.addWorksheet(ja('sheet'), { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = english
    ? [
        { key: 'label', width: 34 },
        { key: 'labelEn', width: 30 },
        { key: 'value', width: 70 },
      ]
    : [
        { key: 'label', width: 34 },
        { key: 'value', width: 80 },
      ];
  const width = english ? 3 : 2;
  const wide = (text: string, font: Partial<ExcelJS.Font> = {}): void => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, width);
    row.getCell(1).font = font;
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  };
  wide(english ? `${draft.heading.ja} / ${draft.heading.en}` : draft.heading.ja, { bold: true, size: 14 });
  wide(`${draft.organization} ${draft.incident.reference} ${draft.incident.title}`);
  wide(
    ja('preparedAt', { at: formatDateTime(draft.preparedAt, 'ja') }) +
      (english ? ` / ${message('en', `${PREFIX}.preparedAt`, { at: formatDateTime(draft.preparedAt, 'en') })}` : ''),
  );
  wide(english ? `${ja('note')}\n${message('en', `${PREFIX}.note`)}` : ja('note'), { italic: true });
  sheet.addRow([]);
  const header = sheet.addRow(english ? [ja('col.item'), message('en', `${PREFIX}.col.item`), ja('col.content')] : [ja('col.item'), ja('col.content')]);
  header.font = { bold: true };
  for (const section of draft.sections) {
    const row = sheet.addRow(english ? [section.label.ja, section.label.en] : [section.label.ja]);
    row.font = { bold: true };
    for (let column = 1; column <= width; column++) row.getCell(column).fill = SECTION_FILL;
    for (const field of section.fields) {
      const blank = field.value === null;
      const value = blank ? ja('blank') + (english ? ` / ${message('en', `${PREFIX}.blank`)}` : '') : field.value;
      const added = sheet.addRow(english ? [field.label.ja, field.label.en, value] : [field.label.ja, value]);
      added.alignment = { wrapText: true, vertical: 'top' };
      if (blank) added.getCell(width).fill = BLANK_FILL;
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
