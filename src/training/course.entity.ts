import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import type { Role } from '../common/roles.js';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { PolicyVersion } from '../policies/policy-version.entity.js';
import type { EmploymentType } from '../staff/employment.js';

/** What kind of training a course is (研修の種類). */
export const COURSE_KINDS = ['e_learning', 'classroom', 'policy_acknowledgement', 'targeted_mail_drill', 'new_hire'] as const;
export type CourseKind = (typeof COURSE_KINDS)[number];

/** draft (being written) → published (enrolled, open) → closed (no more enrolment or completion). */
export const COURSE_STATUSES = ['draft', 'published', 'closed'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/**
 * Who must take a course (受講対象). `all` takes every active member of staff; otherwise a person is
 * in the audience when they match every criterion given (roles: any of them; departments: any of
 * them; employment types: any of them; new hires: joined on or after the date).
 */
export interface CourseAudience {
  all?: boolean;
  roles?: Role[];
  departmentIds?: string[];
  employmentTypes?: EmploymentType[];
  /** new hires: people who joined on or after this day (YYYY-MM-DD) */
  newHiresSince?: string;
}

/** One question of a course's quiz: its choices and which of them are right (one or more). */
export interface QuizQuestion {
  id: string;
  text: string;
  textEn?: string | null;
  choices: { id: string; text: string; textEn?: string | null }[];
  /** the ids of the right choices; an answer is right when it names exactly these */
  correct: string[];
}

/** A course's quiz: questions, the pass mark in percent, how many attempts a person has (null: no limit). */
export interface Quiz {
  questions: QuizQuestion[];
  passMark: number;
  maxAttempts: number | null;
}

/**
 * When the daily job reminds people of a course (per course; these are the defaults): before the due
 * date and on it, to the person; after it, daily to the person up to `overdueDailyLimit` mails, weekly
 * to their manager, and once to the security office when `securityOfficeAfterDays` have passed.
 */
export interface ReminderSettings {
  daysBefore: number[];
  onDueDate: boolean;
  overdueDailyLimit: number;
  managerWeekly: boolean;
  securityOfficeAfterDays: number | null;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  daysBefore: [7, 1],
  onDueDate: true,
  overdueDailyLimit: 5,
  managerWeekly: true,
  securityOfficeAfterDays: 14,
};

/**
 * A training course of a fiscal year (研修): its content, audience, dates, optional quiz and the
 * acknowledgement statement people sign to complete it. Publishing enrols its audience.
 */
@Entity('courses')
@Index('ix_courses_fiscal_year', ['organizationId', 'fiscalYear', 'status'])
@Index('uq_courses_policy_version', ['policyVersionId'], { unique: true, where: 'policy_version_id IS NOT NULL' })
@Check('ck_courses_kind', `kind IN ('e_learning', 'classroom', 'policy_acknowledgement', 'targeted_mail_drill', 'new_hire')`)
@Check('ck_courses_status', `status IN ('draft', 'published', 'closed')`)
@Check('ck_courses_dates', `opens_on <= due_on`)
export class Course extends OrganizationScopedEntity {
  @Column({ type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'varchar', length: 32 })
  kind!: CourseKind;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  titleEn!: string | null;

  /** the course's material in Markdown */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'text', nullable: true })
  bodyEn!: string | null;

  @Column({ type: 'jsonb', default: () => `'{"all": true}'` })
  audience!: CourseAudience;

  @Column({ type: 'date' })
  opensOn!: string;

  @Column({ type: 'date' })
  dueOn!: string;

  @Column({ type: 'jsonb', nullable: true })
  quiz!: Quiz | null;

  /** the statement people tick to complete (誓約文); its versions are in course_statements */
  @Column({ type: 'text' })
  statement!: string;

  @Column({ type: 'text', nullable: true })
  statementEn!: string | null;

  @Column({ type: 'int', default: 1 })
  statementVersion!: number;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: CourseStatus;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  publishedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  // written as PostgreSQL prints jsonb (keys by length), so the schema check sees no change
  @Column({
    type: 'jsonb',
    default: () => `'{"onDueDate": true, "daysBefore": [7, 1], "managerWeekly": true, "overdueDailyLimit": 5, "securityOfficeAfterDays": 14}'`,
  })
  reminders!: ReminderSettings;

  /** the course this one was repeated from (a template carried into a new fiscal year) */
  @Column({ type: 'uuid', nullable: true })
  templateId!: string | null;

  @ManyToOne(() => Course, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'template_id' })
  template?: Relation<Course>;

  /** for a targeted-mail drill: the course people who clicked without reporting are enrolled in */
  @Column({ type: 'uuid', nullable: true })
  followUpCourseId!: string | null;

  @ManyToOne(() => Course, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'follow_up_course_id' })
  followUpCourse?: Relation<Course>;

  /** for a policy acknowledgement: the approved policy version it asks people to acknowledge */
  @Column({ type: 'uuid', nullable: true })
  policyVersionId!: string | null;

  @ManyToOne(() => PolicyVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_version_id' })
  policyVersion?: Relation<PolicyVersion>;

  @Column({ type: 'uuid', nullable: true })
  createdById!: string | null;
}
