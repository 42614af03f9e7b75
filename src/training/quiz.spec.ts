import type { Quiz } from './course.entity.js';
import { answerErrors, attemptsLeft, quizToTake, scoreQuiz } from './quiz.js';

const quiz: Quiz = {
  passMark: 80,
  maxAttempts: 3,
  questions: [
    {
      id: 'q1',
      text: '不審なメールが届いたら？',
      choices: [
        { id: 'a', text: '開かずに報告する' },
        { id: 'b', text: '添付ファイルを開く' },
      ],
      correct: ['a'],
    },
    {
      id: 'q2',
      text: '持ち出してはいけないものは？（すべて選ぶ）',
      choices: [
        { id: 'a', text: '住民情報' },
        { id: 'b', text: 'パスワード' },
        { id: 'c', text: '広報誌' },
      ],
      correct: ['a', 'b'],
    },
    {
      id: 'q3',
      text: '?',
      choices: [
        { id: 'x', text: 'X' },
        { id: 'y', text: 'Y' },
      ],
      correct: ['y'],
    },
    {
      id: 'q4',
      text: '?',
      choices: [
        { id: 'x', text: 'X' },
        { id: 'y', text: 'Y' },
      ],
      correct: ['x'],
    },
    {
      id: 'q5',
      text: '?',
      choices: [
        { id: 'x', text: 'X' },
        { id: 'y', text: 'Y' },
      ],
      correct: ['x'],
    },
  ],
};

const allRight = { q1: ['a'], q2: ['b', 'a'], q3: ['y'], q4: ['x'], q5: ['x'] };

describe('quiz scoring', () => {
  it('counts a question right only when exactly its right choices are picked', () => {
    expect(scoreQuiz(quiz, allRight)).toEqual({ score: 100, passed: true, right: 5, questions: 5 });
    // one right choice of two is wrong; so is one too many
    expect(scoreQuiz(quiz, { ...allRight, q2: ['a'] }).right).toBe(4);
    expect(scoreQuiz(quiz, { ...allRight, q2: ['a', 'b', 'c'] }).right).toBe(4);
    // the same choice twice counts once
    expect(scoreQuiz(quiz, { ...allRight, q1: ['a', 'a'] }).right).toBe(5);
  });

  it('scores in percent, rounded down, and passes at the pass mark', () => {
    expect(scoreQuiz(quiz, { ...allRight, q5: ['y'] })).toMatchObject({ score: 80, passed: true });
    expect(scoreQuiz(quiz, { ...allRight, q4: ['y'], q5: ['y'] })).toMatchObject({ score: 60, passed: false });
    const thirds: Quiz = { passMark: 67, maxAttempts: null, questions: quiz.questions.slice(2, 5) };
    // 2 of 3 is 66.6…%: below a pass mark of 67
    expect(scoreQuiz(thirds, { q3: ['y'], q4: ['x'], q5: ['y'] })).toMatchObject({ score: 66, passed: false });
  });

  it('names each bad answer by its question: unknown question, unknown choice, unanswered', () => {
    expect(answerErrors(quiz, allRight)).toEqual([]);
    const errors = answerErrors(quiz, { q1: ['z'], q2: ['a'], q3: ['y'], q4: [], q9: ['a'] });
    expect(errors.map((error) => error.field)).toEqual(['answers.q1', 'answers.q9', 'answers.q4', 'answers.q5']);
    expect(errors[0]!.messages[0]).toContain('no choice z');
    expect(errors[1]!.messages[0]).toContain('no question q9');
  });

  it('is shown without its right answers, saying where several are right', () => {
    const shown = quizToTake(quiz);
    expect(JSON.stringify(shown)).not.toContain('correct');
    expect(shown.questions.map((question) => question.multiple)).toEqual([false, true, false, false, false]);
    expect(shown).toMatchObject({ passMark: 80, maxAttempts: 3 });
  });

  it('counts the attempts left (none without a limit)', () => {
    expect(attemptsLeft(quiz, 0)).toBe(3);
    expect(attemptsLeft(quiz, 3)).toBe(0);
    expect(attemptsLeft(quiz, 5)).toBe(0);
    expect(attemptsLeft({ ...quiz, maxAttempts: null }, 9)).toBeNull();
    expect(attemptsLeft(null, 0)).toBeNull();
  });
});
