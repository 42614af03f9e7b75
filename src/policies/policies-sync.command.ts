import type { INestApplicationContext } from '@nestjs/common';
import type { CliCommand } from '../common/features/feature.js';
import { systemActor } from '../common/actor.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { PoliciesSyncService } from './policies-sync.service.js';
import { formatPolicyFileError, PolicyFilesInvalidError } from './policy-files.js';

/**
 * `policies:sync [--dry-run] [--root <dir>]`: loads `policies/` for the first organisation and
 * prints the counts as JSON. Returns the exit code (1 with `file:line: field: message` lines on
 * stderr when a file is invalid; nothing is written then).
 */
export async function runPoliciesSync(app: INestApplicationContext, args: string[]): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? args[rootAt + 1] : undefined;
  if (rootAt >= 0 && !root) {
    process.stderr.write('policies:sync: --root needs a folder\n');
    return 2;
  }
  const unknown = args.filter((a, i) => a !== '--dry-run' && a !== '--root' && !(rootAt >= 0 && i === rootAt + 1));
  if (unknown.length) {
    process.stderr.write(`policies:sync: unknown argument(s): ${unknown.join(' ')}\nusage: policies:sync [--dry-run] [--root <dir>]\n`);
    return 2;
  }
  const organization = await app.get(OrganizationsService, { strict: false }).home();
  if (!organization) {
    process.stderr.write('policies:sync: there is no organisation yet; create one first (e.g. the bootstrap or seed:demo command)\n');
    return 1;
  }
  try {
    const result = await app.get(PoliciesSyncService, { strict: false }).sync(systemActor(organization.id, 'cli'), { dryRun, root });
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  } catch (error) {
    if (error instanceof PolicyFilesInvalidError) {
      for (const e of error.errors) process.stderr.write(formatPolicyFileError(e) + '\n');
      process.stderr.write(`policies:sync: ${error.errors.length} error(s); nothing was written\n`);
      return 1;
    }
    throw error;
  }
}

/** `npm run cli -- policies:sync`, declared by the policies feature. */
export const POLICIES_SYNC_COMMAND: CliCommand = {
  name: 'policies:sync',
  usage: 'policies:sync [--dry-run] [--root DIR]',
  description: 'load policies/ (policy texts and the control catalogue); a changed policy becomes a new draft version',
  run: runPoliciesSync,
};
