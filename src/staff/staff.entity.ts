import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import type { Role } from '../common/roles.js';
import { Department } from './department.entity.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from './employment.js';

export const EMPLOYMENT_STATUSES = ['active', 'on_leave', 'retired'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

/** 職員: a person working for the organisation; may sign in. */
@Entity('staff')
@Index('uq_staff_employee_number', ['organizationId', 'employeeNumber'], { unique: true })
@Index('uq_staff_email', ['email'], { unique: true })
@Check('ck_staff_status', `"status" IN ('active', 'on_leave', 'retired')`)
@Check('ck_staff_employment_type', `"employment_type" IN (${EMPLOYMENT_TYPES.map((type) => `'${type}'`).join(', ')})`)
/** the name search's trigram index (pg_trgm, GIN) over `search_key`, made by its migration */
@Index('ix_staff_search_key', { synchronize: false })
export class Staff extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 32 })
  employeeNumber!: string;

  @Column({ type: 'varchar', length: 100 })
  familyName!: string;

  @Column({ type: 'varchar', length: 100 })
  givenName!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  familyNameKana!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  givenNameKana!: string | null;

  /** stored lower-case; unique across the deployment because it is the sign-in name */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  departmentId!: string | null;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department> | null;

  @Column({ type: 'text', array: true, default: () => "'{staff}'" })
  roles!: Role[];

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: EmploymentStatus;

  /** 雇用形態 (employment.ts) */
  @Column({ type: 'varchar', length: 32, default: 'regular' })
  employmentType!: EmploymentType;

  @Column({ type: 'date', nullable: true })
  joinedOn!: string | null;

  @Column({ type: 'date', nullable: true })
  leftOn!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'ja' })
  locale!: 'ja' | 'en';

  /** argon2id; null = cannot sign in yet */
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  /** TOTP secret, encrypted with the deployment's key */
  @Column({ type: 'text', nullable: true, select: false })
  totpSecret!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  totpConfirmedAt!: Date | null;

  /** a replacement TOTP secret being enrolled; the confirmed one stays in force until it is confirmed */
  @Column({ type: 'text', nullable: true, select: false })
  totpPendingSecret!: string | null;

  /** last accepted TOTP time step: a code is never accepted twice */
  @Column({ type: 'bigint', nullable: true, select: false })
  totpLastStep!: string | null;

  @Column({ type: 'int', default: 0 })
  failedLoginCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  /**
   * What the name search looks through: name, kana, e-mail address and employee number folded by
   * `staff_search_text()` (hiragana as katakana, no spaces, NFKC, lower case). Set by the database
   * (trigger staff_search_key, migration SearchStaffNamesAcrossKanaScriptsAndSpaces), never read or
   * written by the app.
   */
  @Column({ type: 'text', select: false, insert: false, update: false })
  searchKey?: string;
}
