import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { systemActor, type Actor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE } from '../common/calendar.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import { importedFile } from '../staff/staff-import-upload.interceptor.js';
import type { DrillFormat } from './mail-drill-csv.js';
import { MailDrillUpload } from './mail-drill-upload.entity.js';
import { MailDrillsService, type DrillImportResult } from './mail-drills.service.js';
import { TRAINING } from './training.permissions.js';

/** How long a checked file waits for its confirmation. */
export const DRILL_UPLOAD_TTL_MINUTES = 60;

/** Checked files past their time are removed every 15 minutes, confirmed or not (they hold who clicked and who reported). */
export const DRILL_UPLOAD_PURGE_SCHEDULE: ScheduleDefinition = {
  name: 'drill-upload-purge',
  jobId: 'drill-upload-purge-quarterly',
  cron: '*/15 * * * *',
  tz: BUSINESS_TIME_ZONE,
};

/** A checked file as the pages show it. */
export interface DrillUploadView {
  id: string;
  courseId: string;
  fileName: string;
  format: DrillFormat;
  uploadedAt: Date;
  expiresAt: Date;
  preview: DrillImportResult;
}

/** What an upload brings (multer's file, in memory). */
export interface UploadedDrillFile {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
}

const viewOf = (upload: MailDrillUpload): DrillUploadView => ({
  id: upload.id,
  courseId: upload.courseId,
  fileName: upload.fileName,
  format: upload.format,
  uploadedAt: upload.createdAt,
  expiresAt: upload.expiresAt,
  preview: upload.preview,
});

/** A file name as stored: no path, no control characters, at most 255 characters. */
function storedName(name: string): string {
  const base = [...(name.split(/[\\/]/).pop() ?? '')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
  return (base.trim() || 'results.csv').slice(0, 255);
}

/**
 * The drill page's two steps: an uploaded results file is checked without writing (the preview:
 * every bad row refuses it, nothing kept), and its rows kept for their uploader alone to confirm
 * within DRILL_UPLOAD_TTL_MINUTES; confirming imports them (checked again, in the import's
 * transaction) and removes them. A new upload replaces its uploader's earlier ones for the course,
 * and removes the organisation's expired ones.
 */
@Injectable()
export class MailDrillUploadsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly drills: MailDrillsService,
  ) {}

  async upload(actor: Actor, courseId: string, file: UploadedDrillFile | undefined, format?: DrillFormat): Promise<DrillUploadView> {
    assertMay(actor, TRAINING.import_drill_results);
    const { buffer, originalname } = importedFile(file);
    const rows = await this.drills.read(buffer, format);
    const sha256 = createHash('sha256').update(buffer).digest('hex');
    return this.uow.run(actor, async (tx) => {
      const preview = await this.drills.importRows(tx, courseId, rows, true);
      const repository = tx.manager.getRepository(MailDrillUpload);
      const replaced = (await repository.delete({ organizationId: actor.organizationId, courseId, uploadedById: actor.staffId! })).affected ?? 0;
      const expired = (await repository.delete({ organizationId: actor.organizationId, expiresAt: LessThan(new Date()) })).affected ?? 0;
      const upload = await repository.save(
        repository.create({
          organizationId: actor.organizationId,
          courseId,
          uploadedById: actor.staffId!,
          fileName: storedName(originalname),
          sha256,
          format: rows.format,
          keyColumn: rows.key,
          rows: rows.rows,
          preview,
          expiresAt: new Date(Date.now() + DRILL_UPLOAD_TTL_MINUTES * 60_000),
        }),
      );
      tx.audit({
        action: 'course.check_drill_results',
        entityType: 'course',
        entityId: courseId,
        context: {
          uploadId: upload.id,
          fileName: upload.fileName,
          sha256,
          format: rows.format,
          rows: preview.rows,
          ...(replaced || expired ? { replaced, expired } : {}),
        },
      });
      return viewOf(upload);
    });
  }

  /** The caller's checked file for the course (someone else's is not there for them); one past its time has expired. */
  async find(actor: Actor, courseId: string, id: string): Promise<DrillUploadView> {
    assertMay(actor, TRAINING.import_drill_results);
    const upload = await this.uow.manager.getRepository(MailDrillUpload).findOneBy({ id, courseId, organizationId: actor.organizationId });
    if (!upload || upload.uploadedById !== actor.staffId) throw new AppException('DRILL_UPLOAD_NOT_FOUND');
    if (upload.expiresAt <= new Date()) throw new AppException('DRILL_UPLOAD_EXPIRED');
    return viewOf(upload);
  }

  /** Imports the caller's checked file, all or nothing, checking it again; the kept rows go with it. */
  async confirm(actor: Actor, courseId: string, id: string): Promise<DrillImportResult> {
    assertMay(actor, TRAINING.import_drill_results);
    return this.uow.run(actor, async (tx) => {
      const repository = tx.manager.getRepository(MailDrillUpload);
      const upload = await repository
        .createQueryBuilder('u')
        .addSelect('u.rows')
        .where('u.id = :id AND u.course_id = :courseId AND u.organization_id = :organizationId', { id, courseId, organizationId: actor.organizationId })
        .setLock('pessimistic_write')
        .getOne();
      if (!upload || upload.uploadedById !== actor.staffId) throw new AppException('DRILL_UPLOAD_NOT_FOUND');
      if (upload.expiresAt <= new Date()) throw new AppException('DRILL_UPLOAD_EXPIRED');
      const result = await this.drills.importRows(tx, courseId, { format: upload.format, key: upload.keyColumn, rows: upload.rows, issues: [] }, false, {
        uploadId: upload.id,
        fileName: upload.fileName,
        sha256: upload.sha256,
      });
      await repository.delete({ id: upload.id });
      return result;
    });
  }

  /** Removes the checked files past their time (each organisation's count audited). */
  @ScheduledJob(DRILL_UPLOAD_PURGE_SCHEDULE.name)
  async purgeExpired(now: Date = new Date()): Promise<{ removed: number }> {
    let removed = 0;
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true } });
    for (const organization of organizations) {
      removed += await this.uow.run(systemActor(organization.id, 'scheduler'), async (tx) => {
        const count = (await tx.manager.getRepository(MailDrillUpload).delete({ organizationId: organization.id, expiresAt: LessThan(now) })).affected ?? 0;
        if (count) tx.audit({ action: 'drill_upload.purge', entityType: 'course', context: { removed: count } });
        return count;
      });
    }
    return { removed };
  }
}
