import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { dump as dumpYaml, load as loadYaml } from 'js-yaml';
import type { Actor } from '../common/actor.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { PoliciesSyncService } from './policies-sync.service.js';
import { POLICIES } from './policies.permissions.js';
import { PolicyVersion } from './policy-version.entity.js';
import { Policy } from './policy.entity.js';

export interface ExportResult {
  root: string;
  /** files written because their text differed from the version in force (or were missing) */
  written: { file: string; key: string; version: number }[];
  /** files that already held the version in force */
  unchanged: { file: string; key: string; version: number }[];
  /** policies with no version in force: their files are left as they are */
  skipped: { key: string; reason: 'no_version_in_force' }[];
}

/** The order of the front matter keys in `policies/README.md`; keys it does not name follow, sorted. */
const FRONT_MATTER_ORDER = ['id', 'kind', 'title', 'titleEn', 'owner', 'reviewIntervalMonths', 'classification'];

/**
 * A policy file as `policies/` holds it: the front matter between `---` lines, then the body, so
 * that `policies:sync` reads back exactly the front matter and body given (the same content hash).
 */
export function policyFileText(frontMatter: Record<string, unknown>, body: string): string {
  const keys = [
    ...FRONT_MATTER_ORDER.filter((k) => k in frontMatter),
    ...Object.keys(frontMatter)
      .filter((k) => !FRONT_MATTER_ORDER.includes(k))
      .sort(),
  ];
  const ordered = Object.fromEntries(keys.map((k) => [k, frontMatter[k]]));
  return `---\n${dumpYaml(ordered, { lineWidth: -1, noRefs: true })}---\n${body}`;
}

/** The Markdown files of a folder by the `id` of their front matter (a file that does not parse is passed over). */
function filesById(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(root)
    .filter((f) => f.endsWith('.md') && basename(f).toLowerCase() !== 'readme.md')
    .sort()) {
    const match = /^---\n([\s\S]*?)\n---\n?/.exec(readFileSync(join(root, name), 'utf8').replace(/\r\n/g, '\n'));
    try {
      const data = match ? (loadYaml(match[1]!) as { id?: unknown } | null) : null;
      if (typeof data?.id === 'string' && !files.has(data.id)) files.set(data.id, name);
    } catch {
      // not a policy file we can place: a new one is written beside it
    }
  }
  return files;
}

/**
 * `policies:export`: writes the organisation's texts in force back to files in the `policies/`
 * format, so that a revision made and approved in the app can be kept with the files (and
 * `policies:sync` of them changes nothing). A policy's file keeps its name when the folder has one
 * with its id; otherwise it is `<key>.md`. Other files of the folder are not touched.
 */
@Injectable()
export class PoliciesExportService {
  constructor(private readonly uow: UnitOfWork) {}

  async export(actor: Actor, options: { root?: string } = {}): Promise<ExportResult> {
    assertMay(actor, POLICIES.read);
    const root = resolve(options.root ?? PoliciesSyncService.defaultRoot());
    const policies = await this.uow.manager.getRepository(Policy).find({ where: { organizationId: actor.organizationId }, order: { key: 'ASC' } });
    const inForce = await this.uow.manager
      .getRepository(PolicyVersion)
      .find({ where: { organizationId: actor.organizationId, status: 'approved' }, order: { version: 'DESC' } });
    const result: ExportResult = { root, written: [], unchanged: [], skipped: [] };
    if (!existsSync(root)) mkdirSync(root, { recursive: true });
    const existing = filesById(root);
    for (const policy of policies) {
      const version = inForce.find((v) => v.policyId === policy.id);
      if (!version) {
        result.skipped.push({ key: policy.key, reason: 'no_version_in_force' });
        continue;
      }
      const file = existing.get(policy.key) ?? `${policy.key}.md`;
      const path = join(root, file);
      const text = policyFileText(version.frontMatter, version.body);
      const entry = { file, key: policy.key, version: version.version };
      if (existsSync(path) && readFileSync(path, 'utf8') === text) {
        result.unchanged.push(entry);
        continue;
      }
      writeFileSync(path, text);
      result.written.push(entry);
    }
    return result;
  }
}
