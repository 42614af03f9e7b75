import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Observable } from 'rxjs';
import type { MamoriConfig } from '../../config/configuration.js';
import { ControlEvidenceUploadInterceptor } from '../../controls/control-evidence.interceptor.js';
import { parseThenVerifyCsrf } from '../forms/multipart-form.js';

/** The evidence upload form: the API's multer set-up (size limit, UTF-8 names), then the CSRF check. */
@Injectable()
export class EvidenceFormInterceptor implements NestInterceptor {
  private readonly parser: ControlEvidenceUploadInterceptor;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.parser = new ControlEvidenceUploadInterceptor(config);
  }

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return parseThenVerifyCsrf(this.parser, context, next);
  }
}
