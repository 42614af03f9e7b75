import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FeatureCatalog } from '../common/features/discovery.js';
import type { Actor } from '../common/actor.js';
import { projectRoot } from '../database/project-root.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import './policies.events.js';
import { versionDiff } from './policy-body.js';
import { POLICY_FILES_PARTS, type PolicyFilesPartHandler, type SyncResult } from './policy-files-part.js';
import { PolicyFilesInvalidError, readPolicyTexts, relativeErrors, type PolicyFileContent, type PolicyFileError } from './policy-files.js';
import { PolicyVersion } from './policy-version.entity.js';
import { Policy } from './policy.entity.js';

export type { SyncResult } from './policy-files-part.js';

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

/**
 * Loads `policies/` into the organisation (issue #3): policies get a new draft version when their
 * text or front matter changes; the parts other features own (the control catalogue) are applied
 * by them. Validates every file of every part first; then all changes are one transaction.
 */
@Injectable()
export class PoliciesSyncService implements OnModuleInit {
  private parts: PolicyFilesPartHandler[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly catalog: FeatureCatalog,
  ) {}

  onModuleInit(): void {
    this.parts = this.catalog
      .providers<PolicyFilesPartHandler, number>(POLICY_FILES_PARTS)
      .sort((a, b) => a.metadata - b.metadata)
      .map(({ instance }) => instance);
  }

  static defaultRoot(): string {
    return join(projectRoot(), 'policies');
  }

  async sync(actor: Actor, options: SyncOptions = {}): Promise<SyncResult> {
    const root = options.root ?? PoliciesSyncService.defaultRoot();
    if (!existsSync(root)) throw new PolicyFilesInvalidError([{ file: root, line: null, field: '(folder)', message: 'the policies folder does not exist' }]);
    const errors: PolicyFileError[] = [];
    const policies = readPolicyTexts(root, errors);
    const loaded = this.parts.map((part) => ({ part, files: part.load(root, errors) }));
    if (errors.length) throw new PolicyFilesInvalidError(relativeErrors(root, errors));
    const dryRun = options.dryRun ?? false;
    try {
      return await this.uow.run(actor, async (tx) => {
        const result: SyncResult = Object.assign(
          { dryRun, policies: { created: 0, newDrafts: 0, unchanged: 0 } },
          ...this.parts.map((part) => part.emptyResult()),
        ) as SyncResult;
        // one sync at a time per organisation
        await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policies-sync:${actor.organizationId}`]);
        for (const file of policies) await this.syncPolicy(tx, file, result);
        for (const { part, files } of loaded) await part.apply(tx, files, result);
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
      policy = await tx.create(Policy, { key: fm.id, ...fields }, { action: 'policy.create', entityType: 'policy', context: { file: file.file } });
      result.policies.created++;
    } else {
      policy = await tx.update(policy, fields, { action: 'policy.update', entityType: 'policy', context: { file: file.file } });
    }
    const latest = await versions.findOne({ where: { organizationId: org, policyId: policy.id }, order: { version: 'DESC' } });
    const inForce = await versions.findOne({ where: { organizationId: org, policyId: policy.id, status: 'approved' }, order: { version: 'DESC' } });
    // the file says what the latest version says, or what is in force while a draft written in the
    // app waits for approval (the files are behind the app, e.g. just after `policies:export`)
    if (latest?.contentHash === file.contentHash || inForce?.contentHash === file.contentHash) {
      result.policies.unchanged++;
      return;
    }
    const base = inForce ?? latest;
    const number = (latest?.version ?? 0) + 1;
    const diff = base ? versionDiff(fm.id, base, { version: number, frontMatter: file.frontMatterData, body: file.body }) : null;
    const draft = await tx.create(
      PolicyVersion,
      {
        policyId: policy.id,
        version: number,
        status: 'draft',
        contentHash: file.contentHash,
        body: file.body,
        frontMatter: file.frontMatterData,
        diff,
        changeNote: null,
        draftedBy: null,
        approvedBy: null,
        approvedAt: null,
      },
      { action: 'policy_version.create', entityType: 'policy_version', omit: ['body', 'diff'], context: { policyKey: fm.id, file: file.file } },
    );
    await tx.publish({
      type: 'policy.version_drafted',
      policyId: policy.id,
      policyKey: fm.id,
      versionId: draft.id,
      version: number,
      source: 'files',
      replaced: [],
    });
    if (latest) result.policies.newDrafts++; // a first version comes with its policy ("created")
  }
}
