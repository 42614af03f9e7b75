import { Injectable, StreamableFile } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may, refusal } from '../common/permissions.js';
import type { EvidenceConfig, MamoriConfig } from '../config/configuration.js';
import { checkEvidenceFile, storedEvidenceBytes, uploadersOf, type UploadedEvidenceFile } from '../controls/control-evidence.service.js';
import { writeToEvidenceFolder } from '../controls/evidence-folder.js';
import { attachmentDisposition } from '../controls/file-sniffing.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { StaffRef } from '../staff/dto/staff-view.dto.js';
import type { Audit } from './audit.entity.js';
import { AUDITS } from './audits.permissions.js';
import { AuditsService } from './audits.service.js';
import { ChecklistEvidence } from './checklist-evidence.entity.js';
import { ChecklistItem } from './checklist-item.entity.js';
import type { ChecklistEvidenceView } from './dto/checklist-evidence-view.dto.js';

/** What an upload brings: multer's file, in memory (the type is judged from the bytes, never from `mimetype`). */
export interface UploadedChecklistFile extends UploadedEvidenceFile {
  mimetype: string;
}

/** One evidence file's record and its bytes (checked against its SHA-256). */
export interface ChecklistEvidenceDownload {
  evidence: ChecklistEvidenceView;
  content: Buffer;
}

/**
 * The evidence files of checklist items (証跡), kept like control evidence: the type judged from the
 * bytes, the SHA-256 kept with the record, the bytes in PostgreSQL or, when EVIDENCE_DIR is set, in
 * that folder under their SHA-256. Whoever may answer the item attaches files while the audit is in
 * progress; whoever sees the item lists and downloads them. Attaching and downloading are written to
 * the audit trail (the name, size and SHA-256; never the bytes).
 */
@Injectable()
export class ChecklistEvidenceService {
  private readonly config: EvidenceConfig;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly audits: AuditsService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.config = config.get('evidence', { infer: true });
  }

  /** The largest file kept (EVIDENCE_MAX_BYTES). */
  get maxBytes(): number {
    return this.config.maxBytes;
  }

  /**
   * Attaches a file to an item: 404 for an audit or item the actor does not see, 403 when they may
   * not answer it, 409 AUDIT_NOT_IN_PROGRESS outside in progress; refusals of the file name `file`.
   */
  async add(
    actor: Actor,
    auditId: string,
    itemId: string,
    file: { originalname: string; mimetype: string; buffer: Buffer; size: number } | undefined,
  ): Promise<ChecklistEvidenceView> {
    assertMay(actor, AUDITS.answer);
    const checked = checkEvidenceFile(file, this.config.maxBytes);
    return this.uow.run(actor, async (tx) => {
      const { audit, item } = await this.itemOf(actor, tx.manager, auditId, itemId, 'pessimistic_read');
      if (!may(actor, AUDITS.answer, { audit, departmentId: item.departmentId })) throw refusal(AUDITS.answer);
      if (audit.status !== 'in_progress')
        throw new AppException('AUDIT_NOT_IN_PROGRESS', `The audit is ${audit.status}`, undefined, { auditStatus: audit.status });
      const storagePath = this.config.dir ? await writeToEvidenceFolder(this.config.dir, checked.sha256, checked.bytes) : null;
      const saved = await tx.create(
        ChecklistEvidence,
        {
          auditId: audit.id,
          checklistItemId: item.id,
          fileName: checked.fileName,
          contentType: checked.contentType,
          size: checked.bytes.length,
          sha256: checked.sha256,
          content: storagePath ? null : checked.bytes,
          storagePath,
          uploadedById: actor.staffId,
        },
        // the bytes never reach the audit trail
        {
          action: 'checklist_item.evidence',
          entityType: 'checklist_evidence',
          omit: ['content'],
          context: { auditId: audit.id, reference: audit.reference, checklistItemId: item.id, controlCode: item.controlCode },
        },
      );
      return viewOf(saved, await uploadersOf(tx.manager, actor.organizationId, [saved]));
    });
  }

  /** The item's files, oldest first (whoever sees the item). */
  async list(actor: Actor, auditId: string, itemId: string): Promise<ChecklistEvidenceView[]> {
    assertMay(actor, AUDITS.read);
    const { item } = await this.itemOf(actor, this.uow.manager, auditId, itemId);
    const rows = await this.uow.manager.getRepository(ChecklistEvidence).find({
      where: { organizationId: actor.organizationId, checklistItemId: item.id },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const uploaders = await uploadersOf(this.uow.manager, actor.organizationId, rows);
    return rows.map((row) => viewOf(row, uploaders));
  }

  /** One file and its bytes, checked against its SHA-256 (whoever sees the item); the download is audited. */
  async download(actor: Actor, auditId: string, itemId: string, evidenceId: string): Promise<ChecklistEvidenceDownload> {
    assertMay(actor, AUDITS.read);
    return this.uow.run(actor, async (tx) => {
      const { audit, item } = await this.itemOf(actor, tx.manager, auditId, itemId);
      const evidence = await tx.manager
        .getRepository(ChecklistEvidence)
        .createQueryBuilder('e')
        .addSelect('e.content')
        .where('e.organizationId = :org AND e.checklistItemId = :itemId AND e.id = :evidenceId', { org: actor.organizationId, itemId: item.id, evidenceId })
        .getOne();
      if (!evidence) throw new AppException('CHECKLIST_EVIDENCE_NOT_FOUND');
      const content = await storedEvidenceBytes(this.config.dir, evidence);
      tx.audit({
        action: 'checklist_evidence.download',
        entityType: 'checklist_evidence',
        entityId: evidence.id,
        context: { auditId: audit.id, checklistItemId: item.id, fileName: evidence.fileName, sha256: evidence.sha256, size: evidence.size },
      });
      return { evidence: viewOf(evidence, await uploadersOf(tx.manager, actor.organizationId, [evidence])), content };
    });
  }

  /** One file as an HTTP attachment (the API and the pages alike). */
  async downloadFile(actor: Actor, auditId: string, itemId: string, evidenceId: string): Promise<StreamableFile> {
    const { evidence, content } = await this.download(actor, auditId, itemId, evidenceId);
    return new StreamableFile(content, { type: evidence.contentType, disposition: attachmentDisposition(evidence.fileName), length: content.length });
  }

  /** The audit and the item, if the actor sees them (a manager held to their department): 404 otherwise. */
  private async itemOf(
    actor: Actor,
    manager: EntityManager,
    auditId: string,
    itemId: string,
    lock?: 'pessimistic_read',
  ): Promise<{ audit: Audit; item: ChecklistItem }> {
    const audit = await this.audits.visible(actor, manager, auditId, lock);
    const own = this.audits.onlyDepartment(actor, audit);
    const item = await manager.getRepository(ChecklistItem).findOneBy({ id: itemId, auditId: audit.id, organizationId: actor.organizationId });
    if (!item || (own && item.departmentId !== own)) throw new AppException('CHECKLIST_ITEM_NOT_FOUND');
    return { audit, item };
  }
}

function viewOf(e: ChecklistEvidence, uploaders: ReadonlyMap<string, StaffRef>): ChecklistEvidenceView {
  return {
    id: e.id,
    auditId: e.auditId,
    checklistItemId: e.checklistItemId,
    fileName: e.fileName,
    contentType: e.contentType,
    size: e.size,
    sha256: e.sha256,
    uploadedById: e.uploadedById,
    uploadedBy: (e.uploadedById && uploaders.get(e.uploadedById)) || null,
    createdAt: e.createdAt,
  };
}
