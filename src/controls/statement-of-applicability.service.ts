import { Injectable, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Actor } from '../common/actor.js';
import { EXCEL_DATE_FORMAT, excelDate } from '../common/dates.js';
import { DEFAULT_LOCALE, type Locale } from '../common/locale.js';
import { assertMay } from '../common/permissions.js';
import { message } from '../common/messages.js';
import { CONTROLS } from './controls.permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Control } from './control.entity.js';
import { FrameworkItem } from './framework-item.entity.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SOA_FILE_NAME = 'statement-of-applicability.xlsx';

/** One row of the "SoA" sheet. */
export interface SoaRow {
  id: string;
  title: string;
  theme: string;
  applicable: boolean;
  controls: string[];
  statuses: string[];
  justification: string;
}

/**
 * The words of the workbook in the reader's language. Japanese names statuses and chapters as the
 * Japanese pages do (their catalogue, src/web/controls/i18n); English keeps the codes the API
 * returns (`implemented`, `yes`), as this export always has.
 */
interface SoaWords {
  sheet: (name: 'soa' | 'controls') => string;
  header: (sheet: 'soa' | 'controls', column: string) => string;
  yesNo: (value: boolean) => string;
  status: (status: string) => string;
  chapter: (chapter: number) => string | number;
  theme: (theme: string) => string;
  /** how a cell joins several statuses */
  separator: string;
}

const ENGLISH_HEADERS: Record<string, string> = {
  'soa.id': 'ID',
  'soa.title': 'Title',
  'soa.theme': 'Theme',
  'soa.applicable': 'Applicable',
  'soa.controls': 'Mamori controls',
  'soa.statuses': 'Statuses',
  'soa.justification': 'Justification',
  'controls.code': 'Code',
  'controls.chapter': 'Chapter',
  'controls.title': 'Title',
  'controls.titleEn': 'Title (English)',
  'controls.status': 'Status',
  'controls.reason': 'Reason',
  'controls.nextCheckDue': 'Next check due',
  'controls.iso': 'ISO/IEC 27001:2022',
  'controls.csf': 'NIST CSF 2.0',
};

function wordsFor(locale: Locale): SoaWords {
  if (locale === 'en') {
    return {
      sheet: (name) => (name === 'soa' ? 'SoA' : 'Controls'),
      header: (sheet, column) => ENGLISH_HEADERS[`${sheet}.${column}`] ?? column,
      yesNo: (value) => (value ? 'yes' : 'no'),
      status: (status) => status,
      chapter: (chapter) => chapter,
      theme: (theme) => theme,
      separator: ', ',
    };
  }
  return {
    sheet: (name) => message(locale, `soa.sheet.${name}`),
    header: (sheet, column) => message(locale, `soa.${sheet}.col.${column}`),
    yesNo: (value) => message(locale, value ? 'soa.yes' : 'soa.no'),
    status: (status) => message(locale, `controlStatus.${status}`),
    chapter: (chapter) => message(locale, `chapter.${chapter}`),
    theme: (theme) => (theme ? message(locale, `soa.theme.${theme}`) : ''),
    separator: '、',
  };
}

/** `A.5.10` before `A.5.9` would be wrong: compare the numeric parts. */
function compareItemCodes(a: string, b: string): number {
  const parts = (code: string): number[] =>
    code
      .split(/[^0-9]+/)
      .filter(Boolean)
      .map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

/**
 * The statement of applicability (ISO/IEC 27001 clause 6.1.3 d): every Annex A control, whether it
 * applies, which Mamori controls implement it, their status and the reasons given. An item is
 * applicable when an active control that is not `not_applicable` maps to it.
 */
@Injectable()
export class StatementOfApplicabilityService {
  constructor(private readonly uow: UnitOfWork) {}

  async rows(actor: Actor): Promise<{ rows: SoaRow[]; controls: Control[] }> {
    assertMay(actor, CONTROLS.export_soa);
    const org = actor.organizationId;
    const items = await this.uow.manager.getRepository(FrameworkItem).findBy({ organizationId: org, framework: 'iso27001' });
    const controls = (await this.uow.manager.getRepository(Control).find({ where: { organizationId: org }, order: { chapter: 'ASC', code: 'ASC' } })).filter(
      (c) => c.retiredAt === null,
    );
    const rows = items
      .sort((a, b) => compareItemCodes(a.code, b.code))
      .map((item): SoaRow => {
        const mapped = controls.filter((c) => c.mappings.iso27001?.includes(item.code));
        const applicable = mapped.some((c) => c.status !== 'not_applicable');
        return {
          id: item.code,
          title: item.title,
          theme: item.groupCode,
          applicable,
          controls: mapped.map((c) => c.code),
          statuses: mapped.map((c) => c.status),
          justification: mapped
            .filter((c) => c.statusReason)
            .map((c) => `${c.code}: ${c.statusReason}`)
            .join('\n'),
        };
      });
    return { rows, controls };
  }

  /** The workbook as an HTTP attachment (API and pages alike), in the reader's language. */
  async exportFile(actor: Actor, locale: Locale = DEFAULT_LOCALE): Promise<StreamableFile> {
    return new StreamableFile(await this.export(actor, locale), { type: XLSX_CONTENT_TYPE, disposition: `attachment; filename="${SOA_FILE_NAME}"` });
  }

  /** The workbook (sheets "SoA" and "Controls", or 適用宣言書 and 管理策一覧); the export is written to the audit trail. */
  async export(actor: Actor, locale: Locale = DEFAULT_LOCALE): Promise<Buffer> {
    const { rows, controls } = await this.rows(actor);
    const words = wordsFor(locale);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Mamori';
    workbook.created = new Date();

    const soa = workbook.addWorksheet(words.sheet('soa'), { views: [{ state: 'frozen', ySplit: 1 }] });
    const soaColumn = (key: string, width: number) => ({ header: words.header('soa', key), key, width });
    soa.columns = [
      soaColumn('id', 10),
      soaColumn('title', 50),
      soaColumn('theme', 16),
      soaColumn('applicable', 11),
      soaColumn('controls', 20),
      soaColumn('statuses', 30),
      soaColumn('justification', 60),
    ];
    for (const row of rows) {
      soa.addRow({
        ...row,
        theme: words.theme(row.theme),
        applicable: words.yesNo(row.applicable),
        controls: row.controls.join(', '),
        statuses: row.statuses.map(words.status).join(words.separator),
      });
    }

    const sheet = workbook.addWorksheet(words.sheet('controls'), { views: [{ state: 'frozen', ySplit: 1 }] });
    const column = (key: string, width: number) => ({ header: words.header('controls', key), key, width });
    sheet.columns = [
      column('code', 8),
      column('chapter', locale === 'en' ? 8 : 24),
      column('title', 50),
      column('titleEn', 50),
      column('status', 16),
      column('reason', 40),
      { ...column('nextCheckDue', locale === 'en' ? 16 : 18), style: { numFmt: EXCEL_DATE_FORMAT[locale] } },
      column('iso', 24),
      column('csf', 30),
    ];
    for (const c of controls) {
      sheet.addRow({
        code: c.code,
        chapter: words.chapter(c.chapter),
        title: c.title,
        titleEn: c.titleEn ?? '',
        status: words.status(c.status),
        reason: c.statusReason ?? '',
        // a real date (it sorts and filters), written as the pages write dates
        nextCheckDue: excelDate(c.nextCheckDue) ?? '',
        iso: (c.mappings.iso27001 ?? []).join(', '),
        csf: (c.mappings.nistCsf ?? []).join(', '),
      });
    }
    for (const ws of [soa, sheet]) {
      ws.getRow(1).font = { bold: true };
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ws.columnCount } };
      ws.eachRow((row) => (row.alignment = { vertical: 'top', wrapText: true }));
    }

    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    await this.uow.run(actor, async (tx) =>
      tx.audit({
        action: 'controls.export',
        entityType: 'control',
        entityId: null,
        context: { report: 'statement-of-applicability', format: 'xlsx', locale, items: rows.length, controls: controls.length, bytes: buffer.length },
      }),
    );
    return buffer;
  }
}
