import { In, type EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';
import { StaffImportUpload } from './staff-import-upload.entity.js';

/** An uploaded HR file by its name: 「staff-2026.csv」. */
async function uploadNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const uploads = await manager.getRepository(StaffImportUpload).find({ where: { organizationId, id: In([...ids]) }, select: { id: true, fileName: true } });
  return new Map(uploads.map((upload) => [upload.id, { name: upload.fileName }]));
}

/** The audit trail of the HR files uploaded for import, in words. */
export const STAFF_IMPORT_AUDIT = {
  actions: {
    'staff_import_upload.create': { ja: '職員の取り込みファイルをアップロード', en: 'Uploaded a staff import file' },
    'staff_import_upload.use': { ja: '職員の取り込みファイルを取り込み', en: 'Imported an uploaded staff file' },
    'staff_import_upload.purge': { ja: '期限切れの取り込みファイルを削除', en: 'Removed expired staff import files' },
  },
  entityTypes: {
    staff_import_upload: { ja: '職員の取り込みファイル', en: 'Staff import file', records: uploadNames },
  },
} as const satisfies AuditTrailVocabulary;
