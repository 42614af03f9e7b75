import { createHash } from 'node:crypto';
import { Injectable, StreamableFile } from '@nestjs/common';
import { readFromEvidenceFolder, writeToEvidenceFolder } from './evidence-folder.js';
import { ConfigService } from '@nestjs/config';
import { In, type EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { assertMay } from '../common/permissions.js';
import { CONTROLS } from './controls.permissions.js';
import { AppException } from '../common/errors/app.exception.js';
import type { EvidenceConfig, MamoriConfig } from '../config/configuration.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { StaffRef } from '../staff/dto/staff-view.dto.js';
import { Staff } from '../staff/staff.entity.js';
import { ControlEvidence } from './control-evidence.entity.js';
import { ControlsService } from './controls.service.js';
import type { ControlEvidenceUploadDto } from './dto/control-evidence.dto.js';
import { evidenceTooLarge } from './control-evidence.interceptor.js';
import { ACCEPTED_EXTENSIONS, attachmentDisposition, safeFileName, sniffEvidence } from './file-sniffing.js';

/** An evidence file's record: everything but its bytes. */
export interface EvidenceFile {
  id: string;
  controlId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  note: string | null;
  uploadedById: string | null;
  createdAt: Date;
  /** where the bytes are kept */
  storage: 'database' | 'directory';
}

/** An evidence file as listed: its record and who uploaded it (null when Mamori itself did, or their record is gone). */
export interface EvidenceSummary extends EvidenceFile {
  uploadedBy: StaffRef | null;
}

export interface EvidenceDownload {
  evidence: EvidenceFile;
  bytes: Buffer;
}

/** What an upload brings: multer's file (in memory). */
export interface UploadedEvidenceFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** A file checked and ready to keep: its safe name, the type found from its bytes, its SHA-256. */
export interface CheckedEvidenceFile {
  fileName: string;
  contentType: string;
  sha256: string;
  bytes: Buffer;
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Checks an uploaded evidence file before anything is written (control and checklist evidence
 * alike): there, not empty, within EVIDENCE_MAX_BYTES, and of an accepted kind judged from its
 * bytes. Each refusal has its own code and names `file`.
 */
export function checkEvidenceFile(file: UploadedEvidenceFile | undefined, maxBytes: number): CheckedEvidenceFile {
  if (!file) {
    throw new AppException('VALIDATION_FAILED', 'No file was sent: attach the evidence as the multipart field "file"', [
      { field: 'file', messages: ['choose a file to attach as "file"'] },
    ]);
  }
  if (file.size === 0) throw new AppException('EVIDENCE_EMPTY', 'The file is empty (0 bytes)', [{ field: 'file', messages: ['the file is empty (0 bytes)'] }]);
  // multer stops at the limit; this is the same rule for a file that reached us another way
  if (file.size > maxBytes || file.buffer.length > maxBytes) throw evidenceTooLarge(maxBytes);
  const fileName = safeFileName(file.originalname);
  const sniffed = sniffEvidence(file.buffer, fileName);
  if (!sniffed.ok) {
    throw new AppException('EVIDENCE_TYPE_NOT_ALLOWED', sniffed.message, [{ field: 'file', messages: [sniffed.message] }], {
      acceptedExtensions: ACCEPTED_EXTENSIONS,
      ...(sniffed.reason === 'misnamed' ? { expectedExtension: sniffed.expectedExtension } : {}),
    });
  }
  return { fileName, contentType: sniffed.contentType, sha256: sha256Of(file.buffer), bytes: file.buffer };
}

/** The bytes of a kept evidence file (from PostgreSQL or EVIDENCE_DIR), checked against its SHA-256 (500 EVIDENCE_CONTENT_UNAVAILABLE otherwise). */
export async function storedEvidenceBytes(
  dir: string | undefined,
  evidence: { id: string; sha256: string; content: Buffer | null; storagePath: string | null },
): Promise<Buffer> {
  const bytes = evidence.storagePath ? await readFromEvidenceFolder(dir, evidence.storagePath) : evidence.content;
  if (!bytes || sha256Of(bytes) !== evidence.sha256) {
    throw new AppException('EVIDENCE_CONTENT_UNAVAILABLE', `The bytes of evidence ${evidence.id} do not match its SHA-256`);
  }
  return bytes;
}

function fileOf(e: ControlEvidence): EvidenceFile {
  return {
    id: e.id,
    controlId: e.controlId,
    fileName: e.fileName,
    contentType: e.contentType,
    size: e.size,
    sha256: e.sha256,
    note: e.note,
    uploadedById: e.uploadedById,
    createdAt: e.createdAt,
    storage: e.storagePath ? 'directory' : 'database',
  };
}

function summary(e: ControlEvidence, uploaders: ReadonlyMap<string, StaffRef>): EvidenceSummary {
  return { ...fileOf(e), uploadedBy: (e.uploadedById && uploaders.get(e.uploadedById)) || null };
}

/** The people who uploaded these files, by id, as named beside a record (one query). */
export async function uploadersOf(
  manager: EntityManager,
  organizationId: string,
  rows: readonly { uploadedById: string | null }[],
): Promise<Map<string, StaffRef>> {
  const ids = [...new Set(rows.map((e) => e.uploadedById).filter((id): id is string => id !== null))];
  if (!ids.length) return new Map();
  const people = await manager.getRepository(Staff).find({
    select: { id: true, employeeNumber: true, familyName: true, givenName: true },
    where: { organizationId, id: In(ids) },
  });
  return new Map(people.map((p) => [p.id, { id: p.id, employeeNumber: p.employeeNumber, familyName: p.familyName, givenName: p.givenName }]));
}

/**
 * Evidence files of controls: the type is decided from the bytes, the SHA-256 is kept with the
 * record, and the bytes go to PostgreSQL or, when EVIDENCE_DIR is set, to that folder under their
 * SHA-256. Uploads and downloads are both written to the audit trail (never the bytes).
 */
@Injectable()
export class ControlEvidenceService {
  private readonly config: EvidenceConfig;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly controls: ControlsService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.config = config.get('evidence', { infer: true });
  }

  async upload(actor: Actor, controlId: string, file: UploadedEvidenceFile | undefined, dto: ControlEvidenceUploadDto): Promise<EvidenceSummary> {
    assertMay(actor, CONTROLS.add_evidence);
    const { fileName, contentType, sha256, bytes } = checkEvidenceFile(file, this.config.maxBytes);
    return this.uow.run(actor, async (tx) => {
      const control = await this.controls.lockActive(tx, controlId);
      const storagePath = this.config.dir ? await writeToEvidenceFolder(this.config.dir, sha256, bytes) : null;
      const saved = await tx.create(
        ControlEvidence,
        {
          controlId: control.id,
          fileName,
          contentType,
          size: bytes.length,
          sha256,
          content: storagePath ? null : bytes,
          storagePath,
          note: dto.note?.trim() || null,
          uploadedById: actor.staffId,
        },
        // the bytes never reach the audit trail
        {
          action: 'control_evidence.create',
          entityType: 'control_evidence',
          omit: ['content'],
          context: { controlCode: control.code },
        },
      );
      return summary(saved, await uploadersOf(tx.manager, actor.organizationId, [saved]));
    });
  }

  async list(actor: Actor, controlId: string): Promise<{ items: EvidenceSummary[]; total: number }> {
    assertMay(actor, CONTROLS.read_evidence);
    await this.controls.get(actor, controlId); // 404 for an unknown control
    const rows = await this.uow.manager.getRepository(ControlEvidence).find({
      where: { organizationId: actor.organizationId, controlId },
      order: { createdAt: 'DESC' },
    });
    const uploaders = await uploadersOf(this.uow.manager, actor.organizationId, rows);
    const items = rows.map((row) => summary(row, uploaders));
    return { items, total: items.length };
  }

  /** The bytes of one file, checked against their SHA-256; the download is audited as an export. */
  /** The file as an HTTP attachment (API and pages alike). */
  async downloadFile(actor: Actor, controlId: string, evidenceId: string): Promise<StreamableFile> {
    const { evidence, bytes } = await this.download(actor, controlId, evidenceId);
    return new StreamableFile(bytes, { type: evidence.contentType, disposition: attachmentDisposition(evidence.fileName), length: bytes.length });
  }

  async download(actor: Actor, controlId: string, evidenceId: string): Promise<EvidenceDownload> {
    assertMay(actor, CONTROLS.read_evidence);
    return this.uow.run(actor, async (tx) => {
      const evidence = await tx.manager
        .getRepository(ControlEvidence)
        .createQueryBuilder('e')
        .addSelect('e.content')
        .where('e.organizationId = :org AND e.controlId = :controlId AND e.id = :evidenceId', { org: actor.organizationId, controlId, evidenceId })
        .getOne();
      if (!evidence) throw new AppException('CONTROL_EVIDENCE_NOT_FOUND');
      const bytes = await storedEvidenceBytes(this.config.dir, evidence);
      await tx.audit({
        action: 'control_evidence.download',
        entityType: 'control_evidence',
        entityId: evidence.id,
        context: { controlId, fileName: evidence.fileName, sha256: evidence.sha256, size: evidence.size },
      });
      return { evidence: fileOf(evidence), bytes };
    });
  }
}
