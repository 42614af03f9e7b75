import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import type { Locale } from '../../common/locale.js';
import type { MyEnrolmentDetailView, MyEnrolmentView, QuizAttemptResultView } from '../../training/dto/my-training.dto.js';
import { MyTrainingService } from '../../training/my-training.service.js';
import { formErrors, type FormErrors, type FormMessage } from '../forms/form-error.js';
import { renderPolicyMarkdown } from '../policies/policy-text.js';
import { answersOf, choiceValue, type MyEnrolmentForm } from './my-training-page.dto.js';

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (calendar dates). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** When an open enrolment is due, in words: 「期限を3日過ぎています」, 「本日が期限です」, 「あと5日」. */
export function dueInWords(dueOn: string, today: string): { key: string; days: number } {
  const days = daysBetween(today, dueOn);
  if (days === 0) return { key: 'myTraining.due.today', days: 0 };
  return { key: days < 0 ? 'myTraining.due.overdue' : 'myTraining.due.left', days: Math.abs(days) };
}

/**
 * The material's HTML (policy Markdown, rendered safely: raw HTML is shown as text), its headings
 * one more level down than a policy's, so they sit under the page's 「研修資料」 heading (h2).
 */
export function materialHtml(markdown: string): string {
  return renderPolicyMarkdown(markdown).replace(/<(\/?)h([1-6])>/g, (_tag, slash: string, level: string) => `<${slash}h${Math.min(Number(level) + 1, 6)}>`);
}

/** Why an open enrolment cannot be completed on its page now (null: it can). */
export type Blocked = 'exempt' | 'withdrawn' | 'closed' | 'notYetOpen' | 'noAttemptsLeft' | null;

export function blockedBy(enrolment: MyEnrolmentDetailView | MyEnrolmentView, passed: boolean, today: string): Blocked {
  if (enrolment.state === 'exempt' || enrolment.state === 'withdrawn') return enrolment.state;
  if (enrolment.course.status !== 'published') return 'closed';
  if (today < enrolment.course.opensOn) return 'notYetOpen';
  if (enrolment.course.hasQuiz && !passed && enrolment.attemptsLeft === 0) return 'noAttemptsLeft';
  return null;
}

/** The message of a failed attempt: the score, the pass mark, and how many attempts are left. */
export function quizFailedMessage(result: Pick<QuizAttemptResultView, 'score' | 'attemptsLeft'>, passMark: number): FormMessage {
  const values = { score: String(result.score ?? 0), passMark: String(passMark), left: String(result.attemptsLeft ?? '') };
  const key = result.attemptsLeft === null ? 'myEnrolment.failed.again' : result.attemptsLeft === 0 ? 'myEnrolment.failed.noneLeft' : 'myEnrolment.failed.left';
  return { key, values, fieldId: QUIZ_ID };
}

/** The element ids the form's messages link to. */
export const QUIZ_ID = 'quiz';
export const ACKNOWLEDGED_ID = 'acknowledged';
export const questionId = (index: number): string => `question-${index}`;
export const choiceId = (question: number, choice: number): string => `q${question}-c${choice}`;

export const TICK_MESSAGE: FormMessage = { key: 'myEnrolment.error.ACKNOWLEDGEMENT_REQUIRED', fieldId: ACKNOWLEDGED_ID };

/** What the form's submission came to: completed (now or before), or the page again with the refusal. */
export type Submission = { completed: MyEnrolmentView; now: boolean } | { refused: object };

/** わたしの研修: the data of the pages where a member of staff takes their training. */
@Injectable()
export class MyTrainingPagesService {
  constructor(private readonly training: MyTrainingService) {}

  /** What I owe (soonest due first, overdue marked), and what is done, with the certificates. */
  async list(actor: Actor): Promise<object> {
    const { items } = await this.training.list(actor);
    const today = tokyoToday();
    const owed = items.filter((e) => e.state === 'open' && e.course.status === 'published');
    const rest = items.filter((e) => !owed.includes(e));
    return {
      title: 'myTraining.title',
      today,
      owed: owed.map((e) => ({
        ...e,
        href: `/training/enrolments/${e.id}`,
        due: dueInWords(e.dueOn, today),
        notYetOpen: today < e.course.opensOn,
      })),
      overdue: owed.filter((e) => e.overdue).length,
      done: rest.map((e) => ({
        ...e,
        href: `/training/enrolments/${e.id}`,
        certificateHref: e.state === 'completed' ? `/training/enrolments/${e.id}/certificate` : null,
        stateKey: e.state === 'open' ? 'myTraining.state.closed' : `myTraining.state.${e.state}`,
      })),
    };
  }

  /** A course's page: the material, the quiz, the statement and the one submit; or, once done, the completion and its certificate. */
  async enrolment(actor: Actor, id: string, locale: Locale, refusal?: FormErrors | ((questions: readonly { id: string }[]) => FormErrors)): Promise<object> {
    const e = await this.training.detail(actor, id);
    const errors = typeof refusal === 'function' ? refusal(e.quiz?.questions ?? []) : refusal;
    const today = tokyoToday();
    const passedAttempt = [...e.attempts].filter((a) => a.passed).sort((a, b) => b.score - a.score)[0] ?? null;
    const lastAttempt = e.attempts.at(-1) ?? null;
    const submitted = errors ? answersOf(toList(errors.submitted.answers)) : {};
    const body = locale === 'en' && e.bodyEn?.trim() ? e.bodyEn : e.body;
    const blocked = e.state === 'open' ? blockedBy(e, passedAttempt !== null, today) : null;
    return {
      title: 'myEnrolment.title',
      titleDetail: { ja: e.course.title, en: e.course.titleEn ?? e.course.title },
      enrolment: e,
      due: e.state === 'open' ? dueInWords(e.dueOn, today) : null,
      material: body?.trim() ? { html: materialHtml(body), lang: locale === 'en' && e.bodyEn?.trim() ? 'en' : 'ja' } : null,
      materialFallback: locale === 'en' && !e.bodyEn?.trim() && !!e.body?.trim(),
      attachments: e.attachments.map((a) => ({ ...a, href: `/training/courses/${e.course.id}/attachments/${a.id}` })),
      quiz: e.quiz
        ? {
            ...e.quiz,
            questions: e.quiz.questions.map((q, i) => ({
              ...q,
              number: i + 1,
              fieldsetId: questionId(i),
              hintId: `${questionId(i)}-hint`,
              errorFor: choiceId(i, 0),
              type: q.multiple ? 'checkbox' : 'radio',
              choices: q.choices.map((c, j) => ({
                ...c,
                inputId: choiceId(i, j),
                value: choiceValue(q.id, c.id),
                checked: (submitted[q.id] ?? []).includes(c.id),
              })),
            })),
          }
        : null,
      passedAttempt,
      lastAttempt,
      // the form: an open enrolment that can be completed now
      form: e.state === 'open' && blocked === null,
      blocked,
      // the quiz is asked until an attempt passes
      askQuiz: e.quiz !== null && passedAttempt === null,
      ticked: errors?.submitted.acknowledged === 'true',
      action: `/training/enrolments/${e.id}`,
      certificateHref: e.state === 'completed' ? `/training/enrolments/${e.id}/certificate` : null,
      ...(errors ? { formErrors: errors } : {}),
    };
  }

  /**
   * The one submit of a course's page. A quiz not passed yet is taken first (the attempt is
   * recorded, as on the API); a failed attempt shows the page again with the score and the attempts
   * left. Then the completion, which needs the acknowledgement ticked. A course completed already
   * (a second press) is simply shown.
   */
  async submit(actor: Actor, id: string, form: MyEnrolmentForm, locale: Locale): Promise<Submission> {
    const e = await this.training.detail(actor, id);
    if (e.state === 'completed') return { completed: e, now: false };
    const acknowledged = form.acknowledged === 'true';
    if (e.quiz && !e.attempts.some((a) => a.passed)) {
      const result = await this.training.attempt(actor, id, answersOf(form.answers));
      if (!result.passed) {
        const messages = [quizFailedMessage(result, e.quiz.passMark), ...(acknowledged ? [] : [TICK_MESSAGE])];
        const errors = formErrors('myEnrolment', messages, form, 'myEnrolment.notPassed');
        return { refused: await this.enrolment(actor, id, locale, errors) };
      }
    }
    return { completed: await this.training.complete(actor, id, { acknowledged }), now: true };
  }

  /** 受講証明: the printable page of a completion. */
  async certificate(actor: Actor, id: string): Promise<object> {
    const certificate = await this.training.certificate(actor, id);
    return {
      title: 'myCertificate.title',
      titleDetail: { ja: certificate.course.title, en: certificate.course.titleEn ?? certificate.course.title },
      certificate,
      back: `/training/enrolments/${id}`,
    };
  }
}

function toList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
