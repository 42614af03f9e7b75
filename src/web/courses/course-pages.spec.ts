import { getMetadataStorage } from 'class-validator';
import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { EMPLOYMENT_TYPES } from '../../staff/employment.js';
import { ATTENDANCE_ISSUE_CODES } from '../../training/attendance-list.js';
import { COURSE_KINDS, COURSE_STATUSES } from '../../training/course.entity.js';
import { EXEMPTION_KINDS } from '../../training/enrolment.entity.js';
import { COURSE_FORM_PROBLEMS } from './course-form.filter.js';
import { AttendanceCsvForm, AttendanceForm, CourseForm, ExemptionForm } from './course-page.dto.js';
import { completionRate, daysBeforeOf, kindOfType } from './course-pages.service.js';
import { parseQuizText, quizText, QuizTextRefused, sameQuizText, type QuizTextIssueCode } from './quiz-text.js';

const fieldsOf = (form: abstract new () => object): string[] => [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(form as new () => object, '', true, false)
      .map((m) => m.propertyName),
  ),
];

describe('course pages: the quiz as text', () => {
  const text =
    '不審なメールが届いたら？\n○ 開かずに報告する\n・ 添付ファイルを開く\n\n正しいものをすべて選んでください。\n複数あります。\n◯ 画面をロックして離席する\n× 付箋にパスワードを書く\n〇 USB メモリは許可されたものだけ使う';

  it('reads questions, right (○) and wrong (・) choices, several right ones and questions of several lines', () => {
    expect(parseQuizText(text)).toEqual([
      {
        id: 'q1',
        text: '不審なメールが届いたら？',
        textEn: null,
        choices: [
          { id: 'a', text: '開かずに報告する', textEn: null },
          { id: 'b', text: '添付ファイルを開く', textEn: null },
        ],
        correct: ['a'],
      },
      {
        id: 'q2',
        text: '正しいものをすべて選んでください。\n複数あります。',
        textEn: null,
        choices: [
          { id: 'a', text: '画面をロックして離席する', textEn: null },
          { id: 'b', text: '付箋にパスワードを書く', textEn: null },
          { id: 'c', text: 'USB メモリは許可されたものだけ使う', textEn: null },
        ],
        correct: ['a', 'c'],
      },
    ]);
    expect(parseQuizText('  \n\n')).toEqual([]);
  });

  it('names every problem with its question and line', () => {
    const issues = (source: string) => {
      try {
        parseQuizText(source);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(QuizTextRefused);
        return (error as QuizTextRefused).issues;
      }
    };
    expect(issues('問題\n・ A\n・ B\n\n○ A\n・ B\n\n問題3\n○ A\n説明の行\n・ B\n\n問題4\n○ A')).toEqual([
      { code: 'noRight', question: 1, line: 1 },
      { code: 'noQuestion', question: 2, line: 5 },
      { code: 'strayLine', question: 3, line: 10 },
      { code: 'fewChoices', question: 4, line: 13 },
    ]);
  });

  it('writes a quiz back in the same form, so an unchanged text keeps the questions as they are', () => {
    const questions = parseQuizText(text);
    const written = quizText({ questions });
    expect(parseQuizText(written)).toEqual(questions);
    expect(sameQuizText(`${written}\n\n\n`, written.replace(/\n/g, '  \n'))).toBe(true);
    expect(sameQuizText(written, written.replace('○ 開かずに', '・ 開かずに'))).toBe(false);
  });
});

describe('course pages', () => {
  it('read the reminder days, work out the rate and the kind of a file', () => {
    expect(daysBeforeOf('7、 1, 14')).toEqual([14, 7, 1]);
    expect(daysBeforeOf('')).toEqual([]);
    expect(() => daysBeforeOf('0, 400')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(completionRate({ enrolled: 10, completed: 6, exempt: 2 })).toBe(0.75);
    expect(completionRate({ enrolled: 1, completed: 0, exempt: 1 })).toBeNull();
    expect(kindOfType('video/mp4')).toBe('video');
    expect(kindOfType('application/vnd.apple.keynote')).toBe('slides');
  });

  it('have every message they compose, in every language', () => {
    const quizIssues: QuizTextIssueCode[] = ['strayLine', 'noQuestion', 'fewChoices', 'manyChoices', 'noRight', 'tooLong', 'tooManyQuestions'];
    const courseFields = fieldsOf(CourseForm).map((field) => (field === 'audienceMode' ? 'audience' : field));
    const keys = [
      'nav.courseAdmin',
      ...COURSE_KINDS.map((kind) => `courseAdmin.kind.${kind}`),
      ...COURSE_STATUSES.map((status) => `courseAdmin.status.${status}`),
      ...EXEMPTION_KINDS.map((kind) => `courseAdmin.exemptionKind.${kind}`),
      ...EMPLOYMENT_TYPES.map((type) => `employmentType.${type}`),
      ...ATTENDANCE_ISSUE_CODES.map((code) => `courseAdmin.attendance.issue.${code}`),
      ...quizIssues.map((code) => `courseAdmin.quiz.issue.${code}`),
      ...['pdf', 'slides', 'video', 'image'].map((kind) => `courseAdmin.material.kind.${kind}`),
      ...[...COURSE_FORM_PROBLEMS].flatMap((code) =>
        code === 'ATTACHMENT_REFUSED'
          ? ['empty', 'not_accepted', 'misnamed'].map((reason) => `courseAdmin.problem.${code}.${reason}`)
          : [`courseAdmin.problem.${code}`],
      ),
      ...courseFields.map((field) => `formField.courseForm.${field}`),
      ...fieldsOf(ExemptionForm).map((field) => `formField.courseExemption.${field}`),
      ...fieldsOf(AttendanceForm).map((field) => `formField.courseAttendance.${field}`),
      ...fieldsOf(AttendanceCsvForm).map((field) => `formField.courseAttendanceCsv.${field}`),
      'formField.courseAttendanceCsv.file',
      'formField.courseAttachment.file',
      'formField.courseAction.fiscalYear',
      ...[
        'created',
        'updated',
        'published',
        'closed',
        'repeated',
        'attachmentAdded',
        'attachmentRemoved',
        'exempted',
        'exemptedYear',
        'exemptionLifted',
        'attendanceRecorded',
      ].map((notice) => `notice.courseAdmin_${notice}`),
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});
