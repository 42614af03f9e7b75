import { Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { AppException } from '../common/errors/app.exception.js';
import type { MamoriConfig } from '../config/configuration.js';

/** The refusal of a file over the limit: 413 naming `file`, with the limit (`maxBytes`) for clients to show. */
export function evidenceTooLarge(maxBytes: number): AppException {
  return new AppException(
    'EVIDENCE_TOO_LARGE',
    `The file is larger than the limit of ${maxBytes} bytes`,
    [{ field: 'file', messages: [`must be at most ${maxBytes} bytes`] }],
    { maxBytes },
  );
}

/**
 * Receives the multipart `file` of an evidence upload in memory, stopping at EVIDENCE_MAX_BYTES
 * (read from the configuration, which a decorator's static options cannot do): over the limit is
 * a 413 problem naming `file`. File names are read as UTF-8 (Japanese names survive).
 */
@Injectable()
export class ControlEvidenceUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor;
  private readonly maxBytes: number;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.maxBytes = config.get('evidence', { infer: true }).maxBytes;
    const Multipart = FileInterceptor('file', { limits: { fileSize: this.maxBytes, files: 1, fields: 10 }, defParamCharset: 'utf8' });
    this.inner = new Multipart();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.inner.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) throw evidenceTooLarge(this.maxBytes);
      throw error;
    }
  }
}
