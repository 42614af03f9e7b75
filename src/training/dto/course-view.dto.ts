import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COURSE_KINDS, COURSE_STATUSES, type CourseAudience, type CourseKind, type CourseStatus, type Quiz, type ReminderSettings } from '../course.entity.js';
import type { CourseSummary } from '../courses.service.js';
import { CourseAudienceDto, QuizDto, ReminderSettingsDto } from './course.dto.js';

export class CourseView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ enum: COURSE_KINDS })
  kind!: CourseKind;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  titleEn!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Markdown' })
  body!: string | null;

  @ApiProperty({ type: String, nullable: true })
  bodyEn!: string | null;

  @ApiProperty({ type: CourseAudienceDto })
  audience!: CourseAudience;

  @ApiProperty({ format: 'date' })
  opensOn!: string;

  @ApiProperty({ format: 'date' })
  dueDate!: string;

  @ApiPropertyOptional({ type: QuizDto, nullable: true, description: 'the right answers only for the security office' })
  quiz!: Quiz | null;

  @ApiProperty()
  statement!: string;

  @ApiProperty({ type: String, nullable: true })
  statementEn!: string | null;

  @ApiProperty()
  statementVersion!: number;

  @ApiProperty({ enum: COURSE_STATUSES })
  status!: CourseStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: Date | null;

  @ApiProperty({ type: ReminderSettingsDto })
  reminders!: ReminderSettings;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the course this one repeats' })
  templateId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  followUpCourseId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'a policy acknowledgement: the version acknowledged' })
  policyVersionId!: string | null;

  @ApiProperty({ description: 'people enrolled (withdrawn ones left out unless they completed)' })
  enrolled!: number;

  @ApiProperty()
  completed!: number;

  @ApiProperty()
  exempt!: number;
}

export class PublishResultView {
  @ApiProperty({ type: CourseView })
  course!: CourseView;

  @ApiProperty({ description: 'how many people the publication enrolled' })
  enrolled!: number;
}

/** The API's shape of a course; the quiz's right answers only for those who manage courses. */
export function courseView(summary: CourseSummary, withAnswers: boolean): CourseView {
  const c = summary.course;
  return {
    id: c.id,
    fiscalYear: c.fiscalYear,
    kind: c.kind,
    title: c.title,
    titleEn: c.titleEn,
    body: c.body,
    bodyEn: c.bodyEn,
    audience: c.audience,
    opensOn: c.opensOn,
    dueDate: c.dueOn,
    quiz:
      c.quiz && !withAnswers ? { ...c.quiz, questions: c.quiz.questions.map(({ correct: _correct, ...question }) => ({ ...question, correct: [] })) } : c.quiz,
    statement: c.statement,
    statementEn: c.statementEn,
    statementVersion: c.statementVersion,
    status: c.status,
    publishedAt: c.publishedAt,
    closedAt: c.closedAt,
    reminders: c.reminders,
    templateId: c.templateId,
    followUpCourseId: c.followUpCourseId,
    policyVersionId: c.policyVersionId,
    enrolled: summary.enrolled,
    completed: summary.completed,
    exempt: summary.exempt,
  };
}

/** For symmetry with ReminderSettingsDto in OpenAPI. */
export type { ReminderSettingsDto };
