import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of the import page's stored uploads (the import's own are STAFF_IMPORT_INVALID and the file's). */
export const STAFF_IMPORT_PROBLEMS = {
  STAFF_IMPORT_UPLOAD_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such uploaded file of yours' },
  STAFF_IMPORT_UPLOAD_EXPIRED: { status: HttpStatus.GONE, title: 'The uploaded file has expired; upload it again' },
  STAFF_IMPORT_UPLOAD_USED: { status: HttpStatus.CONFLICT, title: 'The uploaded file has been imported already' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof STAFF_IMPORT_PROBLEMS, ProblemDefinition> {}
}
