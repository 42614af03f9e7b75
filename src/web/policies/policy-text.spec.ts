import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../database/project-root.js';
import { lineDiff } from '../../policies/line-diff.js';
import { diffLines, isSafeUrl, policyTextFor, renderPolicyMarkdown, splitLanguages } from './policy-text.js';

describe('policy text', () => {
  it('renders Markdown, one heading level down', () => {
    expect(renderPolicyMarkdown('# 方針\n\n1. **情報資産**: 説明')).toBe('<h2>方針</h2>\n<ol>\n<li><strong>情報資産</strong>: 説明</li>\n</ol>\n');
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
