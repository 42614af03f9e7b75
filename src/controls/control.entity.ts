import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Department } from '../staff/department.entity.js';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

export const CONTROL_STATUSES = ['not_implemented', 'partial', 'implemented', 'not_applicable'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];
export const CONTROL_FREQUENCIES = ['monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export const FRAMEWORKS = ['iso27001', 'nistCsf'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface ControlMappings {
  iso27001: string[];
  nistCsf: string[];
}

/** A control of the catalogue (`policies/controls.yaml`), keyed by its code, e.g. `5-02`. */
@Entity('controls')
@Index('uq_controls_code', ['organizationId', 'code'], { unique: true })
export class Control extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 16 })
  code!: string;

  /** the guideline's standards chapter, 1–9 */
  @Column({ type: 'smallint' })
  chapter!: number;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  titleEn!: string | null;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text', nullable: true })
  descriptionEn!: string | null;

  /** what an auditor asks to check it (監査項目の問い); the title when the catalogue gives none */
  @Column({ type: 'text', nullable: true })
  auditQuestion!: string | null;

  @Column({ type: 'text', nullable: true })
  auditQuestionEn!: string | null;

  /** what shows it is in place (証跡の例), one per line */
  @Column({ type: 'text', nullable: true })
  evidenceHints!: string | null;

  @Column({ type: 'text', nullable: true })
  evidenceHintsEn!: string | null;

  @Column({ type: 'varchar', length: 32 })
  ownerRole!: string;

  @Column({ type: 'varchar', length: 16 })
  frequency!: string;

  @Column({ type: 'boolean', default: false })
  essential!: boolean;

  @Column({ type: 'boolean', default: true })
  verified!: boolean;

  @Column({ type: 'jsonb' })
  mappings!: ControlMappings;

  /** implementation status, recorded in the application; never overwritten by the sync */
  @Column({ type: 'varchar', length: 32, default: 'not_implemented' })
  status!: ControlStatus;

  /** why the status is what it is (required for not_applicable) */
  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  statusChangedById!: string | null;

  /** when the control was last checked (a status change counts as a check) */
  @Column({ type: 'timestamptz', nullable: true })
  lastCheckedAt!: Date | null;

  /** next check, from the frequency (or set by hand) */
  @Index()
  @Column({ type: 'date', nullable: true })
  nextCheckDue!: string | null;

  /** the department answerable for the control, set in the application */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  ownerDepartmentId!: string | null;

  @ManyToOne(() => Department, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'owner_department_id' })
  ownerDepartment?: Relation<Department> | null;

  /** set when the control disappeared from the catalogue file; controls are never deleted */
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  /** sha256 (hex) of the catalogue fields, to detect changes */
  @Column({ type: 'char', length: 64 })
  contentHash!: string;
}
