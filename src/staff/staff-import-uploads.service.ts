import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsNull, LessThan } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { systemActor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import { decodeCsv } from './staff-import-csv.js';
import { importedFile } from './staff-import-upload.interceptor.js';
import { StaffImportUpload } from './staff-import-upload.entity.js';
import { StaffImportService, type StaffImportResult } from './staff-import.service.js';
import { STAFF } from './staff.permissions.js';

/** How long an uploaded file waits for its confirmation. */
export const UPLOAD_TTL_MINUTES = 60;

export const STAFF_IMPORT_UPLOAD_PURGE_SCHEDULE: ScheduleDefinition = {
  name: 'staff-import-upload-purge',
  jobId: 'staff-import-upload-purge-quarterly',
  cron: '*/15 * * * *',
  tz: BUSINESS_TIME_ZONE,
};

/** An uploaded file as its pages show it (never its bytes). */
export interface StaffImportUploadView {
  id: string;
  fileName: string;
  sha256: string;
  size: number;
  uploadedAt: Date;
  expiresAt: Date;
  /** when it was imported; null while it waits */
  usedAt: Date | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** What an upload brings (multer's file, in memory). */
export interface UploadedCsv {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
}

const viewOf = (upload: StaffImportUpload): StaffImportUploadView => ({
  id: upload.id,
  fileName: upload.fileName,
  sha256: upload.sha256,
  size: upload.size,
  uploadedAt: upload.createdAt,
  expiresAt: upload.expiresAt,
  usedAt: upload.usedAt,
  rows: upload.rows,
  created: upload.created,
  updated: upload.updated,
  unchanged: upload.unchanged,
});

/** A file name as stored: no path, no control characters, at most 255 characters. */
function storedName(name: string): string {
  const base = [...(name.split(/[\\/]/).pop() ?? '')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
  return (base.trim() || 'staff.csv').slice(0, 255);
}

/**
 * The import page's two steps: the uploaded HR file is checked without writing (the preview), and
 * kept (`staff_import_uploads`) when it has no bad row, for its uploader alone to confirm within
 * UPLOAD_TTL_MINUTES; confirming imports it (checked again, in the import's transaction) and
 * removes its bytes. A new upload replaces its uploader's earlier unconfirmed ones.
 */
@Injectable()
export class StaffImportUploadsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly importer: StaffImportService,
  ) {}

  /** Checks the file (every bad row refuses it, nothing kept) and keeps it for the confirmation. */
  async upload(actor: Actor, file: UploadedCsv | undefined): Promise<{ id: string; result: StaffImportResult }> {
    assertMay(actor, STAFF.import);
    const { buffer, originalname } = importedFile(file);
    const text = decodeCsv(buffer);
    return this.uow.run(actor, async (tx) => {
      const result = await this.importer.importText(tx, text, true);
      const repository = tx.manager.getRepository(StaffImportUpload);
      const replaced = (await repository.delete({ organizationId: actor.organizationId, uploadedById: actor.staffId!, usedAt: IsNull() })).affected ?? 0;
      const sha256 = createHash('sha256').update(buffer).digest('hex');
      const upload = await tx.create(
        StaffImportUpload,
        {
          uploadedById: actor.staffId!,
          fileName: storedName(originalname),
          sha256,
          size: buffer.length,
          content: buffer,
          rows: result.rows,
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          expiresAt: new Date(Date.now() + UPLOAD_TTL_MINUTES * 60_000),
          usedAt: null,
        },
        { action: 'staff_import_upload.create', entityType: 'staff_import_upload', omit: ['content'], ...(replaced ? { context: { replaced } } : {}) },
      );
      return { id: upload.id, result };
    });
  }

  /** The caller's uploaded file (someone else's is not there for them); an unconfirmed one past its time has expired. */
  async find(actor: Actor, id: string): Promise<StaffImportUploadView> {
    assertMay(actor, STAFF.import);
    const upload = await this.uow.manager.getRepository(StaffImportUpload).findOneBy({ id, organizationId: actor.organizationId });
    if (!upload || upload.uploadedById !== actor.staffId) throw new AppException('STAFF_IMPORT_UPLOAD_NOT_FOUND');
    if (!upload.usedAt && upload.expiresAt <= new Date()) throw new AppException('STAFF_IMPORT_UPLOAD_EXPIRED');
    return viewOf(upload);
  }

  /** Imports the caller's uploaded file, all or nothing, checking it again; its bytes go with it. */
  async confirm(actor: Actor, id: string): Promise<StaffImportUploadView> {
    assertMay(actor, STAFF.import);
    return this.uow.run(actor, async (tx) => {
      const repository = tx.manager.getRepository(StaffImportUpload);
      const upload = await repository
        .createQueryBuilder('u')
        .addSelect('u.content')
        .where('u.id = :id AND u.organization_id = :organizationId', { id, organizationId: actor.organizationId })
        .setLock('pessimistic_write')
        .getOne();
      if (!upload || upload.uploadedById !== actor.staffId) throw new AppException('STAFF_IMPORT_UPLOAD_NOT_FOUND');
      if (upload.usedAt || !upload.content) throw new AppException('STAFF_IMPORT_UPLOAD_USED');
      if (upload.expiresAt <= new Date()) throw new AppException('STAFF_IMPORT_UPLOAD_EXPIRED');
      const result = await this.importer.importText(tx, decodeCsv(upload.content), false, {
        uploadId: upload.id,
        fileName: upload.fileName,
        sha256: upload.sha256,
      });
      const usedAt = new Date();
      await repository.update(
        { id: upload.id },
        { content: null, usedAt, rows: result.rows, created: result.created, updated: result.updated, unchanged: result.unchanged },
      );
      tx.audit({
        action: 'staff_import_upload.use',
        entityType: 'staff_import_upload',
        entityId: upload.id,
        before: { usedAt: null },
        after: { usedAt },
        context: { fileName: upload.fileName, sha256: upload.sha256, contentRemoved: true },
      });
      return viewOf({ ...upload, usedAt, content: null, ...result });
    });
  }

  /** Removes the uploads past their time, imported or not (each organisation's count audited). */
  @ScheduledJob(STAFF_IMPORT_UPLOAD_PURGE_SCHEDULE.name)
  async purgeExpired(now: Date = new Date()): Promise<{ removed: number }> {
    let removed = 0;
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true } });
    for (const organization of organizations) {
      removed += await this.uow.run(systemActor(organization.id, 'scheduler'), async (tx) => {
        const result = await tx.manager.getRepository(StaffImportUpload).delete({ organizationId: organization.id, expiresAt: LessThan(now) });
        const count = result.affected ?? 0;
        if (count) tx.audit({ action: 'staff_import_upload.purge', entityType: 'staff_import_upload', context: { removed: count } });
        return count;
      });
    }
    return { removed };
  }
}
