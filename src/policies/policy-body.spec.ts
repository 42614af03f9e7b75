import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../database/project-root.js';
import { composeBody, diffBaseVersion, sameText, splitLanguages, versionDiff } from './policy-body.js';

const shippedBody = (file: string): string => readFileSync(join(projectRoot(), 'policies', file), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');

describe('policy bodies in two languages', () => {
  it.each(['basic-policy.md', 'standards.md'])('puts the shipped %s back together exactly from its two languages', (file) => {
    const body = shippedBody(file);
    const { ja, en } = splitLanguages(body);
    expect(en).not.toBeNull();
    expect(composeBody(ja, en)).toBe(body);
  });

  it('leaves out the English heading when there is no English text, and normalises line ends', () => {
    expect(composeBody('# 方針\r\n\r\n本文\r\n', '')).toBe('\n# 方針\n\n本文\n');
    expect(composeBody('# 方針', null)).toBe('\n# 方針\n');
    expect(composeBody('# 方針', ' Policy text \n')).toBe('\n# 方針\n\n## English\n\nPolicy text\n');
  });

  it('compares the texts of both languages, whitespace around them aside', () => {
    expect(sameText('\n# 方針\n\n## English\n\nText\n', '# 方針\n\n\n## English\nText')).toBe(true);
    expect(sameText('# 方針\n\n## English\n\nText', '# 方針\n\n## English\n\nOther')).toBe(false);
    expect(sameText('# 方針', '# 方針\n\n## English\n\nText')).toBe(false);
  });

  it('diffs front matter and body, and reads back the version compared with', () => {
    const fm = { id: 'standards', title: '対策基準' };
    const diff = versionDiff('standards', { version: 2, frontMatter: fm, body: '\n一\n二\n' }, { version: 3, frontMatter: fm, body: '\n一\n三\n' });
    expect(diff).toContain('--- standards v2\n+++ standards v3\n');
    expect(diff).toContain('-二\n+三\n');
    expect(diffBaseVersion(diff)).toBe(2);
    expect(diffBaseVersion(null)).toBeNull();
  });
});
