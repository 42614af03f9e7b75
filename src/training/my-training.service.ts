import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import type { List } from '../common/pagination.js';
import { assertMay, may } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { CourseAttachment } from './course-attachment.entity.js';
import { CourseStatement } from './course-statement.entity.js';
import { Course, type Quiz } from './course.entity.js';
import type {
  CertificateView,
  CompleteEnrolmentDto,
  MyEnrolmentDetailView,
  MyEnrolmentView,
  MyTrainingQuery,
  QuizAttemptResultView,
  QuizAttemptView,
  StatementView,
} from './dto/my-training.dto.js';
import { EnrolmentCompletion } from './enrolment-completion.js';
import { Enrolment, enrolmentState } from './enrolment.entity.js';
import { QuizAttempt } from './quiz-attempt.entity.js';
import { answerErrors, attemptsLeft, quizToTake, scoreQuiz, type QuizAnswers, type QuizScore } from './quiz.js';
import { TRAINING } from './training.permissions.js';

/** What of a course the list of one's enrolments shows (its material and statement are read on its own page). */
const COURSE_SUMMARY = {
  id: true,
  title: true,
  titleEn: true,
  kind: true,
  fiscalYear: true,
  opensOn: true,
  status: true,
  quiz: true,
  policyVersionId: true,
} as const;

type CourseSummary = Pick<Course, keyof typeof COURSE_SUMMARY>;

/** A quiz with questions to answer (a course without one completes with the acknowledgement alone). */
const quizOf = (course: Pick<Course, 'quiz'>): Quiz | null => (course.quiz && course.quiz.questions.length > 0 ? course.quiz : null);

const attemptView = (attempt: QuizAttempt): QuizAttemptView => ({
  attempt: attempt.attempt,
  score: attempt.score,
  passed: attempt.passed,
  at: attempt.createdAt,
});

/** One's enrolment as the lists show it. */
export function myEnrolmentView(enrolment: Enrolment, course: CourseSummary, today: string): MyEnrolmentView {
  const state = enrolmentState(enrolment);
  const quiz = quizOf(course);
  return {
    id: enrolment.id,
    course: {
      id: course.id,
      title: course.title,
      titleEn: course.titleEn,
      kind: course.kind,
      fiscalYear: course.fiscalYear,
      opensOn: course.opensOn,
      status: course.status,
      hasQuiz: quiz !== null,
      policyVersionId: course.policyVersionId,
    },
    dueOn: enrolment.dueOn,
    state,
    overdue: state === 'open' && enrolment.dueOn < today,
    completedAt: enrolment.completedAt,
    late: enrolment.completedAt !== null && enrolment.completedLate,
    score: enrolment.score,
    quizAttempts: enrolment.quizAttempts,
    attemptsLeft: attemptsLeft(quiz, enrolment.quizAttempts),
  };
}

/** Open enrolments of courses still running first, soonest due; then the rest, newest first. */
function byWhatIsOwed(a: MyEnrolmentView, b: MyEnrolmentView): number {
  const owed = (e: MyEnrolmentView): boolean => e.state === 'open' && e.course.status === 'published';
  if (owed(a) !== owed(b)) return owed(a) ? -1 : 1;
  if (owed(a)) return a.dueOn.localeCompare(b.dueOn) || a.course.title.localeCompare(b.course.title, 'ja');
  return (
    b.course.fiscalYear - a.course.fiscalYear ||
    (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0) ||
    a.course.title.localeCompare(b.course.title, 'ja')
  );
}

/**
 * わたしの研修: a member of staff taking their own training — what they owe, the material, the quiz,
 * the acknowledgement that completes it (through EnrolmentCompletion, the one way), and the
 * certificate of a completion. Only one's own enrolments: anyone else's is 404 ENROLMENT_NOT_FOUND,
 * as if it did not exist (TRAINING.take's rule on `staffId`).
 */
@Injectable()
export class MyTrainingService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly completion: EnrolmentCompletion,
  ) {}

  /** The caller's enrolments: open ones first, soonest due; then completed, exempt and withdrawn ones. */
  async list(actor: Actor, query: MyTrainingQuery = {}): Promise<List<MyEnrolmentView>> {
    assertMay(actor, TRAINING.take);
    if (!actor.staffId) return { items: [], total: 0 };
    const enrolments = await this.uow.manager.getRepository(Enrolment).find({
      where: { organizationId: actor.organizationId, staffId: actor.staffId, ...(query.fiscalYear !== undefined ? { fiscalYear: query.fiscalYear } : {}) },
      relations: { course: true },
      select: {
        id: true,
        staffId: true,
        dueOn: true,
        completedAt: true,
        completedLate: true,
        exemptAt: true,
        withdrawnAt: true,
        score: true,
        quizAttempts: true,
        course: COURSE_SUMMARY,
      },
    });
    const today = tokyoToday();
    const items = enrolments.map((enrolment) => myEnrolmentView(enrolment, enrolment.course!, today)).sort(byWhatIsOwed);
    return { items, total: items.length };
  }

  /** One's enrolment with the course's material, its attachments, the quiz without its answers, and the statement to acknowledge. */
  async detail(actor: Actor, id: string): Promise<MyEnrolmentDetailView> {
    assertMay(actor, TRAINING.take);
    const manager = this.uow.manager;
    const enrolment = await this.own(manager, actor, id);
    const course = await this.courseOf(manager, enrolment);
    const [attachments, attempts, statement] = await Promise.all([
      manager.getRepository(CourseAttachment).find({
        where: { organizationId: actor.organizationId, courseId: course.id },
        select: { id: true, fileName: true, contentType: true, size: true },
        order: { fileName: 'ASC', id: 'ASC' },
      }),
      manager.getRepository(QuizAttempt).find({ where: { organizationId: actor.organizationId, enrolmentId: enrolment.id }, order: { attempt: 'ASC' } }),
      this.statementOf(manager, enrolment, course),
    ]);
    const quiz = quizOf(course);
    return {
      ...myEnrolmentView(enrolment, course, tokyoToday()),
      body: course.body,
      bodyEn: course.bodyEn,
      attachments: attachments.map(({ id: attachmentId, fileName, contentType, size }) => ({ id: attachmentId, fileName, contentType, size })),
      quiz: quiz ? quizToTake(quiz) : null,
      attempts: attempts.map(attemptView),
      statement,
    };
  }

  /**
   * Records an attempt at the course's quiz: scored in percent against the pass mark, counted, the
   * best score kept on the enrolment. The right answers are not revealed. Refused: answers that do
   * not fit the quiz (400 QUIZ_ANSWERS_INVALID naming `answers.<questionId>`), no attempts left
   * (409). Once the course is completed nothing new is recorded: the answer is the best attempt.
   */
  async attempt(actor: Actor, id: string, answers: QuizAnswers): Promise<QuizAttemptResultView> {
    assertMay(actor, TRAINING.take);
    return this.uow.run(actor, async (tx) => {
      const enrolment = await this.own(tx.manager, actor, id, true);
      const course = await this.courseOf(tx.manager, enrolment);
      const quiz = quizOf(course);
      if (!quiz) throw new AppException('COURSE_HAS_NO_QUIZ');
      if (enrolment.completedAt) {
        const best = await tx.manager.getRepository(QuizAttempt).findOne({
          where: { organizationId: actor.organizationId, enrolmentId: enrolment.id },
          order: { passed: 'DESC', score: 'DESC', attempt: 'ASC' },
        });
        return {
          attempt: best ? attemptView(best) : null,
          score: enrolment.score,
          passed: true,
          attemptsLeft: attemptsLeft(quiz, enrolment.quizAttempts),
          recorded: false,
        };
      }
      this.assertCompletable(enrolment, course);
      this.assertAttemptsLeft(quiz, enrolment);
      const result = this.scored(quiz, answers);
      const attempt = await this.recordAttempt(tx, enrolment, answers, result);
      return { attempt: attemptView(attempt), score: result.score, passed: result.passed, attemptsLeft: attemptsLeft(quiz, attempt.attempt), recorded: true };
    });
  }

  /**
   * Completes one's enrolment: the acknowledgement ticked (400 ACKNOWLEDGEMENT_REQUIRED), and, for a
   * course with a quiz, a passed attempt — or `answers` given here, recorded as an attempt like the
   * quiz-attempts route records one. Answers that fail are an attempt too (it counts against the
   * attempts allowed, so the quiz cannot be guessed here for free): the attempt is committed and the
   * completion refused with 409 QUIZ_NOT_PASSED carrying the score and the attempts left. Not before
   * the course opens, not once exempt or withdrawn, not in a closed course.
   * Completing twice is harmless: the first completion is answered again (one record, one audit row,
   * one confirmation mail).
   */
  async complete(actor: Actor, id: string, dto: CompleteEnrolmentDto): Promise<MyEnrolmentView> {
    assertMay(actor, TRAINING.take);
    if (dto.acknowledged !== true) {
      throw new AppException('ACKNOWLEDGEMENT_REQUIRED', undefined, [{ field: 'acknowledged', messages: ['tick the acknowledgement statement'] }]);
    }
    const outcome = await this.uow.run(actor, async (tx): Promise<MyEnrolmentView | { failed: { score: number; attemptsLeft: number | null } }> => {
      const enrolment = await this.own(tx.manager, actor, id, true);
      const course = await this.courseOf(tx.manager, enrolment);
      if (!enrolment.completedAt) {
        this.assertCompletable(enrolment, course);
        let score = enrolment.score;
        const quiz = quizOf(course);
        if (quiz && !(await this.passedBefore(tx.manager, enrolment))) {
          if (!dto.answers) throw new AppException('QUIZ_NOT_PASSED', 'Pass the quiz first (POST …/quiz-attempts), or send answers that pass');
          this.assertAttemptsLeft(quiz, enrolment);
          const result = this.scored(quiz, dto.answers);
          const attempt = await this.recordAttempt(tx, enrolment, dto.answers, result);
          if (!result.passed) return { failed: { score: result.score, attemptsLeft: attemptsLeft(quiz, attempt.attempt) } };
          score = Math.max(score ?? 0, result.score);
        }
        await this.completion.record(tx, course.id, [
          { enrolmentId: enrolment.id, via: 'self', statementVersion: course.statementVersion, score, clientAddress: actor.clientAddress },
        ]);
      }
      const now = await tx.manager.getRepository(Enrolment).findOneByOrFail({ id: enrolment.id, organizationId: actor.organizationId });
      return myEnrolmentView(now, course, tokyoToday());
    });
    if ('failed' in outcome) {
      throw new AppException(
        'QUIZ_NOT_PASSED',
        `The answers scored ${outcome.failed.score}%, below the pass mark; the attempt was recorded`,
        [{ field: 'answers', messages: ['the answers do not reach the pass mark'] }],
        outcome.failed,
      );
    }
    return outcome;
  }

  /** 受講証明: the facts of one's completion (409 ENROLMENT_NOT_COMPLETED before it). */
  async certificate(actor: Actor, id: string): Promise<CertificateView> {
    assertMay(actor, TRAINING.take);
    const manager = this.uow.manager;
    const enrolment = await this.own(manager, actor, id);
    if (!enrolment.completedAt) throw new AppException('ENROLMENT_NOT_COMPLETED');
    const [row] = (await manager.query(
      `SELECT e.completed_at, e.completed_late, e.completed_via, e.score, o.name AS organization,
              s.family_name, s.given_name, s.employee_number,
              d.id AS department_id, d.code AS department_code, d.name AS department_name, d.name_en AS department_name_en,
              c.id AS course_id, c.title, c.title_en, c.kind, c.fiscal_year,
              cs.version AS statement_version, cs.text AS statement_text, cs.text_en AS statement_text_en
         FROM enrolments e
         JOIN staff s ON s.id = e.staff_id
         JOIN courses c ON c.id = e.course_id
         JOIN organizations o ON o.id = e.organization_id
         LEFT JOIN departments d ON d.id = e.department_id
         LEFT JOIN course_statements cs ON cs.course_id = e.course_id AND cs.version = e.statement_version
        WHERE e.id = $1 AND e.organization_id = $2`,
      [enrolment.id, actor.organizationId],
    )) as CertificateRow[];
    const r = row!;
    return {
      certificateNumber: enrolment.id,
      organization: r.organization,
      person: { name: `${r.family_name} ${r.given_name}`, employeeNumber: r.employee_number },
      department: r.department_id ? { id: r.department_id, code: r.department_code!, name: r.department_name!, nameEn: r.department_name_en } : null,
      course: { id: r.course_id, title: r.title, titleEn: r.title_en, kind: r.kind, fiscalYear: r.fiscal_year },
      completedAt: r.completed_at,
      late: r.completed_late,
      via: r.completed_via,
      statement: r.statement_version !== null ? { version: r.statement_version, text: r.statement_text!, textEn: r.statement_text_en } : null,
      score: r.score,
    };
  }

  /** The caller's enrolment (locked for a change), or 404 — also for someone else's, which the caller is not told exists. */
  private async own(manager: EntityManager, actor: Actor, id: string, lock = false): Promise<Enrolment> {
    const enrolment = await manager.getRepository(Enrolment).findOne({
      where: { id, organizationId: actor.organizationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!enrolment || !may(actor, TRAINING.take, enrolment)) throw new AppException('ENROLMENT_NOT_FOUND');
    return enrolment;
  }

  private async courseOf(manager: EntityManager, enrolment: Enrolment): Promise<Course> {
    return manager.getRepository(Course).findOneByOrFail({ id: enrolment.courseId, organizationId: enrolment.organizationId });
  }

  /** The statement to acknowledge now, or the version that was acknowledged. */
  private async statementOf(manager: EntityManager, enrolment: Enrolment, course: Course): Promise<StatementView> {
    if (enrolment.statementVersion !== null && enrolment.statementVersion !== course.statementVersion) {
      const signed = await manager
        .getRepository(CourseStatement)
        .findOneBy({ organizationId: enrolment.organizationId, courseId: course.id, version: enrolment.statementVersion });
      if (signed) return { version: signed.version, text: signed.text, textEn: signed.textEn };
    }
    return { version: course.statementVersion, text: course.statement, textEn: course.statementEn };
  }

  /** Whether the enrolment can be worked on now: open, its course running and opened. */
  private assertCompletable(enrolment: Enrolment, course: Course): void {
    if (enrolment.exemptAt || enrolment.withdrawnAt) throw new AppException('ENROLMENT_NOT_OPEN');
    if (course.status !== 'published') throw new AppException('COURSE_NOT_PUBLISHED', 'The course is closed: it can no longer be completed');
    if (tokyoToday() < course.opensOn)
      throw new AppException('ENROLMENT_NOT_YET_OPEN', `The course opens on ${course.opensOn}`, undefined, { opensOn: course.opensOn });
  }

  private assertAttemptsLeft(quiz: Quiz, enrolment: Enrolment): void {
    if (attemptsLeft(quiz, enrolment.quizAttempts) === 0) {
      throw new AppException('QUIZ_NO_ATTEMPTS_LEFT', `All ${quiz.maxAttempts} attempts are taken`, undefined, { maxAttempts: quiz.maxAttempts });
    }
  }

  private scored(quiz: Quiz, answers: QuizAnswers): QuizScore {
    const errors = answerErrors(quiz, answers);
    if (errors.length) throw new AppException('QUIZ_ANSWERS_INVALID', undefined, errors);
    return scoreQuiz(quiz, answers);
  }

  private async passedBefore(manager: EntityManager, enrolment: Enrolment): Promise<boolean> {
    return manager.getRepository(QuizAttempt).existsBy({ organizationId: enrolment.organizationId, enrolmentId: enrolment.id, passed: true });
  }

  /** One attempt: its row, the count and best score on the (locked) enrolment, one audit row. */
  private async recordAttempt(tx: Transaction, enrolment: Enrolment, answers: QuizAnswers, result: QuizScore): Promise<QuizAttempt> {
    const number = enrolment.quizAttempts + 1;
    const attempt = await tx.manager.getRepository(QuizAttempt).save(
      tx.manager.getRepository(QuizAttempt).create({
        organizationId: enrolment.organizationId,
        enrolmentId: enrolment.id,
        attempt: number,
        answers,
        score: result.score,
        passed: result.passed,
      }),
    );
    const best = Math.max(enrolment.score ?? 0, result.score);
    await tx.manager.getRepository(Enrolment).update({ id: enrolment.id, organizationId: enrolment.organizationId }, { quizAttempts: number, score: best });
    enrolment.quizAttempts = number;
    enrolment.score = best;
    tx.audit({
      action: 'enrolment.quiz_attempt',
      entityType: 'enrolment',
      entityId: enrolment.id,
      after: { attempt: number, score: result.score, passed: result.passed, bestScore: best },
      context: { courseId: enrolment.courseId },
    });
    return attempt;
  }
}

interface CertificateRow {
  completed_at: Date;
  completed_late: boolean;
  completed_via: 'self' | 'attendance' | 'migrated' | null;
  score: number | null;
  organization: string;
  family_name: string;
  given_name: string;
  employee_number: string;
  department_id: string | null;
  department_code: string | null;
  department_name: string | null;
  department_name_en: string | null;
  course_id: string;
  title: string;
  title_en: string | null;
  kind: Course['kind'];
  fiscal_year: number;
  statement_version: number | null;
  statement_text: string | null;
  statement_text_en: string | null;
}
