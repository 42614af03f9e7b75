import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of audits, their checklists and reports. */
export const AUDIT_PROBLEMS = {
  AUDIT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such audit (or not one you may see)' },
  CHECKLIST_ITEM_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such checklist item in this audit (or not one you may see)' },
  AUDIT_LINK_INVALID: {
    status: HttpStatus.BAD_REQUEST,
    title:
      'A department, control or auditor named is not one of this organisation (an auditor must be active and hold the auditor or security officer role); the fields say which',
  },
  AUDIT_OWN_DEPARTMENT: {
    status: HttpStatus.BAD_REQUEST,
    title: 'An auditor may not audit their own department; the fields name the auditor and the department',
  },
  AUDIT_SCOPE_EMPTY: { status: HttpStatus.BAD_REQUEST, title: 'The scope holds no control that is in force; widen the chapters or name controls' },
  AUDIT_TRANSITION_NOT_ALLOWED: { status: HttpStatus.CONFLICT, title: 'The audit cannot do that from its status; allowedTransitions names what it can' },
  AUDIT_ITEMS_OPEN: { status: HttpStatus.CONFLICT, title: 'Some checklist items are not answered yet; openItems says how many' },
  AUDIT_NOT_IN_PROGRESS: { status: HttpStatus.CONFLICT, title: 'The audit is not in progress: items are answered only between its start and its report' },
  CHECKLIST_NOTE_REQUIRED: { status: HttpStatus.BAD_REQUEST, title: 'A result other than conformant needs a note (for not applicable: the reason)' },
  CHECKLIST_ITEM_HAS_FINDING: {
    status: HttpStatus.CONFLICT,
    title: 'This item raised a finding; it can change to the other non-conformity, not away from one (follow the finding instead)',
  },
  AUDIT_SIGN_OFF_ITEMS_OPEN: { status: HttpStatus.CONFLICT, title: 'The department still has unanswered items; openItems says how many' },
  CHECKLIST_EVIDENCE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such evidence file of this checklist item' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof AUDIT_PROBLEMS, ProblemDefinition> {}
}
