import { AppException } from '../../common/errors/app.exception.js';
import type { Quiz, QuizQuestion } from '../../training/course.entity.js';

/**
 * The quiz as the course form writes it (確認テスト): one question per block, blocks separated by an
 * empty line; the question's text first (one or more lines), then one line per choice, starting
 * with ○ for a right choice and ・ for a wrong one:
 *
 *   不審なメールが届いたら、どうしますか。
 *   ○ 開かずに情報政策係へ報告する
 *   ・ 添付ファイルを開いて確かめる
 *
 * ◯ and 〇 are read as ○; ×, - and • as ・. A question may have several right choices (an answer
 * is right when it names exactly them).
 */

const RIGHT = /^[○◯〇]\s*/;
const WRONG = /^[・×\-•]\s*/;

export const QUIZ_LIMITS = { questions: 100, choices: 10, questionLength: 2000, choiceLength: 500 } as const;

/** What can be wrong with a block; the pages' messages are `courseAdmin.quiz.issue.<code>`. */
export type QuizTextIssueCode = 'strayLine' | 'noQuestion' | 'fewChoices' | 'manyChoices' | 'noRight' | 'tooLong' | 'tooManyQuestions';

/** One problem of the quiz text: which question (1 = the first block) and the line of the text it is on. */
export interface QuizTextIssue {
  code: QuizTextIssueCode;
  question: number;
  line: number;
}

/** A quiz text that cannot be read: COURSE_QUIZ_INVALID naming `quiz`, every problem with its line. */
export class QuizTextRefused extends AppException {
  constructor(readonly issues: QuizTextIssue[]) {
    super(
      'COURSE_QUIZ_INVALID',
      `${issues.length} problem(s) in the quiz`,
      issues.map((issue) => ({ field: 'quiz', line: issue.line, messages: [`question ${issue.question}: ${issue.code}`] })),
    );
  }
}

interface Block {
  /** the line of the text the block starts on (1-based) */
  line: number;
  lines: { text: string; line: number }[];
}

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') {
      current = null;
      return;
    }
    if (!current) blocks.push((current = { line: i + 1, lines: [] }));
    current.lines.push({ text, line: i + 1 });
  });
  return blocks;
}

/** The questions of a quiz text (ids q1, q2 … and a, b, c …); empty text is no quiz. Throws QuizTextRefused. */
export function parseQuizText(text: string): QuizQuestion[] {
  const blocks = blocksOf(text);
  const issues: QuizTextIssue[] = [];
  if (blocks.length > QUIZ_LIMITS.questions)
    issues.push({ code: 'tooManyQuestions', question: QUIZ_LIMITS.questions + 1, line: blocks[QUIZ_LIMITS.questions]!.line });
  const questions = blocks.slice(0, QUIZ_LIMITS.questions).map((block, q): QuizQuestion => {
    const question = q + 1;
    const stem: string[] = [];
    const choices: { text: string; right: boolean }[] = [];
    for (const { text, line } of block.lines) {
      const right = RIGHT.test(text);
      const wrong = !right && WRONG.test(text);
      if (right || wrong) {
        const choice = text.replace(right ? RIGHT : WRONG, '').trim();
        if (choice.length > QUIZ_LIMITS.choiceLength) issues.push({ code: 'tooLong', question, line });
        choices.push({ text: choice, right });
      } else if (choices.length === 0) {
        stem.push(text);
      } else {
        issues.push({ code: 'strayLine', question, line });
      }
    }
    const questionText = stem.join('\n');
    if (!questionText) issues.push({ code: 'noQuestion', question, line: block.line });
    else if (questionText.length > QUIZ_LIMITS.questionLength) issues.push({ code: 'tooLong', question, line: block.line });
    if (choices.length < 2) issues.push({ code: 'fewChoices', question, line: block.line });
    else if (choices.length > QUIZ_LIMITS.choices) issues.push({ code: 'manyChoices', question, line: block.line });
    if (choices.length >= 2 && !choices.some((c) => c.right)) issues.push({ code: 'noRight', question, line: block.line });
    const ids = choices.map((_, c) => String.fromCharCode(97 + c));
    return {
      id: `q${question}`,
      text: questionText,
      textEn: null,
      choices: choices.map((choice, c) => ({ id: ids[c]!, text: choice.text, textEn: null })),
      correct: choices.flatMap((choice, c) => (choice.right ? [ids[c]!] : [])),
    };
  });
  if (issues.length) throw new QuizTextRefused(issues);
  return questions;
}

/** A quiz written in the form's format (to edit it again). */
export function quizText(quiz: Pick<Quiz, 'questions'> | null | undefined): string {
  if (!quiz) return '';
  return quiz.questions
    .map((question) => [question.text, ...question.choices.map((choice) => `${question.correct.includes(choice.id) ? '○' : '・'} ${choice.text}`)].join('\n'))
    .join('\n\n');
}

/** Two quiz texts that say the same (spaces at line ends and empty lines aside). */
export function sameQuizText(a: string, b: string): boolean {
  const canonical = (text: string) =>
    text
      .split(/\r\n|\r|\n/)
      .map((line) => line.trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  return canonical(a) === canonical(b);
}
