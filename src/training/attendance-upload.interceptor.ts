import { Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { fileRefused } from './attendance-list.js';

/** The largest attendance CSV taken: 20,000 employee numbers with names are well under 2 MB. */
export const MAX_ATTENDANCE_FILE_BYTES = 2 * 1024 * 1024;

/** Receives the multipart `file` of an attendance CSV in memory, up to 2 MB (413 naming `file` beyond). */
@Injectable()
export class AttendanceUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor = new (FileInterceptor('file', {
    limits: { fileSize: MAX_ATTENDANCE_FILE_BYTES, files: 1, fields: 10 },
    defParamCharset: 'utf8',
  }))();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.inner.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) throw fileRefused('tooLarge', 'The file is larger than 2 MB', 'PAYLOAD_TOO_LARGE');
      throw error;
    }
  }
}
