import { Injectable } from '@nestjs/common';
import type { Transaction } from '../database/unit-of-work.js';
import { PolicyFilesPart, type PolicyFilesPartHandler, type SyncResult } from '../policies/policy-files-part.js';
import type { PolicyFileError } from '../policies/policy-files.js';
import { readControlFiles, type ControlContent, type ControlFiles, type FrameworkItemContent } from './control-files.js';
import { Control } from './control.entity.js';
import { FrameworkItem } from './framework-item.entity.js';

declare module '../policies/policy-files-part.js' {
  interface SyncResult {
    controls: { created: number; updated: number; unchanged: number; retired: number };
    frameworks: { created: number; updated: number; unchanged: number };
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
    auditQuestion: c.auditQuestion,
    auditQuestionEn: c.auditQuestionEn,
    evidenceHints: c.evidenceHints,
    evidenceHintsEn: c.evidenceHintsEn,
    ownerRole: c.ownerRole,
    frequency: c.frequency,
    essential: c.essential,
    verified: c.verified,
    mappings: c.mappings,
    contentHash: c.contentHash,
  };
}

/**
 * The control catalogue's part of `policies:sync` (`controls.yaml`, `frameworks/*.yaml`): controls
 * are upserted by code and retired, never deleted, when they leave the file; framework items (the
 * denominators of coverage) are upserted and kept.
 */
@Injectable()
@PolicyFilesPart(10)
export class ControlCatalogueSync implements PolicyFilesPartHandler<ControlFiles> {
  load(root: string, errors: PolicyFileError[]): ControlFiles {
    return readControlFiles(root, errors);
  }

  emptyResult(): Partial<SyncResult> {
    return { controls: { created: 0, updated: 0, unchanged: 0, retired: 0 }, frameworks: { created: 0, updated: 0, unchanged: 0 } };
  }

  async apply(tx: Transaction, files: ControlFiles, result: SyncResult): Promise<void> {
    await this.syncControls(tx, files.controls, result);
    await this.syncFrameworkItems(tx, files.frameworkItems, result);
  }

  private async syncControls(tx: Transaction, catalogue: ControlContent[], result: SyncResult): Promise<void> {
    const org = tx.actor.organizationId;
    const existing = new Map(
      (await tx.manager.getRepository(Control).find({ where: { organizationId: org }, lock: { mode: 'pessimistic_write' } })).map((c) => [c.code, c]),
    );
    const inFile = new Set<string>();
    for (const item of catalogue) {
      inFile.add(item.code);
      const current = existing.get(item.code);
      if (!current) {
        await tx.create(
          Control,
          { code: item.code, ...controlFields(item), status: 'not_implemented', retiredAt: null },
          { action: 'control.create', entityType: 'control' },
        );
        result.controls.created++;
        continue;
      }
      if (current.contentHash === item.contentHash && current.retiredAt === null) {
        result.controls.unchanged++;
        continue;
      }
      const reinstated = current.retiredAt !== null;
      await tx.update(
        current,
        { ...controlFields(item), retiredAt: null },
        { action: 'control.update', entityType: 'control', context: reinstated ? { reinstated: true } : undefined },
      );
      result.controls.updated++;
    }
    for (const control of existing.values()) {
      if (inFile.has(control.code) || control.retiredAt) continue;
      await tx.update(
        control,
        { retiredAt: new Date() },
        { action: 'control.retire', entityType: 'control', context: { reason: 'no longer in controls.yaml' } },
      );
      result.controls.retired++;
    }
  }

  /**
   * Upserts the framework items (the denominators of the coverage figures) by framework and code.
   * Items are reference data from published standards; one that leaves a file is kept.
   */
  private async syncFrameworkItems(tx: Transaction, items: FrameworkItemContent[], result: SyncResult): Promise<void> {
    const org = tx.actor.organizationId;
    const existing = new Map(
      (await tx.manager.getRepository(FrameworkItem).find({ where: { organizationId: org }, lock: { mode: 'pessimistic_write' } })).map((i) => [
        `${i.framework} ${i.code}`,
        i,
      ]),
    );
    for (const item of items) {
      const current = existing.get(`${item.framework} ${item.code}`);
      if (!current) {
        await tx.create(FrameworkItem, { ...item }, { action: 'framework_item.create', entityType: 'framework_item' });
        result.frameworks.created++;
        continue;
      }
      if (current.title === item.title && current.groupCode === item.groupCode) {
        result.frameworks.unchanged++;
        continue;
      }
      await tx.update(current, { title: item.title, groupCode: item.groupCode }, { action: 'framework_item.update', entityType: 'framework_item' });
      result.frameworks.updated++;
    }
  }
}
