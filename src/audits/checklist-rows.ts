import { ChecklistItem, type ChecklistResult } from './checklist-item.entity.js';

/** A checklist item as the checklist shows it: with its control's question and hints, its department, its finding and evidence. */
export interface ChecklistRow {
  item: ChecklistItem;
  controlTitle: string;
  controlTitleEn: string | null;
  question: string;
  questionEn: string | null;
  evidenceHints: string | null;
  evidenceHintsEn: string | null;
  essential: boolean;
  departmentName: string;
  answeredByName: string | null;
  findingId: string | null;
  findingReference: string | null;
  evidenceCount: number;
}

export interface ChecklistRowSql {
  id: string;
  organization_id: string;
  audit_id: string;
  control_id: string;
  control_code: string;
  chapter: number;
  department_id: string;
  department_code: string;
  result: ChecklistResult | null;
  note: string | null;
  answered_by_id: string | null;
  answered_at: Date | null;
  created_at: Date;
  updated_at: Date;
  control_title: string;
  control_title_en: string | null;
  audit_question: string | null;
  audit_question_en: string | null;
  evidence_hints: string | null;
  evidence_hints_en: string | null;
  essential: boolean;
  department_name: string;
  answered_by_name: string | null;
  finding_id: string | null;
  finding_reference: string | null;
  evidence_count: number;
}

/**
 * The statement that reads checklist items as the checklist shows them, over `items` (a
 * parenthesised SELECT of audit_checklist_items rows, already filtered and paged), in checklist order.
 */
export function checklistRowsSql(items: string): string {
  return `SELECT i.*, c.title AS control_title, c.title_en AS control_title_en, c.audit_question, c.audit_question_en,
                 c.evidence_hints, c.evidence_hints_en, c.essential, d.name AS department_name,
                 p.family_name || ' ' || p.given_name AS answered_by_name, f.id AS finding_id, f.reference AS finding_reference,
                 (SELECT count(*)::int FROM audit_checklist_evidence e WHERE e.checklist_item_id = i.id) AS evidence_count
            FROM ${items} i
            JOIN controls c ON c.id = i.control_id
            JOIN departments d ON d.id = i.department_id
            LEFT JOIN staff p ON p.id = i.answered_by_id
            LEFT JOIN findings f ON f.checklist_item_id = i.id
           ORDER BY i.control_code, i.department_code`;
}

export function checklistRow(row: ChecklistRowSql): ChecklistRow {
  const item = Object.assign(new ChecklistItem(), {
    id: row.id,
    organizationId: row.organization_id,
    auditId: row.audit_id,
    controlId: row.control_id,
    controlCode: row.control_code,
    chapter: row.chapter,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    result: row.result,
    note: row.note,
    answeredById: row.answered_by_id,
    answeredAt: row.answered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  return {
    item,
    controlTitle: row.control_title,
    controlTitleEn: row.control_title_en,
    question: row.audit_question ?? row.control_title,
    questionEn: row.audit_question_en ?? row.control_title_en,
    evidenceHints: row.evidence_hints,
    evidenceHintsEn: row.evidence_hints_en,
    essential: row.essential,
    departmentName: row.department_name,
    answeredByName: row.answered_by_name,
    findingId: row.finding_id,
    findingReference: row.finding_reference,
    evidenceCount: row.evidence_count,
  };
}
