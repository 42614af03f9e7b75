import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { QuizAnswers } from '../../training/quiz.js';

/** One choice of the quiz as a form value: `<questionId>:<choiceId>`, each part URI-encoded (ids may hold a colon). */
export function choiceValue(questionId: string, choiceId: string): string {
  return `${encodeURIComponent(questionId)}:${encodeURIComponent(choiceId)}`;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** The quiz answers of the form: every value `<questionId>:<choiceId>` gathered by question (values that are not such a pair are dropped). */
export function answersOf(values: readonly string[] | undefined): QuizAnswers {
  const answers = new Map<string, string[]>();
  for (const value of values ?? []) {
    const colon = value.indexOf(':');
    if (colon < 1) continue;
    const question = decode(value.slice(0, colon));
    const choice = decode(value.slice(colon + 1));
    if (!question || !choice) continue;
    answers.set(question, [...(answers.get(question) ?? []), choice]);
  }
  return Object.fromEntries(answers);
}

/**
 * The form of a course's page: the quiz (radio buttons and check boxes all named `answers`, each
 * value a question and a choice) and the acknowledgement check box (sent only when ticked).
 */
export class MyEnrolmentForm {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  answers?: string[];

  @IsOptional()
  @IsIn(['true'])
  acknowledged?: 'true';
}
