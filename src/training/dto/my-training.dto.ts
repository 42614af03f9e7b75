import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, registerDecorator } from 'class-validator';
import { COURSE_KINDS, COURSE_STATUSES, type CourseKind, type CourseStatus } from '../course.entity.js';
import type { EnrolmentState } from '../enrolment.entity.js';
import type { QuizAnswers } from '../quiz.js';

const ENROLMENT_STATES: readonly EnrolmentState[] = ['open', 'completed', 'exempt', 'withdrawn'];

/** As many questions and choices as a quiz may have (course.dto.ts), and their ids' length. */
const MAX_QUESTIONS = 100;
const MAX_CHOICES = 10;
const MAX_ID_LENGTH = 40;

/** `{questionId: [choiceId, …]}`: an object of at most 100 questions, each with at most 10 choice ids. */
export function isQuizAnswers(value: unknown): value is QuizAnswers {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_QUESTIONS) return false;
  return entries.every(
    ([question, choices]) =>
      question.length >= 1 &&
      question.length <= MAX_ID_LENGTH &&
      Array.isArray(choices) &&
      choices.length <= MAX_CHOICES &&
      choices.every((choice) => typeof choice === 'string' && choice.length >= 1 && choice.length <= MAX_ID_LENGTH),
  );
}

/** The quiz answers of a request body. */
function IsQuizAnswers(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isQuizAnswers',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `answers must map each question id to an array of choice ids (at most ${MAX_QUESTIONS} questions, ${MAX_CHOICES} choices each, ids of 1–${MAX_ID_LENGTH} characters)`,
      },
      validator: { validate: (value: unknown) => isQuizAnswers(value) },
    });
}

const ANSWERS_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'array', items: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH }, maxItems: MAX_CHOICES },
  maxProperties: MAX_QUESTIONS,
  example: { q1: ['a'], q2: ['a', 'c'] },
} as const;

export class MyTrainingQuery {
  @ApiPropertyOptional({ example: 2026, description: 'only the courses of this fiscal year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;
}

export class QuizAttemptDto {
  @ApiProperty({ ...ANSWERS_SCHEMA, description: 'question id → the ids of the choices picked; every question answered' })
  @IsQuizAnswers()
  answers!: QuizAnswers;
}

export class CompleteEnrolmentDto {
  @ApiProperty({ description: 'the person ticked the acknowledgement statement; must be true (400 ACKNOWLEDGEMENT_REQUIRED otherwise)' })
  @IsOptional()
  @IsBoolean()
  acknowledged?: boolean;

  @ApiPropertyOptional({
    ...ANSWERS_SCHEMA,
    description:
      'the quiz answers, when no attempt passed yet: recorded as an attempt with the completion; answers that fail are an attempt too (counted), answered 409 QUIZ_NOT_PASSED with the score and the attempts left',
  })
  @IsOptional()
  @IsQuizAnswers()
  answers?: QuizAnswers;
}

// ---------------------------------------------------------------- answers

export class MyCourseView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  titleEn!: string | null;

  @ApiProperty({ enum: COURSE_KINDS })
  kind!: CourseKind;

  @ApiProperty({ example: 2026 })
  fiscalYear!: number;

  @ApiProperty({ format: 'date', description: 'the first day it can be completed' })
  opensOn!: string;

  @ApiProperty({ enum: COURSE_STATUSES, description: 'a closed course can no longer be completed' })
  status!: CourseStatus;

  @ApiProperty({ description: 'the course has a quiz to pass' })
  hasQuiz!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'a policy acknowledgement: the approved policy version it asks to acknowledge' })
  policyVersionId!: string | null;
}

export class MyEnrolmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: MyCourseView })
  course!: MyCourseView;

  @ApiProperty({ format: 'date', description: "this person's due day (Asia/Tokyo)" })
  dueOn!: string;

  @ApiProperty({ enum: ENROLMENT_STATES })
  state!: EnrolmentState;

  @ApiProperty({ description: 'open and past its due day (Asia/Tokyo)' })
  overdue!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: Date | null;

  @ApiProperty({ description: 'completed after the due day' })
  late!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'the best quiz score in percent' })
  score!: number | null;

  @ApiProperty({ type: 'integer', description: 'quiz attempts taken' })
  quizAttempts!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'quiz attempts left (null: no quiz, or no limit)' })
  attemptsLeft!: number | null;
}

export class AttachmentRefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '研修資料.pdf' })
  fileName!: string;

  @ApiProperty({ example: 'application/pdf' })
  contentType!: string;

  @ApiProperty({ type: 'integer', description: 'bytes' })
  size!: number;
}

export class QuizChoiceToTakeView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ type: String, nullable: true })
  textEn!: string | null;
}

export class QuizQuestionToTakeView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ type: String, nullable: true })
  textEn!: string | null;

  @ApiProperty({ description: 'several choices are right (pick every one); otherwise exactly one' })
  multiple!: boolean;

  @ApiProperty({ type: [QuizChoiceToTakeView] })
  choices!: QuizChoiceToTakeView[];
}

export class QuizToTakeView {
  @ApiProperty({ type: [QuizQuestionToTakeView], description: 'the questions, without their right answers' })
  questions!: QuizQuestionToTakeView[];

  @ApiProperty({ type: 'integer', description: 'the pass mark in percent' })
  passMark!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'attempts allowed (null: no limit)' })
  maxAttempts!: number | null;
}

export class StatementView {
  @ApiProperty({ type: 'integer' })
  version!: number;

  @ApiProperty()
  text!: string;

  @ApiProperty({ type: String, nullable: true })
  textEn!: string | null;
}

export class QuizAttemptView {
  @ApiProperty({ type: 'integer', description: '1 for the first attempt' })
  attempt!: number;

  @ApiProperty({ type: 'integer', description: 'percent' })
  score!: number;

  @ApiProperty()
  passed!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  at!: Date;
}

export class MyEnrolmentDetailView extends MyEnrolmentView {
  @ApiProperty({ type: String, nullable: true, description: 'the material, Markdown' })
  body!: string | null;

  @ApiProperty({ type: String, nullable: true })
  bodyEn!: string | null;

  @ApiProperty({ type: [AttachmentRefView], description: 'files of the material, at /training/courses/{courseId}/attachments/{id}' })
  attachments!: AttachmentRefView[];

  @ApiProperty({ type: QuizToTakeView, nullable: true })
  quiz!: QuizToTakeView | null;

  @ApiProperty({ type: [QuizAttemptView], description: 'the attempts taken, first first' })
  attempts!: QuizAttemptView[];

  @ApiProperty({ type: StatementView, description: 'the statement to acknowledge (once completed: the version acknowledged)' })
  statement!: StatementView;
}

export class QuizAttemptResultView {
  @ApiProperty({ type: QuizAttemptView, nullable: true, description: 'the attempt recorded; once completed, the best attempt there was (null when none)' })
  attempt!: QuizAttemptView | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'percent' })
  score!: number | null;

  @ApiProperty()
  passed!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: no limit' })
  attemptsLeft!: number | null;

  @ApiProperty({ description: 'false when the course was completed already: nothing new was recorded' })
  recorded!: boolean;
}

export class CertificatePersonView {
  @ApiProperty({ example: '山田 花子' })
  name!: string;

  @ApiProperty()
  employeeNumber!: string;
}

export class CertificateDepartmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  code!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  nameEn!: string | null;
}

export class CertificateCourseView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  titleEn!: string | null;

  @ApiProperty({ enum: COURSE_KINDS })
  kind!: CourseKind;

  @ApiProperty({ example: 2026 })
  fiscalYear!: number;
}

/** 受講証明: the facts of one completion. */
export class CertificateView {
  @ApiProperty({ format: 'uuid', description: 'the certificate number: the enrolment id' })
  certificateNumber!: string;

  @ApiProperty({ example: 'テスト町' })
  organization!: string;

  @ApiProperty({ type: CertificatePersonView })
  person!: CertificatePersonView;

  @ApiProperty({ type: CertificateDepartmentView, nullable: true, description: 'the department the person was in when they completed it' })
  department!: CertificateDepartmentView | null;

  @ApiProperty({ type: CertificateCourseView })
  course!: CertificateCourseView;

  @ApiProperty({ type: String, format: 'date-time' })
  completedAt!: Date;

  @ApiProperty({ description: 'completed after the due day' })
  late!: boolean;

  @ApiProperty({
    type: String,
    enum: ['self', 'attendance', 'migrated'],
    nullable: true,
    description: 'by the person, by recorded attendance, or carried over',
  })
  via!: 'self' | 'attendance' | 'migrated' | null;

  @ApiProperty({ type: StatementView, nullable: true, description: 'the statement signed (none for recorded attendance)' })
  statement!: StatementView | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'the quiz score in percent' })
  score!: number | null;
}
