import { AppException, type FieldError } from '../common/errors/app.exception.js';
import type { Quiz } from './course.entity.js';

/** A person's answers to a quiz: question id → the ids of the choices they picked. */
export type QuizAnswers = Record<string, string[]>;

/** How an attempt scored. */
export interface QuizScore {
  /** percent of the questions answered right, rounded down (a pass mark of 80 needs a real 80) */
  score: number;
  passed: boolean;
  right: number;
  questions: number;
}

/** A question as the person taking the quiz sees it: no right answers, only whether to pick one or several. */
export interface QuizQuestionToTake {
  id: string;
  text: string;
  textEn: string | null;
  /** several choices are right (check boxes); otherwise exactly one (radio buttons) */
  multiple: boolean;
  choices: { id: string; text: string; textEn: string | null }[];
}

/** The quiz without its right answers. */
export interface QuizToTake {
  questions: QuizQuestionToTake[];
  passMark: number;
  maxAttempts: number | null;
}

/** The quiz as shown to the person who takes it: the right answers left out. */
export function quizToTake(quiz: Quiz): QuizToTake {
  return {
    questions: quiz.questions.map((question) => ({
      id: question.id,
      text: question.text,
      textEn: question.textEn ?? null,
      multiple: question.correct.length > 1,
      choices: question.choices.map((choice) => ({ id: choice.id, text: choice.text, textEn: choice.textEn ?? null })),
    })),
    passMark: quiz.passMark,
    maxAttempts: quiz.maxAttempts,
  };
}

/**
 * What is wrong with a set of answers, each named `answers.<questionId>`: a question the quiz does
 * not have, a choice the question does not have, or a question left unanswered (every question
 * must be answered, so a forgotten one does not cost an attempt). Empty when they can be scored.
 */
export function answerErrors(quiz: Quiz, answers: QuizAnswers): FieldError[] {
  const errors: FieldError[] = [];
  const questions = new Map(quiz.questions.map((question) => [question.id, question]));
  for (const [questionId, chosen] of Object.entries(answers)) {
    const question = questions.get(questionId);
    if (!question) {
      errors.push({ field: `answers.${questionId}`, messages: [`the quiz has no question ${questionId}`] });
      continue;
    }
    const choices = new Set(question.choices.map((choice) => choice.id));
    const unknown = [...new Set(chosen)].filter((id) => !choices.has(id));
    if (unknown.length) errors.push({ field: `answers.${questionId}`, messages: [`question ${questionId} has no choice ${unknown.join(', ')}`] });
  }
  for (const question of quiz.questions) {
    if (!Object.hasOwn(answers, question.id) || answers[question.id]!.length === 0) {
      errors.push({ field: `answers.${question.id}`, messages: [`answer question ${question.id}`] });
    }
  }
  return errors;
}

/**
 * The score of well-formed answers (see `answerErrors`): a question is right when exactly its right
 * choices were picked; the score is the percent of right questions, rounded down; it passes at the
 * pass mark or above.
 */
export function scoreQuiz(quiz: Quiz, answers: QuizAnswers): QuizScore {
  const right = quiz.questions.filter((question) => {
    const chosen = new Set(answers[question.id] ?? []);
    const correct = new Set(question.correct);
    return chosen.size === correct.size && [...correct].every((id) => chosen.has(id));
  }).length;
  const questions = quiz.questions.length;
  const score = questions === 0 ? 100 : Math.floor((right * 100) / questions);
  return { score, passed: score >= quiz.passMark, right, questions };
}

/** How many attempts are left after `taken` (null: no limit). */
export function attemptsLeft(quiz: Quiz | null, taken: number): number | null {
  if (!quiz || quiz.maxAttempts === null || quiz.maxAttempts === undefined) return null;
  return Math.max(0, quiz.maxAttempts - taken);
}

/** A quiz whose right answers name its own choices, with unique ids. */
export function checkedQuiz(quiz: Quiz | { questions: Quiz['questions']; passMark: number; maxAttempts?: number | null }): Quiz {
  const errors: { field: string; messages: string[] }[] = [];
  const questionIds = new Set<string>();
  quiz.questions.forEach((question, q) => {
    if (questionIds.has(question.id)) errors.push({ field: `quiz.questions.${q}.id`, messages: [`question id ${question.id} is used twice`] });
    questionIds.add(question.id);
    const choiceIds = new Set<string>();
    question.choices.forEach((choice, c) => {
      if (choiceIds.has(choice.id)) errors.push({ field: `quiz.questions.${q}.choices.${c}.id`, messages: [`choice id ${choice.id} is used twice`] });
      choiceIds.add(choice.id);
    });
    question.correct.forEach((id, c) => {
      if (!choiceIds.has(id)) errors.push({ field: `quiz.questions.${q}.correct.${c}`, messages: [`${id} is not one of the question's choices`] });
    });
  });
  if (errors.length) throw new AppException('COURSE_QUIZ_INVALID', undefined, errors);
  return {
    questions: quiz.questions.map((question) => ({
      id: question.id,
      text: question.text,
      textEn: question.textEn ?? null,
      choices: question.choices.map((choice) => ({ id: choice.id, text: choice.text, textEn: choice.textEn ?? null })),
      correct: [...new Set(question.correct)],
    })),
    passMark: quiz.passMark,
    maxAttempts: quiz.maxAttempts ?? null,
  };
}
