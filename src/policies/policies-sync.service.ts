import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { load as loadYaml } from 'js-yaml';
import type { Actor } from '../common/actor.js';
import { toJsonData } from '../common/canonical-json.js';
import { projectRoot } from '../database/project-root.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Control, FRAMEWORKS, type Framework } from './control.entity.js';
import { FrameworkItem } from './framework-item.entity.js';
import { lineDiff } from './line-diff.js';
import { loadPolicyFiles, type ControlContent, type FrameworkFile, type PolicyFileContent } from './policy-files.js';
import { PolicyVersion } from './policy-version.entity.js';
import { Policy } from './policy.entity.js';

export interface SyncResult {
  dryRun: boolean;
  policies: { created: number; newDrafts: number; unchanged: number };
  controls: { created: number; updated: number; unchanged: number; retired: number };
  frameworks: { created: number; updated: number; unchanged: number };
}

export interface SyncOptions {
  dryRun?: boolean;
  /** the folder to load; defaults to `policies/` at the project root */
  root?: string;
}

/** Thrown inside the transaction of a dry run so that nothing it did is kept. */
class DryRunRollback extends Error {
  constructor(readonly result: SyncResult) {
    super('dry run');
  }
}

/** The catalogue fields of a control, as stored and as read from the file. */
function controlFields(c: ControlContent): Partial<Control> {
  return {
    chapter: c.chapter,
    title: c.title,
    titleEn: c.titleEn,
    description: c.description,
    descriptionEn: c.descriptionEn,
    ownerRole: c.ownerRole,
    frequency: c.frequency,
    essential: c.essential,
    verified: c.verified,
    mappings: c.mappings,
    contentHash: c.contentHash,
  };
}

/**
 * Loads `policies/` into the organisation (issue #3): policies get a new draft version when their
 * text or front matter changes; controls are upserted by code and retired, never deleted, when
 * they leave the file. Validates every file first; then all changes are one transaction.
 */
@Injectable()
export class PoliciesSyncService {
  constructor(private readonly uow: UnitOfWork) {}

  static defaultRoot(): string {
    return join(projectRoot(), 'policies');
  }

  async sync(actor: Actor, options: SyncOptions = {}): Promise<SyncResult> {
    const root = options.root ?? PoliciesSyncService.defaultRoot();
    const files = loadPolicyFiles(root); // throws PolicyFilesInvalidError
    const frameworkItems = readFrameworkItems(root); // the same files, already validated
    const dryRun = options.dryRun ?? false;
    try {
      return await this.uow.run(actor, async (tx) => {
        const result: SyncResult = {
          dryRun,
          policies: { created: 0, newDrafts: 0, unchanged: 0 },
          controls: { created: 0, updated: 0, unchanged: 0, retired: 0 },
          frameworks: { created: 0, updated: 0, unchanged: 0 },
        };
        // one sync at a time per organisation
        await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policies-sync:${actor.organizationId}`]);
        for (const file of files.policies) await this.syncPolicy(tx, file, result);
        await this.syncControls(tx, files.controls, result);
        await this.syncFrameworkItems(tx, frameworkItems, result);
        if (dryRun) throw new DryRunRollback(result);
        return result;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result;
      throw error;
    }
  }

  private async syncPolicy(tx: Transaction, file: PolicyFileContent, result: SyncResult): Promise<void> {
    const org = tx.actor.organizationId;
    const policies = tx.manager.getRepository(Policy);
    const versions = tx.manager.getRepository(PolicyVersion);
    const fm = file.frontMatter;
    const fields = {
      kind: fm.kind,
      title: fm.title,
      titleEn: fm.titleEn ?? null,
      ownerRole: fm.owner,
      reviewIntervalMonths: fm.reviewIntervalMonths,
      classification: fm.classification,
    };
    let policy = await policies.findOne({ where: { organizationId: org, key: fm.id }, lock: { mode: 'pessimistic_write' } });
    if (!policy) {
      policy = await policies.save(policies.create({ organizationId: org, key: fm.id, ...fields }));
      await tx.audit({ action: 'policy.create', entityType: 'policy', entityId: policy.id, after: toJsonData(policy), context: { file: file.file } });
      result.policies.created++;
    } else {
      const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => policy![k] !== fields[k]);
      if (changed) {
        const before = toJsonData(policy);
        policies.merge(policy, fields);
        await policies.save(policy);
        await tx.audit({ action: 'policy.update', entityType: 'policy', entityId: policy.id, before, after: toJsonData(policy), context: { file: file.file } });
      }
    }
    const latest = await versions.findOne({ where: { organizationId: org, policyId: policy.id }, order: { version: 'DESC' } });
    if (latest?.contentHash === file.contentHash) {
      result.policies.unchanged++;
      return;
    }
    const base = (await versions.findOne({ where: { organizationId: org, policyId: policy.id, status: 'approved' }, order: { version: 'DESC' } })) ?? latest;
    const number = (latest?.version ?? 0) + 1;
    const diff = base
      ? lineDiff(versionText(base.frontMatter, base.body), versionText(file.frontMatterData, file.body), {
          from: `${fm.id} v${base.version}`,
          to: `${fm.id} v${number}`,
        })
      : null;
    const version = await versions.save(
      versions.create({
        organizationId: org,
        policyId: policy.id,
        version: number,
        status: 'draft',
        contentHash: file.contentHash,
        body: file.body,
        frontMatter: file.frontMatterData,
        diff,
        approvedBy: null,
        approvedAt: null,
      }),
    );
    const { body: _body, diff: _diff, ...summary } = toJsonData(version);
    await tx.audit({
      action: 'policy_version.create',
      entityType: 'policy_version',
      entityId: version.id,
      after: summary,
      context: { policyKey: fm.id, file: file.file },
    });
    if (latest) result.policies.newDrafts++; // a first version comes with its policy ("created")
  }

  private async syncControls(tx: Transaction, catalogue: ControlContent[], result: SyncResult): Promise<void> {
    const org = tx.actor.organizationId;
    const repo = tx.manager.getRepository(Control);
    const existing = new Map((await repo.find({ where: { organizationId: org }, lock: { mode: 'pessimistic_write' } })).map((c) => [c.code, c]));
    const inFile = new Set<string>();
    for (const item of catalogue) {
      inFile.add(item.code);
      const current = existing.get(item.code);
      if (!current) {
        const created = await repo.save(
          repo.create({ organizationId: org, code: item.code, ...controlFields(item), status: 'not_implemented', retiredAt: null }),
        );
        await tx.audit({ action: 'control.create', entityType: 'control', entityId: created.id, after: toJsonData(created) });
        result.controls.created++;
        continue;
      }
      if (current.contentHash === item.contentHash && current.retiredAt === null) {
        result.controls.unchanged++;
        continue;
      }
      const before = toJsonData(current);
      const after = repo.merge(repo.create({ ...current }), { ...controlFields(item), retiredAt: null });
      await repo.save(after);
      await tx.audit({
        action: 'control.update',
        entityType: 'control',
        entityId: current.id,
        before,
        after: toJsonData(after),
        context: current.retiredAt ? { reinstated: true } : undefined,
      });
      result.controls.updated++;
    }
    for (const control of existing.values()) {
      if (inFile.has(control.code) || control.retiredAt) continue;
      const before = toJsonData(control);
      const after = repo.merge(repo.create({ ...control }), { retiredAt: new Date() });
      await repo.save(after);
      await tx.audit({
        action: 'control.retire',
        entityType: 'control',
        entityId: control.id,
        before,
        after: toJsonData(after),
        context: { reason: 'no longer in controls.yaml' },
      });
      result.controls.retired++;
    }
  }

  /**
   * Upserts the framework items (the denominators of the coverage figures) by framework and code.
   * Items are reference data from published standards; one that leaves a file is kept.
   */
  private async syncFrameworkItems(tx: Transaction, items: FrameworkItemContent[], result: SyncResult): Promise<void> {
    const org = tx.actor.organizationId;
    const repo = tx.manager.getRepository(FrameworkItem);
    const existing = new Map(
      (await repo.find({ where: { organizationId: org }, lock: { mode: 'pessimistic_write' } })).map((i) => [`${i.framework} ${i.code}`, i]),
    );
    for (const item of items) {
      const current = existing.get(`${item.framework} ${item.code}`);
      if (!current) {
        const created = await repo.save(repo.create({ organizationId: org, ...item }));
        await tx.audit({ action: 'framework_item.create', entityType: 'framework_item', entityId: created.id, after: toJsonData(created) });
        result.frameworks.created++;
        continue;
      }
      if (current.title === item.title && current.groupCode === item.groupCode) {
        result.frameworks.unchanged++;
        continue;
      }
      const before = toJsonData(current);
      const after = repo.merge(repo.create({ ...current }), { title: item.title, groupCode: item.groupCode });
      await repo.save(after);
      await tx.audit({ action: 'framework_item.update', entityType: 'framework_item', entityId: current.id, before, after: toJsonData(after) });
      result.frameworks.updated++;
    }
  }
}

export interface FrameworkItemContent {
  framework: Framework;
  code: string;
  title: string;
  /** ISO theme or CSF category */
  groupCode: string;
}

/**
 * The items of `frameworks/*.yaml` that coverage counts: ISO/IEC 27001 Annex A controls (grouped by
 * theme) and NIST CSF subcategories (grouped by category). Call after {@link loadPolicyFiles} has
 * validated the files.
 */
export function readFrameworkItems(root: string): FrameworkItemContent[] {
  const dir = join(root, 'frameworks');
  const items: FrameworkItemContent[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = loadYaml(readFileSync(join(dir, name), 'utf8')) as FrameworkFile;
    if (!(FRAMEWORKS as readonly string[]).includes(file.framework)) continue;
    const framework = file.framework as Framework;
    for (const c of file.controls ?? []) items.push({ framework, code: c.id, title: c.title, groupCode: c.theme ?? '' });
    for (const s of file.subcategories ?? []) items.push({ framework, code: s.id, title: s.title, groupCode: s.category ?? s.id.split('-')[0]! });
  }
  return items;
}

/** The text a diff compares: the front matter as YAML-ish `key: value` lines, then the body. */
function versionText(frontMatter: Record<string, unknown>, body: string): string {
  const lines = Object.keys(frontMatter)
    .sort()
    .map((k) => `${k}: ${JSON.stringify(frontMatter[k])}`);
  return ['---', ...lines, '---', body].join('\n');
}
