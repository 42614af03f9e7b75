import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { localeOf } from '../locale.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { ACKNOWLEDGED_ID, choiceId, MyTrainingPagesService, QUIZ_ID, questionId, TICK_MESSAGE } from './my-training-pages.service.js';

/** What the course's page explains on itself, with the form shown again. */
export const MY_ENROLMENT_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'QUIZ_ANSWERS_INVALID',
  'ACKNOWLEDGEMENT_REQUIRED',
  'QUIZ_NO_ATTEMPTS_LEFT',
  'QUIZ_NOT_PASSED',
  'ENROLMENT_NOT_OPEN',
  'ENROLMENT_NOT_YET_OPEN',
  'COURSE_NOT_PUBLISHED',
  'COURSE_HAS_NO_QUIZ',
]);

/** Problems about what was answered or ticked (the summary says 「入力内容を確認してください」); the others say the course could not be completed. */
const INPUT_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['VALIDATION_FAILED', 'QUIZ_ANSWERS_INVALID', 'ACKNOWLEDGEMENT_REQUIRED']);

/**
 * The messages of a refused submission: each unanswered (or no longer existing) question linked to
 * its first choice, the acknowledgement when it was not ticked, or what stops the completion.
 */
export function refusalMessages(error: AppException, body: Record<string, unknown>, questions: readonly { id: string }[]): FormMessage[] {
  const messages: FormMessage[] = [];
  if (error.code === 'QUIZ_ANSWERS_INVALID' || error.code === 'VALIDATION_FAILED') {
    const seen = new Set<string>();
    for (const { field } of error.errors ?? []) {
      const questionKey = field.startsWith('answers.') ? field.slice('answers.'.length) : null;
      const index = questionKey === null ? -1 : questions.findIndex((q) => q.id === questionKey);
      const message: FormMessage =
        index >= 0
          ? { key: 'myEnrolment.error.answer', values: { number: String(index + 1) }, fieldId: choiceId(index, 0), alsoIds: [questionId(index)] }
          : field === 'acknowledged'
            ? TICK_MESSAGE
            : { key: 'myEnrolment.error.quizChanged', fieldId: QUIZ_ID };
      if (seen.has(message.fieldId!)) continue;
      seen.add(message.fieldId!);
      messages.push(message);
    }
    if (!messages.length) messages.push({ key: 'myEnrolment.error.quizChanged', fieldId: QUIZ_ID });
    if (body.acknowledged !== 'true' && !seen.has(ACKNOWLEDGED_ID)) messages.push(TICK_MESSAGE);
    return messages;
  }
  if (error.code === 'ACKNOWLEDGEMENT_REQUIRED') return [TICK_MESSAGE];
  return [{ key: `myEnrolment.error.${error.code}`, fieldId: error.code === 'QUIZ_NO_ATTEMPTS_LEFT' ? QUIZ_ID : undefined }];
}

/** A refused submission shows the course's page again: the summary at the top (focused), each message beside its question or the check box. */
@Injectable()
@Catch()
export class MyEnrolmentFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = MY_ENROLMENT_FORM_PROBLEMS;

  constructor(private readonly pages: MyTrainingPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const locale = localeOf(req);
    const heading = INPUT_PROBLEMS.has(error.code) ? 'errorSummary.heading' : 'myEnrolment.refused';
    const data = (await this.pages.enrolment(actor, id, locale, (questions) =>
      formErrors('myEnrolment', refusalMessages(error, body, questions), body, heading),
    )) as { formErrors: FormErrors };
    return { view: 'my-enrolment', data };
  }
}
