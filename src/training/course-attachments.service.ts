import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import type { EvidenceConfig, MamoriConfig } from '../config/configuration.js';
import { safeFileName } from '../controls/file-sniffing.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { attachmentTooLarge, ATTACHMENTS_FOLDER, maxAttachmentBytes } from './course-attachment-upload.interceptor.js';
import { CourseAttachment } from './course-attachment.entity.js';
import { bufferReader, COURSE_MATERIAL_EXTENSIONS, sniffCourseMaterial, type ReadBytes } from './course-material.js';
import type { Course } from './course.entity.js';
import { CoursesService } from './courses.service.js';
import { TRAINING } from './training.permissions.js';

/** An attachment's record: everything but its bytes. */
export interface AttachmentFile {
  id: string;
  courseId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedById: string | null;
  createdAt: Date;
  /** where the bytes are kept */
  storage: 'database' | 'directory';
}

/** What an upload brings: multer's file, in memory (`buffer`) or, with EVIDENCE_DIR, in a temporary file (`path`). */
export interface UploadedAttachmentFile {
  originalname: string;
  size: number;
  buffer?: Buffer;
  path?: string;
}

/** An attachment opened for sending: its record, and its bytes or the file that holds them. */
export type OpenedAttachment = { file: AttachmentFile; path: string; bytes?: undefined } | { file: AttachmentFile; bytes: Buffer; path?: undefined };

/** `course-attachments/<organisation>/<attachment id>` under EVIDENCE_DIR. */
const STORAGE_PATH = /^course-attachments\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

function fileOf(a: CourseAttachment): AttachmentFile {
  return {
    id: a.id,
    courseId: a.courseId,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    uploadedById: a.uploadedById,
    createdAt: a.createdAt,
    storage: a.storagePath ? 'directory' : 'database',
  };
}

/** A reader over a file on disk (the sniffing reads its head and, for a ZIP, its end only). */
function fileReader(path: string): ReadBytes {
  return async (offset, length) => {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A course's material (研修資料: PDF, slides, MP4, pictures), served by Mamori itself because the
 * terminals of the LGWAN zone cannot reach video sites. Stored like control evidence: the type is
 * decided from the bytes, the SHA-256 is kept with the record, and the bytes go to PostgreSQL (up to
 * 50 MB) or, when EVIDENCE_DIR is set, to a file of their own in that folder (up to 500 MB).
 * Uploads and deletions are audited; reading is not (every member of staff reads the material).
 */
@Injectable()
export class CourseAttachmentsService {
  private readonly config: EvidenceConfig;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly courses: CoursesService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.config = config.get('evidence', { infer: true });
  }

  /** The largest file taken, where the bytes go now. */
  get maxBytes(): number {
    return maxAttachmentBytes(this.config.dir);
  }

  async upload(actor: Actor, courseId: string, file: UploadedAttachmentFile | undefined): Promise<AttachmentFile> {
    assertMay(actor, TRAINING.manage_courses);
    try {
      return await this.uploadOnce(actor, courseId, file);
    } finally {
      // a temporary file not moved into place (a refused upload) goes before the answer does
      if (file?.path) await rm(file.path, { force: true });
    }
  }

  private async uploadOnce(actor: Actor, courseId: string, file: UploadedAttachmentFile | undefined): Promise<AttachmentFile> {
    if (!file || (!file.buffer && !file.path)) {
      throw new AppException('VALIDATION_FAILED', 'No file was sent: attach the material as the multipart field "file"', [
        { field: 'file', messages: ['choose a file to attach as "file"'] },
      ]);
    }
    if (file.size === 0)
      throw new AppException('ATTACHMENT_REFUSED', 'The file is empty (0 bytes)', [{ field: 'file', messages: ['the file is empty (0 bytes)'] }]);
    if (file.size > this.maxBytes) throw attachmentTooLarge(this.maxBytes);
    const fileName = safeFileName(file.originalname);
    const read = file.buffer ? bufferReader(file.buffer) : fileReader(file.path!);
    const sniffed = await sniffCourseMaterial(read, file.size, fileName);
    if (!sniffed.ok) {
      throw new AppException('ATTACHMENT_REFUSED', sniffed.message, [{ field: 'file', messages: [sniffed.message] }], {
        reason: sniffed.reason,
        acceptedExtensions: COURSE_MATERIAL_EXTENSIONS,
        ...(sniffed.reason === 'misnamed' ? { expectedExtension: sniffed.expectedExtension } : {}),
      });
    }
    const sha256 = file.buffer ? createHash('sha256').update(file.buffer).digest('hex') : await sha256OfFile(file.path!);
    const id = randomUUID();
    // the bytes are put in place before the record is written, and taken away again if it is not
    const storagePath = this.config.dir ? await this.store(actor.organizationId, id, file) : null;
    try {
      return await this.uow.run(actor, async (tx) => {
        const course = await this.courses.lock(tx, courseId);
        assertChangeable(course);
        const saved = await tx.create(
          CourseAttachment,
          {
            id,
            courseId: course.id,
            fileName,
            contentType: sniffed.contentType,
            size: file.size,
            sha256,
            content: storagePath ? null : (file.buffer ?? null),
            storagePath,
            uploadedById: actor.staffId,
          },
          // the bytes never reach the audit trail
          { action: 'course_attachment.create', entityType: 'course_attachment', omit: ['content'], context: { courseId: course.id } },
        );
        return fileOf(saved);
      });
    } catch (error) {
      if (storagePath) await rm(this.pathOf(storagePath), { force: true });
      throw error;
    }
  }

  /** A course's attachments, oldest first (the order the material is meant to be read in). */
  async list(actor: Actor, courseId: string): Promise<AttachmentFile[]> {
    assertMay(actor, TRAINING.read_courses);
    await this.readableCourse(actor, courseId);
    const rows = await this.uow.manager.getRepository(CourseAttachment).find({
      where: { organizationId: actor.organizationId, courseId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(fileOf);
  }

  /** One attachment, to send: the file that holds it, or its bytes from PostgreSQL. */
  async open(actor: Actor, courseId: string, attachmentId: string): Promise<OpenedAttachment> {
    assertMay(actor, TRAINING.read_courses);
    await this.readableCourse(actor, courseId);
    const attachment = await this.uow.manager
      .getRepository(CourseAttachment)
      .createQueryBuilder('a')
      .addSelect('a.content')
      .where('a.organizationId = :org AND a.courseId = :courseId AND a.id = :attachmentId', { org: actor.organizationId, courseId, attachmentId })
      .getOne();
    if (!attachment) throw new AppException('ATTACHMENT_NOT_FOUND');
    if (attachment.storagePath) return { file: fileOf(attachment), path: this.pathOf(attachment.storagePath) };
    if (!attachment.content) throw new AppException('ATTACHMENT_CONTENT_UNAVAILABLE', `The bytes of attachment ${attachment.id} are missing`);
    return { file: fileOf(attachment), bytes: attachment.content };
  }

  /** Removes an attachment of a draft or published course; its file, if it has one, once the removal is committed. */
  async remove(actor: Actor, courseId: string, attachmentId: string): Promise<void> {
    assertMay(actor, TRAINING.manage_courses);
    const storagePath = await this.uow.run(actor, async (tx) => {
      const course = await this.courses.lock(tx, courseId);
      assertChangeable(course);
      const attachment = await tx.manager
        .getRepository(CourseAttachment)
        .findOne({ where: { organizationId: actor.organizationId, courseId: course.id, id: attachmentId } });
      if (!attachment) throw new AppException('ATTACHMENT_NOT_FOUND');
      tx.audit({
        action: 'course_attachment.delete',
        entityType: 'course_attachment',
        entityId: attachment.id,
        before: { fileName: attachment.fileName, contentType: attachment.contentType, size: attachment.size, sha256: attachment.sha256 },
        context: { courseId: course.id },
      });
      await tx.manager.getRepository(CourseAttachment).delete({ id: attachment.id, organizationId: actor.organizationId });
      return attachment.storagePath;
    });
    if (storagePath && this.config.dir) await rm(this.pathOf(storagePath), { force: true });
  }

  /** The course, if the person may read it (a draft only those who write courses): else 404, as for a course that does not exist. */
  private async readableCourse(actor: Actor, courseId: string): Promise<void> {
    const [course] = (await this.uow.manager.query(`SELECT status FROM courses WHERE id = $1 AND organization_id = $2`, [courseId, actor.organizationId])) as {
      status: string;
    }[];
    if (!course || (course.status === 'draft' && !may(actor, TRAINING.manage_courses))) throw new AppException('COURSE_NOT_FOUND');
  }

  /** Moves (or writes) the uploaded bytes to their own file; returns its path relative to EVIDENCE_DIR. */
  private async store(organizationId: string, id: string, file: UploadedAttachmentFile): Promise<string> {
    const storagePath = `${ATTACHMENTS_FOLDER}/${organizationId}/${id}`;
    const target = this.pathOf(storagePath);
    await mkdir(join(this.config.dir!, ATTACHMENTS_FOLDER, organizationId), { recursive: true, mode: 0o750 });
    if (file.path) await rename(file.path, target);
    else await writeFile(target, file.buffer!, { flag: 'wx', mode: 0o640 });
    return storagePath;
  }

  private pathOf(storagePath: string): string {
    const dir = this.config.dir;
    if (!dir) throw new AppException('ATTACHMENT_CONTENT_UNAVAILABLE', 'The file is kept in EVIDENCE_DIR, which is not set');
    if (!STORAGE_PATH.test(storagePath)) throw new AppException('ATTACHMENT_CONTENT_UNAVAILABLE', 'The stored path of the file is not one Mamori writes');
    // sendFile needs an absolute path; a relative EVIDENCE_DIR is taken from the working folder
    return isAbsolute(dir) ? join(dir, storagePath) : join(process.cwd(), dir, storagePath);
  }
}

/** Material is added to and taken from drafts and published courses; a closed course stays as it was. */
function assertChangeable(course: Course): void {
  if (course.status === 'closed') throw new AppException('COURSE_NOT_DRAFT', 'The course is closed: its material stays as it was');
}
