import { createHash } from 'node:crypto';
import { Injectable, StreamableFile } from '@nestjs/common';
import { readFromEvidenceFolder, writeToEvidenceFolder } from '../controls/evidence-folder.js';
import { ConfigService } from '@nestjs/config';
import { In, type EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import type { EvidenceConfig, MamoriConfig } from '../config/configuration.js';
import { attachmentDisposition, safeFileName } from '../controls/file-sniffing.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { StaffRef } from '../staff/dto/staff-view.dto.js';
import { Staff } from '../staff/staff.entity.js';
import { IncidentAttachment } from './incident-attachment.entity.js';
import { INCIDENT_ATTACHMENT_EXTENSIONS, sniffIncidentAttachment } from './incident-attachment-sniffing.js';
import { attachmentTooLarge } from './incident-attachment-upload.interceptor.js';
import type { IncidentAttachmentView } from './incident-attachment-view.js';
import { appendTimeline } from './incident-timeline.js';
import { isOpen } from './incident-transitions.js';
import { IncidentsService } from './incidents.service.js';
import { INCIDENTS } from './incidents.permissions.js';

/** What an upload brings: multer's file, in memory. */
export interface UploadedIncidentFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** A file checked and ready to keep: its safe name, the type found from its bytes, its SHA-256. */
export interface CheckedAttachment {
  fileName: string;
  contentType: string;
  sha256: string;
  bytes: Buffer;
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The files of an incident (a screenshot, the suspicious mail, a log), kept like control evidence:
 * the type decided from the bytes, the SHA-256 kept with the record, the bytes in PostgreSQL or, when
 * EVIDENCE_DIR is set, in that folder under their SHA-256. The reporter attaches files to their own
 * report while it is open, those who work incidents to any; whoever may see the incident may
 * download them. Attaching lands on the timeline, attaching and downloading on the audit trail (the
 * name, size and SHA-256; never the bytes).
 */
@Injectable()
export class IncidentAttachmentsService {
  private readonly config: EvidenceConfig;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly incidents: IncidentsService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.config = config.get('evidence', { infer: true });
  }

  /** The largest file kept (EVIDENCE_MAX_BYTES). */
  get maxBytes(): number {
    return this.config.maxBytes;
  }

  /**
   * Checks files before anything is written (the report form checks its files before the report is
   * filed): each not empty, within the limit, and of a kind an incident keeps judged from its bytes.
   * A refusal names `field`.
   */
  check(files: readonly UploadedIncidentFile[], field = 'file'): CheckedAttachment[] {
    return files.map((file) => {
      if (file.size > this.config.maxBytes || file.buffer.length > this.config.maxBytes) throw attachmentTooLarge(this.config.maxBytes, field);
      const fileName = safeFileName(file.originalname);
      const sniffed = sniffIncidentAttachment(file.buffer, fileName);
      if (!sniffed.ok) {
        throw new AppException('INCIDENT_ATTACHMENT_REFUSED', `${fileName}: ${sniffed.message}`, [{ field, messages: [sniffed.message] }], {
          fileName,
          reason: sniffed.reason,
          acceptedExtensions: INCIDENT_ATTACHMENT_EXTENSIONS,
          ...(sniffed.reason === 'misnamed' ? { expectedExtension: sniffed.expectedExtension } : {}),
        });
      }
      return { fileName, contentType: sniffed.contentType, sha256: sha256Of(file.buffer), bytes: file.buffer };
    });
  }

  /** Attaches one uploaded file (the API's `file`). */
  async upload(actor: Actor, incidentId: string, file: UploadedIncidentFile | undefined): Promise<IncidentAttachmentView> {
    assertMay(actor, INCIDENTS.add_attachment);
    if (!file) {
      throw new AppException('VALIDATION_FAILED', 'No file was sent: attach it as the multipart field "file"', [
        { field: 'file', messages: ['choose a file to attach as "file"'] },
      ]);
    }
    const [saved] = await this.attach(actor, incidentId, this.check([file]));
    return saved!;
  }

  /**
   * Keeps checked files on the incident in one transaction, each on the timeline and the audit
   * trail. The reporter may attach to their own report while it is open; those who work incidents
   * to any incident; anyone else who sees it is refused.
   */
  async attach(actor: Actor, incidentId: string, files: readonly CheckedAttachment[]): Promise<IncidentAttachmentView[]> {
    assertMay(actor, INCIDENTS.add_attachment);
    if (files.length === 0) return [];
    return this.uow.run(actor, async (tx) => {
      const incident = await this.incidents.lock(tx, incidentId);
      if (!may(actor, INCIDENTS.respond)) {
        if (incident.reporterId !== actor.staffId) throw new AppException('FORBIDDEN', 'Only the reporter and those who work incidents attach files');
        if (!isOpen(incident.status)) throw new AppException('INCIDENT_CLOSED');
      }
      const saved: IncidentAttachment[] = [];
      for (const file of files) {
        const storagePath = this.config.dir ? await writeToEvidenceFolder(this.config.dir, file.sha256, file.bytes) : null;
        const attachment = await tx.create(
          IncidentAttachment,
          {
            incidentId: incident.id,
            fileName: file.fileName,
            contentType: file.contentType,
            size: file.bytes.length,
            sha256: file.sha256,
            content: storagePath ? null : file.bytes,
            storagePath,
            uploadedById: actor.staffId,
          },
          // the bytes never reach the audit trail
          { action: 'incident_attachment.create', entityType: 'incident_attachment', omit: ['content'], context: { reference: incident.reference } },
        );
        await appendTimeline(tx, incident.id, {
          kind: 'attachment',
          data: {
            event: 'added',
            attachmentId: attachment.id,
            fileName: attachment.fileName,
            contentType: attachment.contentType,
            size: attachment.size,
            sha256: attachment.sha256,
          },
        });
        saved.push(attachment);
      }
      const uploaders = await uploadersOf(tx.manager, actor.organizationId, saved);
      return saved.map((a) => viewOf(a, uploaders));
    });
  }

  /** The incident's files, oldest first (anyone who may see the incident). */
  async list(actor: Actor, incidentId: string): Promise<IncidentAttachmentView[]> {
    assertMay(actor, INCIDENTS.read);
    await this.incidents.get(actor, incidentId);
    const rows = await this.uow.manager.getRepository(IncidentAttachment).find({
      where: { organizationId: actor.organizationId, incidentId },
      order: { createdAt: 'ASC' },
    });
    const uploaders = await uploadersOf(this.uow.manager, actor.organizationId, rows);
    return rows.map((row) => viewOf(row, uploaders));
  }

  /** One file as an HTTP attachment, checked against its SHA-256; the download is audited. */
  async download(actor: Actor, incidentId: string, attachmentId: string): Promise<StreamableFile> {
    assertMay(actor, INCIDENTS.read);
    await this.incidents.get(actor, incidentId);
    return this.uow.run(actor, async (tx) => {
      const attachment = await tx.manager
        .getRepository(IncidentAttachment)
        .createQueryBuilder('a')
        .addSelect('a.content')
        .where('a.organizationId = :org AND a.incidentId = :incidentId AND a.id = :attachmentId', { org: actor.organizationId, incidentId, attachmentId })
        .getOne();
      if (!attachment) throw new AppException('INCIDENT_ATTACHMENT_NOT_FOUND');
      const bytes = attachment.storagePath ? await readFromEvidenceFolder(this.config.dir, attachment.storagePath) : attachment.content;
      if (!bytes || sha256Of(bytes) !== attachment.sha256) {
        throw new AppException('EVIDENCE_CONTENT_UNAVAILABLE', `The bytes of attachment ${attachment.id} do not match its SHA-256`);
      }
      tx.audit({
        action: 'incident_attachment.download',
        entityType: 'incident_attachment',
        entityId: attachment.id,
        context: { incidentId, fileName: attachment.fileName, sha256: attachment.sha256, size: attachment.size },
      });
      return new StreamableFile(bytes, { type: attachment.contentType, disposition: attachmentDisposition(attachment.fileName), length: bytes.length });
    });
  }
}

function viewOf(a: IncidentAttachment, uploaders: ReadonlyMap<string, StaffRef>): IncidentAttachmentView {
  return {
    id: a.id,
    incidentId: a.incidentId,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    uploadedById: a.uploadedById,
    uploadedBy: (a.uploadedById && uploaders.get(a.uploadedById)) || null,
    createdAt: a.createdAt,
  };
}

/** The people who attached these files, by id (one query). */
async function uploadersOf(manager: EntityManager, organizationId: string, rows: readonly IncidentAttachment[]): Promise<Map<string, StaffRef>> {
  const ids = [...new Set(rows.map((a) => a.uploadedById).filter((id): id is string => id !== null))];
  if (!ids.length) return new Map();
  const people = await manager.getRepository(Staff).find({
    select: { id: true, employeeNumber: true, familyName: true, givenName: true },
    where: { organizationId, id: In(ids) },
  });
  return new Map(people.map((p) => [p.id, { id: p.id, employeeNumber: p.employeeNumber, familyName: p.familyName, givenName: p.givenName }]));
}
