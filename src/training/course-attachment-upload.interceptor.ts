import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { finalize, type Observable } from 'rxjs';
import { AppException } from '../common/errors/app.exception.js';
import type { MamoriConfig } from '../config/configuration.js';

/** The largest file of course material kept in EVIDENCE_DIR (a lecture's video). */
export const MAX_ATTACHMENT_BYTES_IN_DIRECTORY = 500 * 1024 * 1024;
/** The largest file kept in PostgreSQL when EVIDENCE_DIR is not set. */
export const MAX_ATTACHMENT_BYTES_IN_DATABASE = 50 * 1024 * 1024;

/** The folder of EVIDENCE_DIR that holds course material, and its uploads in progress. */
export const ATTACHMENTS_FOLDER = 'course-attachments';
export const INCOMING_FOLDER = join(ATTACHMENTS_FOLDER, '.incoming');

/** The largest attachment taken where the bytes go: EVIDENCE_DIR, or PostgreSQL. */
export function maxAttachmentBytes(dir: string | undefined): number {
  return dir ? MAX_ATTACHMENT_BYTES_IN_DIRECTORY : MAX_ATTACHMENT_BYTES_IN_DATABASE;
}

/** The refusal of a file over the limit: 413 naming `file`, with the limit (`maxBytes`). */
export function attachmentTooLarge(maxBytes: number): AppException {
  return new AppException(
    'ATTACHMENT_TOO_LARGE',
    `The file is larger than the limit of ${maxBytes} bytes`,
    [{ field: 'file', messages: [`must be at most ${maxBytes} bytes`] }],
    { maxBytes },
  );
}

/**
 * Receives the multipart `file` of a course attachment. With EVIDENCE_DIR the file is streamed to
 * a temporary file in that folder (up to 500 MB: a video never sits in memory) and the service
 * moves it into place; without, it is read into memory (up to 50 MB) for PostgreSQL. Over the limit
 * is a 413 problem naming `file`. File names are read as UTF-8. Whatever happens, a temporary file
 * left behind (a refused upload, a forged form) is removed when the request ends.
 */
@Injectable()
export class CourseAttachmentUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor;
  readonly maxBytes: number;

  constructor(config: ConfigService<MamoriConfig, true>) {
    const dir = config.get('evidence', { infer: true }).dir;
    this.maxBytes = maxAttachmentBytes(dir);
    // multer creates the folder of `dest` and names each file at random; without `dest` it keeps the file in memory
    const storage = dir ? { dest: join(dir, INCOMING_FOLDER) } : {};
    const Multipart = FileInterceptor('file', { ...storage, limits: { fileSize: this.maxBytes, files: 1, fields: 10 }, defParamCharset: 'utf8' });
    this.inner = new Multipart();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const cleanUp = (): void => {
      const path = req.file?.path;
      if (path) void rm(path, { force: true });
    };
    try {
      return (await this.inner.intercept(context, next)).pipe(finalize(cleanUp));
    } catch (error) {
      cleanUp();
      if (error instanceof PayloadTooLargeException) throw attachmentTooLarge(this.maxBytes);
      throw error;
    }
  }
}
