import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { STAFF_IMPORT_AUDIT } from './staff-import.audit.js';
import { StaffImportUpload } from './staff-import-upload.entity.js';
import { STAFF_IMPORT_UPLOAD_PURGE_SCHEDULE, StaffImportUploadsService } from './staff-import-uploads.service.js';
import { STAFF_IMPORT_PROBLEMS } from './staff-import.problems.js';
import { StaffModule } from './staff.module.js';

/**
 * The staff import's line in src/features.ts: the import itself (API and service) lives in
 * StaffModule; this brings what its pages add, the uploaded files waiting for their confirmation
 * (`staff_import_uploads`), their problems and the schedule that removes them when they expire.
 */
@Feature({
  name: 'staff-import',
  entities: [StaffImportUpload],
  problems: STAFF_IMPORT_PROBLEMS,
  schedules: [STAFF_IMPORT_UPLOAD_PURGE_SCHEDULE],
  auditTrail: STAFF_IMPORT_AUDIT,
})
@Module({ imports: [StaffModule], providers: [StaffImportUploadsService], exports: [StaffImportUploadsService, StaffModule] })
export class StaffImportModule {}
