import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Observable } from 'rxjs';
import type { MamoriConfig } from '../../config/configuration.js';
import { AttendanceUploadInterceptor } from '../../training/attendance-upload.interceptor.js';
import { CourseAttachmentUploadInterceptor } from '../../training/course-attachment-upload.interceptor.js';
import { parseThenVerifyCsrf } from '../forms/multipart-form.js';

/** The material upload form: the API's multer set-up (EVIDENCE_DIR or memory, its limit, UTF-8 names), then the CSRF check. */
@Injectable()
export class AttachmentFormInterceptor implements NestInterceptor {
  private readonly parser: CourseAttachmentUploadInterceptor;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.parser = new CourseAttachmentUploadInterceptor(config);
  }

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return parseThenVerifyCsrf(this.parser, context, next);
  }
}

/** The attendance CSV form: the API's multer set-up (2 MB in memory), then the CSRF check. */
@Injectable()
export class AttendanceFormInterceptor implements NestInterceptor {
  private readonly parser = new AttendanceUploadInterceptor();

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return parseThenVerifyCsrf(this.parser, context, next);
  }
}
