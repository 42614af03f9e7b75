import { lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('is empty for equal texts', () => {
    expect(lineDiff('a\nb', 'a\nb')).toBe('');
  });

  it('shows a changed line with context and hunk header', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10'].join('\n');
    expect(lineDiff(before, after, { from: 'v1', to: 'v2' })).toBe(
      ['--- v1', '+++ v2', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('handles additions at the end and removals at the start', () => {
    const diff = lineDiff('x\na\nb', 'a\nb\nc');
    expect(diff).toContain('-x');
    expect(diff).toContain('+c');
    expect(diff.split('\n').filter((l) => l === ' a' || l === ' b')).toHaveLength(2);
  });
});
