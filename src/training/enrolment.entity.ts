import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Department } from '../staff/department.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Course } from './course.entity.js';

/** How a person came to owe a course. */
export const ENROLMENT_SOURCES = ['publish', 'joined', 'returned', 'moved', 'manual', 'follow_up', 'migrated'] as const;
export type EnrolmentSource = (typeof ENROLMENT_SOURCES)[number];

/** Why someone is exempt (long leave, secondment, other: the reason says). */
export const EXEMPTION_KINDS = ['long_leave', 'secondment', 'other'] as const;
export type ExemptionKind = (typeof EXEMPTION_KINDS)[number];

/** open (owed) · completed · exempt (out of the denominator, listed) · withdrawn (left the organisation). */
export type EnrolmentState = 'open' | 'completed' | 'exempt' | 'withdrawn';

/**
 * One person's duty to complete one course (受講). It is credited to a department: the person's
 * while it is open (it moves with them on a transfer, so the new manager chases it), and the one
 * they were in when they completed it, which it keeps. Figures read the times, so they can be taken
 * as of any date: enrolled at `enrolledAt`, completed at `completedAt`, exempt from `exemptAt`,
 * withdrawn at `withdrawnAt`.
 */
@Entity('enrolments')
@Index('uq_enrolments_course_staff', ['courseId', 'staffId'], { unique: true })
@Index('ix_enrolments_staff_open', ['organizationId', 'staffId'], { where: 'completed_at IS NULL AND exempt_at IS NULL AND withdrawn_at IS NULL' })
/** the completion figures read this index alone (made in the migrations: INCLUDE is not TypeORM's) */
@Index('ix_enrolments_figures', { synchronize: false })
/** the enrolments of a year still open at a moment (none of completed, exempt, withdrawn before it): the indicator's list of the people not trained (made in the migrations: an expression) */
@Index('ix_enrolments_open_until', { synchronize: false })
@Check('ck_enrolments_exemption', `(exempt_at IS NULL) = (exemption_reason IS NULL)`)
export class Enrolment extends OrganizationScopedEntity {
  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<Course>;

  /** the course's fiscal year, kept here so the figures of a year read one index */
  @Column({ type: 'int' })
  fiscalYear!: number;

  @Index()
  @Column('uuid')
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  @Column({ type: 'uuid', nullable: true })
  departmentId!: string | null;

  @ManyToOne(() => Department, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  @Column({ type: 'varchar', length: 16 })
  source!: EnrolmentSource;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  enrolledAt!: Date;

  /** this person's due day (the course's, or later for someone who joined after it) */
  @Column({ type: 'date' })
  dueOn!: string;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** completed after the due day (Asia/Tokyo): complete, and late */
  @Column({ type: 'boolean', default: false })
  completedLate!: boolean;

  /** how it was completed: by the person (`self`), by recorded attendance, or carried over */
  @Column({ type: 'varchar', length: 16, nullable: true })
  completedVia!: 'self' | 'attendance' | 'migrated' | null;

  /** who recorded it (the person themselves, or whoever recorded attendance) */
  @Column({ type: 'uuid', nullable: true })
  completedById!: string | null;

  /** the version of the statement acknowledged */
  @Column({ type: 'int', nullable: true })
  statementVersion!: number | null;

  @Column({ type: 'inet', nullable: true })
  clientAddress!: string | null;

  /** the best quiz score in percent, when the course has a quiz */
  @Column({ type: 'int', nullable: true })
  score!: number | null;

  @Column({ type: 'int', default: 0 })
  quizAttempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  exemptAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  exemptionKind!: ExemptionKind | null;

  @Column({ type: 'text', nullable: true })
  exemptionReason!: string | null;

  @Column({ type: 'uuid', nullable: true })
  exemptedById!: string | null;

  /** the person left the organisation (retired) while it was open: out of every figure from then */
  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;
}

/** An enrolment's state now. */
export function enrolmentState(e: Pick<Enrolment, 'completedAt' | 'exemptAt' | 'withdrawnAt'>): EnrolmentState {
  if (e.completedAt) return 'completed';
  if (e.exemptAt) return 'exempt';
  if (e.withdrawnAt) return 'withdrawn';
  return 'open';
}
