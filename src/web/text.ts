/**
 * Text as Japanese and English are written: Japanese puts no space between words, so a line broken
 * inside a Japanese sentence joins without one, while English (and Japanese next to English) joins
 * with a space. Used by the Markdown of the policies (policy-text.ts) and by plain catalogue text
 * (helper `prose`).
 */

/** A character of Japanese text: kanji, kana, the ideographic space and punctuation, full-width forms. */
export const JAPANESE_CHARACTER = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\u30FC\uFF01-\uFF60\uFFE0-\uFFEF]`;

const JAPANESE_BREAK = new RegExp(String.raw`(${JAPANESE_CHARACTER})[ \t]*\r?\n[ \t]*(?=${JAPANESE_CHARACTER})`, 'gu');
const OTHER_BREAK = /[ \t]*\r?\n[ \t]*/g;

/** The lines of one paragraph as one line: no space between Japanese characters, a space elsewhere. */
export function joinLines(text: string): string {
  return text.trim().replace(JAPANESE_BREAK, '$1').replace(OTHER_BREAK, ' ');
}

/** Plain text as paragraphs (separated by a blank line), each joined into one line. */
export function paragraphsOf(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map(joinLines)
    .filter((paragraph) => paragraph.length > 0);
}
