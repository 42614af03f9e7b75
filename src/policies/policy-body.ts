import { lineDiff } from './line-diff.js';

/**
 * The body of a policy version is one Markdown text: the Japanese text first, then (optionally) the
 * English text under a `## English` heading, as the files of `policies/` are written. The app edits
 * the two languages apart and puts them back together here.
 */

/** The heading line that starts the English text of a policy body. */
export const ENGLISH_HEADING = /^##[ \t]+English[ \t]*#*[ \t]*$/m;

/** The parts of a policy body: Japanese first, then (optionally) the text under `## English`. */
export function splitLanguages(body: string): { ja: string; en: string | null } {
  const match = ENGLISH_HEADING.exec(body);
  if (!match) return { ja: body, en: null };
  const en = body.slice(match.index + match[0].length).trim();
  return { ja: body.slice(0, match.index).trimEnd(), en: en || null };
}

const normalize = (text: string): string => text.replace(/\r\n?/g, '\n').trim();

/**
 * A body from its two languages, laid out as the files of `policies/` are: a blank line after the
 * front matter, the Japanese text, then `## English` and the English text, each ending in a newline.
 * An empty English text leaves the heading out. `composeBody(splitLanguages(b))` gives `b` back for
 * a body written that way.
 */
export function composeBody(ja: string, en: string | null): string {
  const english = en === null ? '' : normalize(en);
  return `\n${normalize(ja)}\n` + (english ? `\n## English\n\n${english}\n` : '');
}

/** Whether two bodies say the same in both languages (whitespace around each part aside). */
export function sameText(a: string, b: string): boolean {
  const x = splitLanguages(a);
  const y = splitLanguages(b);
  return normalize(x.ja) === normalize(y.ja) && normalize(x.en ?? '') === normalize(y.en ?? '');
}

/** The text a version's diff compares: the front matter as `key: value` lines, then the body. */
export function versionText(frontMatter: Record<string, unknown>, body: string): string {
  const lines = Object.keys(frontMatter)
    .sort()
    .map((k) => `${k}: ${JSON.stringify(frontMatter[k])}`);
  return ['---', ...lines, '---', body].join('\n');
}

/** A version's stored diff: against `base` (the version in force, or else the latest), from `key vN` to `key vM`. */
export function versionDiff(
  key: string,
  base: { version: number; frontMatter: Record<string, unknown>; body: string },
  next: { version: number; frontMatter: Record<string, unknown>; body: string },
): string {
  return lineDiff(versionText(base.frontMatter, base.body), versionText(next.frontMatter, next.body), {
    from: `${key} v${base.version}`,
    to: `${key} v${next.version}`,
  });
}

/** The version a stored diff compares against (its `--- key vN` line), or null for none. */
export function diffBaseVersion(diff: string | null): number | null {
  const match = diff ? /^--- .* v(\d+)$/m.exec(diff) : null;
  return match ? Number(match[1]) : null;
}
