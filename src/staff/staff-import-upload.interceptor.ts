import { Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { fileRefused, StaffImportRefused } from './staff-import-csv.js';

/** The largest HR file taken: a prefecture's export of 50,000 people is about 4 MB. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_SIZE_TEXT = '20 MB';
const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel']);

/**
 * Receives the multipart `file` of a staff import in memory, stopping at MAX_IMPORT_BYTES: over the
 * limit is a 413 problem naming `file` (the pages say so beside the file input). File names are
 * read as UTF-8.
 */
@Injectable()
export class StaffImportUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor = new (FileInterceptor('file', {
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 },
    defParamCharset: 'utf8',
  }))();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.inner.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        throw fileRefused('PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_IMPORT_SIZE_TEXT}`, 'tooLarge', `must be at most ${MAX_IMPORT_SIZE_TEXT}`, {
          max: MAX_IMPORT_SIZE_TEXT,
        });
      }
      throw error;
    }
  }
}

/** The uploaded file, if it is one a staff import reads: there, and a CSV by its type or name. */
export function importedFile<F extends { mimetype: string; originalname: string }>(file: F | undefined): F {
  if (!file) {
    throw new StaffImportRefused('VALIDATION_FAILED', 'file is required', [{ field: 'file', code: 'missing', message: 'attach the CSV file as "file"' }]);
  }
  if (!CSV_TYPES.has(file.mimetype) && !/\.csv$/i.test(file.originalname)) {
    throw fileRefused('UNSUPPORTED_MEDIA_TYPE', `A CSV file is required, got ${file.mimetype}`, 'notCsv', 'must be a .csv file');
  }
  return file;
}
