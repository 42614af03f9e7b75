import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Observable } from 'rxjs';
import type { MamoriConfig } from '../../config/configuration.js';
import { IncidentAttachmentParser, MAX_REPORT_ATTACHMENTS } from '../../incidents/incident-attachment-upload.interceptor.js';
import { parseThenVerifyCsrf } from '../forms/multipart-form.js';

/** The report form: its fields and up to five files as `attachments` (EVIDENCE_MAX_BYTES each), then the CSRF check. */
@Injectable()
export class IncidentReportFormInterceptor implements NestInterceptor {
  private readonly parser: IncidentAttachmentParser;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.parser = new IncidentAttachmentParser(config.get('evidence', { infer: true }).maxBytes, 'attachments', MAX_REPORT_ATTACHMENTS);
  }

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return parseThenVerifyCsrf(this.parser, context, next);
  }
}

/** The file form of an incident's page: one `file`, as the API takes it, then the CSRF check. */
@Injectable()
export class IncidentAttachmentFormInterceptor implements NestInterceptor {
  private readonly parser: IncidentAttachmentParser;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.parser = new IncidentAttachmentParser(config.get('evidence', { infer: true }).maxBytes);
  }

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return parseThenVerifyCsrf(this.parser, context, next);
  }
}
