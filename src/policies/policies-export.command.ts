import type { INestApplicationContext } from '@nestjs/common';
import { systemActor } from '../common/actor.js';
import type { CliCommand } from '../common/features/feature.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { PoliciesExportService } from './policies-export.service.js';

/**
 * `policies:export [DIR]`: writes the first organisation's texts in force to DIR (default
 * `policies/`) in the format `policies:sync` reads, and prints what it wrote as JSON.
 */
export async function runPoliciesExport(app: INestApplicationContext, args: string[]): Promise<number> {
  const unknown = args.filter((a) => a.startsWith('-'));
  if (unknown.length || args.length > 1) {
    process.stderr.write(`policies:export: unexpected argument(s): ${(unknown.length ? unknown : args.slice(1)).join(' ')}\nusage: policies:export [DIR]\n`);
    return 2;
  }
  const organization = await app.get(OrganizationsService, { strict: false }).home();
  if (!organization) {
    process.stderr.write('policies:export: there is no organisation yet; create one first (e.g. the bootstrap or seed:demo command)\n');
    return 1;
  }
  const result = await app.get(PoliciesExportService, { strict: false }).export(systemActor(organization.id, 'cli'), { root: args[0] });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}

/** `npm run cli -- policies:export`, declared by the policies feature. */
export const POLICIES_EXPORT_COMMAND: CliCommand = {
  name: 'policies:export',
  usage: 'policies:export [DIR]',
  description: 'write the policy texts in force (e.g. revised and approved in the app) to DIR (default policies/) as policies:sync reads them',
  run: runPoliciesExport,
};
