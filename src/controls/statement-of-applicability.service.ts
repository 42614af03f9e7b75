import { Injectable, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Actor } from '../common/actor.js';
import { assertMay } from '../common/permissions.js';
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

  /** The workbook (sheets "SoA" and "Controls"); the export is written to the audit trail. */
  /** The workbook as an HTTP attachment (API and pages alike). */
  async exportFile(actor: Actor): Promise<StreamableFile> {
    return new StreamableFile(await this.export(actor), { type: XLSX_CONTENT_TYPE, disposition: `attachment; filename="${SOA_FILE_NAME}"` });
  }

  async export(actor: Actor): Promise<Buffer> {
    const { rows, controls } = await this.rows(actor);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Mamori';
    workbook.created = new Date();

    const soa = workbook.addWorksheet('SoA', { views: [{ state: 'frozen', ySplit: 1 }] });
    soa.columns = [
      { header: 'ID', key: 'id', width: 10 },
      { header: 'Title', key: 'title', width: 50 },
      { header: 'Theme', key: 'theme', width: 16 },
      { header: 'Applicable', key: 'applicable', width: 11 },
      { header: 'Mamori controls', key: 'controls', width: 20 },
      { header: 'Statuses', key: 'statuses', width: 30 },
      { header: 'Justification', key: 'justification', width: 60 },
    ];
    for (const row of rows) {
      soa.addRow({ ...row, applicable: row.applicable ? 'yes' : 'no', controls: row.controls.join(', '), statuses: row.statuses.join(', ') });
    }

    const sheet = workbook.addWorksheet('Controls', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      { header: 'Code', key: 'code', width: 8 },
      { header: 'Chapter', key: 'chapter', width: 8 },
      { header: 'Title', key: 'title', width: 50 },
      { header: 'Title (English)', key: 'titleEn', width: 50 },
      { header: 'Status', key: 'status', width: 16 },
      { header: 'Reason', key: 'reason', width: 40 },
      { header: 'Next check due', key: 'nextCheckDue', width: 14 },
      { header: 'ISO/IEC 27001:2022', key: 'iso', width: 24 },
      { header: 'NIST CSF 2.0', key: 'csf', width: 30 },
    ];
    for (const c of controls) {
      sheet.addRow({
        code: c.code,
        chapter: c.chapter,
        title: c.title,
        titleEn: c.titleEn ?? '',
        status: c.status,
        reason: c.statusReason ?? '',
        nextCheckDue: c.nextCheckDue ?? '',
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
        context: { report: 'statement-of-applicability', format: 'xlsx', items: rows.length, controls: controls.length, bytes: buffer.length },
      }),
    );
    return buffer;
  }
}
