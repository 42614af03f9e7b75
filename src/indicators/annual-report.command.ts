import type { INestApplicationContext } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { systemActor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { CliCommand } from '../common/features/feature.js';
import { isLocale } from '../common/locale.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { AnnualReportExport } from './annual-report-export.js';

/** `--name value` options, or null when one is unknown or has no value. */
function options(args: string[], names: readonly string[]): Record<string, string> | null {
  const found: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!.replace(/^--/, '');
    if (!args[i]!.startsWith('--') || !names.includes(name) || args[i + 1] === undefined) return null;
    found[name] = args[i + 1]!;
  }
  return found;
}

/**
 * `report:annual FY [--format xlsx|csv] [--out FILE] [--lang ja|en]`: the annual report of the first
 * organisation as a file (DESIGN.md §5), written to FILE (default `annual-report-FY<FY>.<format>` in
 * the working directory; `-` for standard output). The export is audited as the app's is.
 */
async function runAnnualReport(app: INestApplicationContext, args: string[]): Promise<number> {
  const [year, ...rest] = args;
  const opts = options(rest, ['format', 'out', 'lang']);
  const format = opts?.format ?? 'xlsx';
  if (!year || !/^\d{4}$/.test(year) || !opts || (format !== 'xlsx' && format !== 'csv') || (opts.lang !== undefined && !isLocale(opts.lang))) {
    process.stderr.write(`usage: ${ANNUAL_REPORT_COMMAND.usage}\n`);
    return 2;
  }
  const organization = await app.get(OrganizationsService, { strict: false }).home();
  if (!organization) {
    process.stderr.write('report:annual: there is no organisation yet\n');
    return 1;
  }
  try {
    const lang = opts.lang !== undefined && isLocale(opts.lang) ? opts.lang : undefined;
    const file = await app.get(AnnualReportExport, { strict: false }).file(systemActor(organization.id, 'cli'), Number(year), format, lang);
    const out = opts.out ?? file.fileName;
    if (out === '-') process.stdout.write(file.body);
    else {
      writeFileSync(out, file.body);
      process.stderr.write(`report:annual: wrote ${out} (${file.body.length} bytes)\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof AppException) {
      process.stderr.write(`report:annual: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export const ANNUAL_REPORT_COMMAND: CliCommand = {
  name: 'report:annual',
  usage: 'report:annual FY [--format xlsx|csv] [--out FILE|-] [--lang ja|en]',
  description: "write the CIO's annual report of a fiscal year (indicators against targets, what was done per plan item) as XLSX or CSV",
  run: runAnnualReport,
};
