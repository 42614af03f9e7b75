import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** An item's result (DESIGN.md §6); `not_applicable` needs a reason (the note). */
export const CHECKLIST_RESULTS = ['conformant', 'observation', 'minor_nonconformity', 'major_nonconformity', 'not_applicable'] as const;
export type ChecklistResult = (typeof CHECKLIST_RESULTS)[number];

/** The results that raise a finding by themselves (one per item, however often it is answered). */
export const NONCONFORMITIES: readonly ChecklistResult[] = ['minor_nonconformity', 'major_nonconformity'];

/**
 * One control checked in one department during an audit (監査項目・点検項目). Generated when the audit
 * starts, in one statement; the control's code and chapter are copied so the checklist sorts and
 * the report groups without a join. Answering sets the result, note, who and when.
 */
@Entity('audit_checklist_items')
@Index('uq_audit_checklist_items', ['auditId', 'controlId', 'departmentId'], { unique: true })
@Index('ix_audit_checklist_items_order', ['auditId', 'controlCode', 'departmentCode'])
@Index('ix_audit_checklist_items_department', ['auditId', 'departmentId', 'controlCode'])
@Check(
  'ck_audit_checklist_items_result',
  `"result" IS NULL OR "result" IN ('conformant', 'observation', 'minor_nonconformity', 'major_nonconformity', 'not_applicable')`,
)
export class ChecklistItem extends OrganizationScopedEntity {
  @Column('uuid')
  auditId!: string;

  @Column('uuid')
  controlId!: string;

  @Column({ type: 'varchar', length: 16 })
  controlCode!: string;

  @Column({ type: 'smallint' })
  chapter!: number;

  @Column('uuid')
  departmentId!: string;

  /** the department's code when the checklist was made (the checklist sorts by it) */
  @Column({ type: 'varchar', length: 32 })
  departmentCode!: string;

  @Column({ type: 'varchar', length: 24, nullable: true })
  result!: ChecklistResult | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'uuid', nullable: true })
  answeredById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;
}
