import type { INestApplicationContext } from '@nestjs/common';
import { systemActor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { CliCommand } from '../common/features/feature.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { FiscalYearsService } from './fiscal-years.service.js';

/**
 * `fiscal-year:close FY [--note TEXT]`: the operator closes a fiscal year of the first organisation
 * (as the CISO would in the app) and prints the close as JSON. Exit 1 when the year cannot be closed.
 */
async function runClose(app: INestApplicationContext, args: string[]): Promise<number> {
  const [year, ...rest] = args;
  const noteAt = rest.indexOf('--note');
  const fiscalYear = Number(year);
  if (
    !year ||
    !/^\d{4}$/.test(year) ||
    fiscalYear < 2000 ||
    fiscalYear > 2100 ||
    (noteAt >= 0 && rest[noteAt + 1] === undefined) ||
    rest.length !== (noteAt >= 0 ? 2 : 0)
  ) {
    process.stderr.write(`usage: ${FISCAL_YEAR_CLOSE_COMMAND.usage}\n`);
    return 2;
  }
  const organization = await app.get(OrganizationsService, { strict: false }).home();
  if (!organization) {
    process.stderr.write('fiscal-year:close: there is no organisation yet\n');
    return 1;
  }
  try {
    const close = await app
      .get(FiscalYearsService, { strict: false })
      .close(systemActor(organization.id, 'cli'), fiscalYear, noteAt >= 0 ? rest[noteAt + 1] : undefined);
    process.stdout.write(`${JSON.stringify(close, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AppException) {
      process.stderr.write(`fiscal-year:close: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export const FISCAL_YEAR_CLOSE_COMMAND: CliCommand = {
  name: 'fiscal-year:close',
  usage: 'fiscal-year:close FY [--note TEXT]',
  description: "close a fiscal year that is over: freeze its indicators with the audit trail's head (as the CISO does in the app)",
  run: runClose,
};
