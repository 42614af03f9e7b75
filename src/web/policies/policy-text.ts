import { Marked, type Tokens } from 'marked';
import type { Locale } from '../../common/locale.js';
import { splitLanguages } from '../../policies/policy-body.js';
import { JAPANESE_CHARACTER } from '../text.js';

export { splitLanguages };

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Links and images may point at web pages, mail addresses, anchors and paths of this site only. */
const SAFE_URL = /^(https?:\/\/|mailto:|#|\/(?!\/)|\.{1,2}\/|[\w.-]+(?:[/#?]|$))/i;
export const isSafeUrl = (href: string): boolean => SAFE_URL.test(href.trim()) && !/^\s*(javascript|data|vbscript):/i.test(href);

/**
 * Markdown as policy files use it (GitHub flavour). Raw HTML never reaches the page: comments are
 * dropped and any other tag is shown as text. Headings move one level down, so that the page's own
 * `<h1>` (the policy's title) stays the only one.
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text.replace(/<!--[\s\S]*?(?:-->|$)/g, '')).replace(/^\s+$/, '');
    },
    heading({ tokens, depth }: Tokens.Heading): string {
      const level = Math.min(depth + 1, 6);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    link({ href, tokens }: Tokens.Link): string | false {
      return isSafeUrl(href) ? false : this.parser.parseInline(tokens);
    },
    image({ href, text }: Tokens.Image): string | false {
      return isSafeUrl(href) ? false : escapeHtml(text);
    },
  },
});

/** inline markup that may sit on either side of a line break (`</strong>`, `<a href="…">`) */
const INLINE_TAGS = String.raw`(?:<\/?(?:a|strong|em|code|del|span)\b[^>]*>)*`;
/** a soft line break between two Japanese characters */
const JAPANESE_SOFT_BREAK = new RegExp(String.raw`(${JAPANESE_CHARACTER})(${INLINE_TAGS})[ \t]*\n[ \t]*(${INLINE_TAGS})(?=${JAPANESE_CHARACTER})`, 'gu');

/**
 * Japanese is written without spaces between words, so a source line that breaks inside a sentence
 * (Markdown's soft line break, which a browser shows as a space) joins without one; between English
 * words, or English and Japanese, the break stays a space. Preformatted blocks keep their lines.
 */
export function joinJapaneseLines(html: string): string {
  return html
    .split(/(<pre[\s\S]*?<\/pre>)/)
    .map((part) => (part.startsWith('<pre') ? part : part.replace(JAPANESE_SOFT_BREAK, '$1$2$3')))
    .join('');
}

/** The HTML of a policy text (Markdown); only markup the Markdown itself produces. */
export function renderPolicyMarkdown(text: string): string {
  return joinJapaneseLines(markdown.parse(text, { async: false }));
}

export interface PolicyText {
  /** HTML rendered from the Markdown */
  html: string;
  /** the language of the text shown (English pages fall back to Japanese when there is no English) */
  lang: Locale;
  /** an English page shows the Japanese text because the body has no English section */
  fallback: boolean;
}

/** The text of a policy body for a reader of `locale`. */
export function policyTextFor(body: string, locale: Locale): PolicyText {
  const parts = splitLanguages(body);
  if (locale === 'en' && parts.en) return { html: renderPolicyMarkdown(parts.en), lang: 'en', fallback: false };
  return { html: renderPolicyMarkdown(parts.ja), lang: 'ja', fallback: locale === 'en' };
}

export type DiffLineKind = 'file' | 'hunk' | 'added' | 'removed' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  /** message key of the words read out before the line ("added:", "removed:"); null when none */
  label: string | null;
  /** the line as in the diff, with its `+`/`-`/` ` prefix kept visible */
  text: string;
}

/** A unified line diff (`lineDiff`) as lines to mark up: colour by class, and the `+`/`-` prefix and a label as text. */
export function diffLines(diff: string | null): DiffLine[] {
  if (!diff) return [];
  const lines = diff.endsWith('\n') ? diff.slice(0, -1).split('\n') : diff.split('\n');
  return lines.map((text): DiffLine => {
    if (text.startsWith('+++ ') || text.startsWith('--- ')) return { kind: 'file', label: null, text };
    if (text.startsWith('@@')) return { kind: 'hunk', label: null, text };
    if (text.startsWith('+')) return { kind: 'added', label: 'diff.added', text };
    if (text.startsWith('-')) return { kind: 'removed', label: 'diff.removed', text };
    return { kind: 'context', label: null, text };
  });
}
