import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../database/project-root.js';
import { lineDiff } from '../../policies/line-diff.js';
import { diffLines, isSafeUrl, joinJapaneseLines, policyTextFor, renderPolicyMarkdown, splitLanguages } from './policy-text.js';

describe('policy text', () => {
  it('renders Markdown, one heading level down', () => {
    expect(renderPolicyMarkdown('# 方針\n\n1. **情報資産**: 説明')).toBe('<h2>方針</h2>\n<ol>\n<li><strong>情報資産</strong>: 説明</li>\n</ol>\n');
  });

  it('joins Japanese lines broken inside a sentence without a space, and keeps the space in English', () => {
    expect(renderPolicyMarkdown('職員は、情報資産を\n適切に管理しなければならない。')).toBe('<p>職員は、情報資産を適切に管理しなければならない。</p>\n');
    expect(renderPolicyMarkdown('The staff shall\nprotect information.')).toBe('<p>The staff shall\nprotect information.</p>\n');
    // across inline markup, in list items, and after full-width punctuation
    expect(renderPolicyMarkdown('**重要な**\n情報と[規程](/policies)\nに従う。')).toBe(
      '<p><strong>重要な</strong>情報と<a href="/policies">規程</a>に従う。</p>\n',
    );
    expect(renderPolicyMarkdown('- 項目の\n  続き（注）\n  です')).toBe('<ul>\n<li>項目の続き（注）です</li>\n</ul>\n');
    // Japanese next to English keeps the break (shown as a space), as do block boundaries and code blocks
    expect(renderPolicyMarkdown('ISO/IEC 27001に\nbased')).toContain('に\nbased');
    expect(renderPolicyMarkdown('ISO/IEC\n27001に基づく')).toContain('IEC\n27001');
    expect(renderPolicyMarkdown('```\n一行目\n二行目\n```')).toBe('<pre><code>一行目\n二行目\n</code></pre>\n');
    expect(joinJapaneseLines('<p>段落。</p>\n<p>次の段落</p>')).toBe('<p>段落。</p>\n<p>次の段落</p>');
  });

  it('leaves no soft line break between Japanese characters in the shipped policies', () => {
    for (const file of ['basic-policy.md', 'standards.md']) {
      const body = readFileSync(join(projectRoot(), 'policies', file), 'utf8').replace(/^---[\s\S]*?\n---\n/, '');
      // the text of each paragraph and list item, without its inline markup
      const text = [...policyTextFor(body, 'ja').html.matchAll(/<(p|li)>([\s\S]*?)<\/\1>/g)].map((m) => m[2]!.replace(/<[^>]+>/g, '')).join('\n\n');
      expect(text.length).toBeGreaterThan(500);
      expect(text).not.toMatch(
        /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}、。）」][ \t]*\n[ \t]*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}（「]/u,
      );
    }
  });

  it('drops HTML comments and shows any other raw HTML as text', () => {
    const html = renderPolicyMarkdown('前\n\n<!-- 未確認 -->\n\n本文 <!-- inline --> と <script>alert(1)</script>\n\n<div onclick="x()">block</div>\n');
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('未確認');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<div');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;');
  });

  it('keeps only safe link targets', () => {
    expect(renderPolicyMarkdown('[a](javascript:alert(1)) [b](https://example.jp/) [c](/controls)')).toBe(
      '<p>a <a href="https://example.jp/">b</a> <a href="/controls">c</a></p>\n',
    );
    expect(isSafeUrl('data:text/html,x')).toBe(false);
    expect(isSafeUrl('//evil.example/')).toBe(false);
  });

  it('splits the body at its "## English" heading and picks the reader\'s language', () => {
    const body = '# 方針\n\n日本語の本文\n\n## English\n\nEnglish text\n';
    expect(splitLanguages(body)).toEqual({ ja: '# 方針\n\n日本語の本文', en: 'English text' });
    expect(policyTextFor(body, 'ja')).toMatchObject({ lang: 'ja', fallback: false, html: expect.stringContaining('日本語の本文') });
    expect(policyTextFor(body, 'ja').html).not.toContain('English text');
    expect(policyTextFor(body, 'en')).toEqual({ lang: 'en', fallback: false, html: '<p>English text</p>\n' });
    expect(policyTextFor('# 方針のみ', 'en')).toMatchObject({ lang: 'ja', fallback: true });
  });

  it('renders the shipped policies without raw HTML', () => {
    for (const file of ['basic-policy.md', 'standards.md']) {
      const body = readFileSync(join(projectRoot(), 'policies', file), 'utf8').replace(/^---[\s\S]*?\n---\n/, '');
      for (const locale of ['ja', 'en'] as const) {
        const { html, lang } = policyTextFor(body, locale);
        expect(lang).toBe(locale);
        expect(html).not.toMatch(/<!--|&lt;!--/);
      }
    }
  });

  it('marks up a diff line by line, keeping the +/- prefix as text', () => {
    const lines = diffLines(lineDiff('a\nb\nc', 'a\nB\nc', { from: 'v1', to: 'v2' }));
    expect(lines).toEqual([
      { kind: 'file', label: null, text: '--- v1' },
      { kind: 'file', label: null, text: '+++ v2' },
      { kind: 'hunk', label: null, text: '@@ -1,3 +1,3 @@' },
      { kind: 'context', label: null, text: ' a' },
      { kind: 'removed', label: 'diff.removed', text: '-b' },
      { kind: 'added', label: 'diff.added', text: '+B' },
      { kind: 'context', label: null, text: ' c' },
    ]);
    expect(diffLines(null)).toEqual([]);
  });
});
