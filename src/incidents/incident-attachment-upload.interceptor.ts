import { BadRequestException, Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { AppException } from '../common/errors/app.exception.js';
import type { MamoriConfig } from '../config/configuration.js';

/** How many files the report form takes at once. */
export const MAX_REPORT_ATTACHMENTS = 5;

/** The refusal of a file over EVIDENCE_MAX_BYTES: 413 naming the field, with the limit for clients to show. */
export function attachmentTooLarge(maxBytes: number, field = 'file'): AppException {
  return new AppException(
    'INCIDENT_ATTACHMENT_TOO_LARGE',
    `The file is larger than the limit of ${maxBytes} bytes`,
    [{ field, messages: [`must be at most ${maxBytes} bytes`] }],
    { maxBytes },
  );
}

/**
 * Receives an incident's attachments in memory (multer), stopping at EVIDENCE_MAX_BYTES per file:
 * one `file` (the API), or up to MAX_REPORT_ATTACHMENTS under another field (the report form). Over
 * the limit is 413 INCIDENT_ATTACHMENT_TOO_LARGE, too many files 400 INCIDENT_ATTACHMENT_REFUSED,
 * both naming the field. File names are read as UTF-8 (Japanese names survive).
 */
export class IncidentAttachmentParser implements NestInterceptor {
  private readonly inner: NestInterceptor;

  constructor(
    private readonly maxBytes: number,
    private readonly field = 'file',
    private readonly maxCount = 1,
  ) {
    const limits = { fileSize: maxBytes, files: maxCount, fields: 40 };
    const Multipart =
      maxCount === 1 ? FileInterceptor(field, { limits, defParamCharset: 'utf8' }) : FilesInterceptor(field, maxCount, { limits, defParamCharset: 'utf8' });
    this.inner = new Multipart();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.inner.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) throw attachmentTooLarge(this.maxBytes, this.field);
      // multer's refusals of the count of files ("Too many files", "Unexpected field": a file beyond the count or under another name)
      if (error instanceof BadRequestException && /too many files|unexpected field/i.test(error.message)) {
        const message = `at most ${this.maxCount} file${this.maxCount === 1 ? '' : 's'}, sent as "${this.field}"`;
        throw new AppException('INCIDENT_ATTACHMENT_REFUSED', message, [{ field: this.field, messages: [message] }], { reason: 'too_many' });
      }
      throw error;
    }
  }
}

/** The API's upload of one attachment (`file`). */
@Injectable()
export class IncidentAttachmentUploadInterceptor implements NestInterceptor {
  private readonly parser: IncidentAttachmentParser;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.parser = new IncidentAttachmentParser(config.get('evidence', { infer: true }).maxBytes);
  }

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return this.parser.intercept(context, next);
  }
}
