import { join } from 'node:path';
import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { systemActor } from '../common/actor.js';
import type { CliCommand } from '../common/features/feature.js';
import { projectRoot } from '../database/project-root.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { formatPolicyFileError, PolicyFilesInvalidError, type PolicyFileError } from '../policies/policy-files.js';
import { ResponseContact } from './response-contact.entity.js';
import { readResponsePlanFiles, RESPONSE_PLAN_FOLDER, type PlanContent, type ScenarioContent } from './response-plan-files.js';
import { changeDraft, draftAndLatest, insertSteps, lockPlan, planSourceHash, sameRevisions } from './plan-drafts.js';
import { Scenario } from './scenario.entity.js';

export interface ResponsePlanSyncResult {
  dryRun: boolean;
  folder: string;
  scenarios: { created: number; revised: number; unchanged: number; retired: number };
  contacts: { created: number; updated: number; unchanged: number; retired: number };
  /** the plan's draft version: opened, changed, or left as it was (null: no plan yet) */
  plan: { draft: 'opened' | 'updated' | 'unchanged'; version: number | null };
}

class DryRunRollback extends Error {
  constructor(readonly result: ResponsePlanSyncResult) {
    super('dry run');
  }
}

/**
 * Loads `policies/response-plan/` into the organisation: each scenario by its key, the outside
 * contacts by key; what the files no longer name is retired, never deleted. A scenario's first load
 * is in force at once (revision 1), so the playbooks work before any approval; a changed file makes
 * a new revision with its own steps that waits, in the plan's draft version, for the CISO's approval
 * (the old revision's steps stay for the records made from them). The first load opens the plan's
 * version 1 as a draft (plan.md's text and every scenario's revision); later a changed plan.md or a
 * new scenario revision opens or changes THE draft. The files are validated first
 * (`file:line: field: message`, nothing written on error); a second run changes nothing.
 */
@Injectable()
export class ResponsePlanSync {
  constructor(private readonly uow: UnitOfWork) {}

  static defaultRoot(): string {
    return join(projectRoot(), 'policies');
  }

  async sync(actor: Actor, options: { dryRun?: boolean; root?: string } = {}): Promise<ResponsePlanSyncResult> {
    const errors: PolicyFileError[] = [];
    const files = readResponsePlanFiles(options.root ?? ResponsePlanSync.defaultRoot(), errors);
    if (errors.length) throw new PolicyFilesInvalidError(errors);
    const dryRun = options.dryRun ?? false;
    try {
      return await this.uow.run(actor, async (tx) => {
        // one plan writer at a time per organisation
        await lockPlan(tx);
        const result: ResponsePlanSyncResult = {
          dryRun,
          folder: RESPONSE_PLAN_FOLDER,
          scenarios: { created: 0, revised: 0, unchanged: 0, retired: 0 },
          contacts: { created: 0, updated: 0, unchanged: 0, retired: 0 },
          plan: { draft: 'unchanged', version: null },
        };
        for (const content of files.scenarios) result.scenarios[await this.writeScenario(tx, content)]++;
        result.scenarios.retired = await this.retireScenarios(
          tx,
          files.scenarios.map((s) => s.scenario.key),
        );
        const contacts = await this.writeContacts(tx, files.contacts);
        result.contacts = contacts;
        result.plan = await this.writePlanDraft(tx, files.plan);
        if (dryRun) throw new DryRunRollback(result);
        return result;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result;
      throw error;
    }
  }

  private async writeScenario(tx: Transaction, { file, scenario, contentHash }: ScenarioContent): Promise<'created' | 'revised' | 'unchanged'> {
    const repo = tx.manager.getRepository(Scenario);
    const existing = await repo.findOneBy({ organizationId: tx.actor.organizationId, key: scenario.key });
    if (existing && existing.contentHash === contentHash) {
      if (existing.retiredAt === null) return 'unchanged';
      // the same file back: the scenario returns with the revisions it had
      await tx.update(existing, { retiredAt: null }, { action: 'scenario.revise', entityType: 'scenario', context: { file, reason: 'file_back' } });
      return 'revised';
    }
    const fields = {
      title: scenario.title,
      titleEn: scenario.titleEn ?? null,
      categories: scenario.categories,
      summary: (scenario.summary ?? '').trim(),
      summaryEn: scenario.summaryEn?.trim() ?? null,
      contentHash,
      retiredAt: null,
    };
    // a revision after the first waits for the plan's approval: `revision` (in force) stays
    const saved = existing
      ? await tx.update(
          existing,
          { ...fields, latestRevision: existing.latestRevision + 1 },
          { action: 'scenario.revise', entityType: 'scenario', context: { file, revision: existing.latestRevision + 1, inForce: existing.revision } },
        )
      : await tx.create(
          Scenario,
          { key: scenario.key, revision: 1, latestRevision: 1, ...fields },
          { action: 'scenario.create', entityType: 'scenario', context: { file } },
        );
    await insertSteps(tx, saved.id, saved.latestRevision, scenario.steps);
    return existing ? 'revised' : 'created';
  }

  /**
   * Opens or changes the plan's draft when plan.md changed since it was last loaded or a scenario
   * has a revision the latest version does not name (or was retired); a folder without plan.md and
   * without scenarios has no plan.
   */
  private async writePlanDraft(tx: Transaction, plan: PlanContent | null): Promise<ResponsePlanSyncResult['plan']> {
    const scenarios = await tx.manager.getRepository(Scenario).findBy({ organizationId: tx.actor.organizationId, retiredAt: IsNull() });
    const { draft, latest } = await draftAndLatest(tx);
    if (!latest && !plan && !scenarios.length) return { draft: 'unchanged', version: null };
    const snapshot = Object.fromEntries(scenarios.map((s) => [s.id, s.latestRevision]));
    const sourceHash = plan ? planSourceHash(plan.frontMatter, plan.body) : null;
    const base = draft ?? latest;
    const planChanged = !base || (plan !== null && sourceHash !== base.sourceHash);
    if (base && !planChanged && sameRevisions(snapshot, base.scenarioRevisions)) return { draft: 'unchanged', version: draft?.version ?? null };
    const { version, opened } = await changeDraft(
      tx,
      {
        ...(plan && planChanged ? { body: plan.body, frontMatter: plan.frontMatter, sourceHash } : {}),
        scenarioRevisions: snapshot,
        snapshot: true,
      },
      'files',
    );
    return { draft: opened ? 'opened' : 'updated', version: version.version };
  }

  private async retireScenarios(tx: Transaction, keys: string[]): Promise<number> {
    const gone = (await tx.manager.getRepository(Scenario).findBy({ organizationId: tx.actor.organizationId, retiredAt: IsNull() })).filter(
      (scenario) => !keys.includes(scenario.key),
    );
    for (const scenario of gone) await tx.update(scenario, { retiredAt: new Date() }, { action: 'scenario.retire', entityType: 'scenario' });
    return gone.length;
  }

  private async writeContacts(tx: Transaction, contacts: ReturnType<typeof readResponsePlanFiles>['contacts']): Promise<ResponsePlanSyncResult['contacts']> {
    const repo = tx.manager.getRepository(ResponseContact);
    const counts = { created: 0, updated: 0, unchanged: 0, retired: 0 };
    const existing = await repo.findBy({ organizationId: tx.actor.organizationId });
    for (const [position, contact] of contacts.entries()) {
      const fields = {
        name: contact.name,
        nameEn: contact.nameEn ?? null,
        kind: contact.kind,
        phone: contact.phone ?? null,
        outOfHoursPhone: contact.outOfHoursPhone ?? null,
        email: contact.email ?? null,
        note: contact.note?.trim() ?? null,
        position,
        retiredAt: null,
      };
      const found = existing.find((row) => row.key === contact.key);
      if (!found) {
        await tx.create(ResponseContact, { key: contact.key, ...fields }, { action: 'response_contact.create', entityType: 'response_contact' });
        counts.created++;
      } else if (Object.entries(fields).some(([field, value]) => (found as unknown as Record<string, unknown>)[field] !== value)) {
        await tx.update(found, fields, { action: 'response_contact.update', entityType: 'response_contact' });
        counts.updated++;
      } else counts.unchanged++;
    }
    for (const row of existing.filter((row) => row.retiredAt === null && !contacts.some((c) => c.key === row.key))) {
      await tx.update(row, { retiredAt: new Date() }, { action: 'response_contact.retire', entityType: 'response_contact' });
      counts.retired++;
    }
    return counts;
  }
}

/**
 * `response-plan:sync [--dry-run] [--root DIR]`: loads DIR/response-plan/ (default `policies/`) for
 * the first organisation and prints the counts as JSON; exit 1 with `file:line: field: message`
 * lines when a file is refused (nothing is written then).
 */
export async function runResponsePlanSync(app: INestApplicationContext, args: string[]): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? args[rootAt + 1] : undefined;
  const unknown = args.filter((a, i) => a !== '--dry-run' && a !== '--root' && !(rootAt >= 0 && i === rootAt + 1));
  if ((rootAt >= 0 && !root) || unknown.length) {
    process.stderr.write(
      `response-plan:sync: ${unknown.length ? `unknown argument(s): ${unknown.join(' ')}` : '--root needs a folder'}\nusage: ${RESPONSE_PLAN_SYNC_COMMAND.usage}\n`,
    );
    return 2;
  }
  const organization = await app.get(OrganizationsService, { strict: false }).home();
  if (!organization) {
    process.stderr.write('response-plan:sync: there is no organisation yet; create one first (e.g. the bootstrap or seed:demo command)\n');
    return 1;
  }
  try {
    const result = await app.get(ResponsePlanSync, { strict: false }).sync(systemActor(organization.id, 'cli'), { dryRun, root });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PolicyFilesInvalidError) {
      for (const e of error.errors) process.stderr.write(`${formatPolicyFileError(e)}\n`);
      process.stderr.write(`response-plan:sync: ${error.errors.length} error(s); nothing was written\n`);
      return 1;
    }
    throw error;
  }
}

/** `npm run cli -- response-plan:sync`, declared by the response plan feature. */
export const RESPONSE_PLAN_SYNC_COMMAND: CliCommand = {
  name: 'response-plan:sync',
  usage: 'response-plan:sync [--dry-run] [--root DIR]',
  description:
    'load policies/response-plan/ (plan.md, the scenarios with their playbooks, the outside contacts) by key; a changed plan.md or scenario goes into the plan’s draft version, in force once the CISO approves it',
  run: runResponsePlanSync,
};
