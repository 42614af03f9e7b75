import { AppException } from '../../common/errors/app.exception.js';
import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { COURSE_KINDS } from '../../training/course.entity.js';
import { MY_ENROLMENT_FORM_PROBLEMS, refusalMessages } from './my-enrolment-form.filter.js';
import { answersOf, choiceValue } from './my-training-page.dto.js';
import { dueInWords, materialHtml, quizFailedMessage } from './my-training-pages.service.js';

describe('my training pages', () => {
  it('send each choice as its question and choice, and read them back by question (ids may hold a colon)', () => {
    const values = [choiceValue('q1', 'a'), choiceValue('q:2', 'b'), choiceValue('q:2', 'c:d'), 'no-colon', ':x', '%E0%A4%A:b'];
    expect(answersOf(values)).toEqual({ q1: ['a'], 'q:2': ['b', 'c:d'] });
    expect(answersOf(undefined)).toEqual({});
  });

  it('say when a course is due in words', () => {
    expect(dueInWords('2026-11-30', '2026-11-30')).toEqual({ key: 'myTraining.due.today', days: 0 });
    expect(dueInWords('2026-12-05', '2026-11-30')).toEqual({ key: 'myTraining.due.left', days: 5 });
    expect(dueInWords('2026-11-27', '2026-11-30')).toEqual({ key: 'myTraining.due.overdue', days: 3 });
  });

  it("render the material's Markdown under the page's heading, raw HTML as text", () => {
    const html = materialHtml('# 標的型メール\n\n## 見分け方\n\n<script>alert(1)</script>');
    expect(html).toContain('<h3>標的型メール</h3>');
    expect(html).toContain('<h4>見分け方</h4>');
    expect(html).not.toContain('<script>');
  });

  it('tell a failed attempt with its score and the attempts left', () => {
    expect(quizFailedMessage({ score: 50, attemptsLeft: 2 }, 80)).toEqual({
      key: 'myEnrolment.failed.left',
      values: { score: '50', passMark: '80', left: '2' },
      fieldId: 'quiz',
    });
    expect(quizFailedMessage({ score: 50, attemptsLeft: 0 }, 80).key).toBe('myEnrolment.failed.noneLeft');
    expect(quizFailedMessage({ score: 50, attemptsLeft: null }, 80).key).toBe('myEnrolment.failed.again');
  });

  it('name each unanswered question beside its first choice, and the box when it was not ticked', () => {
    const questions = [{ id: 'q1' }, { id: 'q2' }];
    const invalid = new AppException('QUIZ_ANSWERS_INVALID', undefined, [
      { field: 'answers.q2', messages: ['answer question q2'] },
      { field: 'answers.q9', messages: ['no question q9'] },
    ]);
    expect(refusalMessages(invalid, {}, questions)).toEqual([
      { key: 'myEnrolment.error.answer', values: { number: '2' }, fieldId: 'q1-c0', alsoIds: ['question-1'] },
      { key: 'myEnrolment.error.quizChanged', fieldId: 'quiz' },
      { key: 'myEnrolment.error.ACKNOWLEDGEMENT_REQUIRED', fieldId: 'acknowledged' },
    ]);
    expect(refusalMessages(invalid, { acknowledged: 'true' }, questions)).toHaveLength(2);
    expect(refusalMessages(new AppException('ENROLMENT_NOT_YET_OPEN'), {}, questions)).toEqual([
      { key: 'myEnrolment.error.ENROLMENT_NOT_YET_OPEN', fieldId: undefined },
    ]);
  });

  it('have every message they compose, in every language', () => {
    const keys = [
      ...[...MY_ENROLMENT_FORM_PROBLEMS]
        .filter((code) => code !== 'VALIDATION_FAILED' && code !== 'QUIZ_ANSWERS_INVALID')
        .map((code) => `myEnrolment.error.${code}`),
      ...['left', 'again', 'noneLeft'].map((key) => `myEnrolment.failed.${key}`),
      ...['overdue', 'today', 'left'].map((key) => `myTraining.due.${key}`),
      ...['exempt', 'withdrawn', 'closed', 'notYetOpen', 'noAttemptsLeft'].map((key) => `myEnrolment.blocked.${key}`),
      ...['open', 'completed', 'exempt', 'withdrawn'].map((state) => `myEnrolment.stateName.${state}`),
      ...['completed', 'exempt', 'withdrawn', 'closed'].map((state) => `myTraining.state.${state}`),
      ...['self', 'attendance', 'migrated'].map((via) => `myCertificate.viaName.${via}`),
      ...COURSE_KINDS.map((kind) => `myTraining.kind.${kind}`),
      'myEnrolment.error.answer',
      'myEnrolment.error.quizChanged',
      'myEnrolment.notPassed',
      'myEnrolment.refused',
      'notice.myTrainingCompleted',
      'notice.myTrainingCompletedLate',
      'error.ENROLMENT_NOT_FOUND',
      'error.ENROLMENT_NOT_COMPLETED',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});
