import { safeNext } from './safe-next.js';

describe('safeNext', () => {
  it('keeps local paths', () => {
    expect(safeNext('/staff?page=2')).toBe('/staff?page=2');
    expect(safeNext('/')).toBe('/');
  });

  it.each([undefined, '', 'staff', 'https://evil.example/', '//evil.example/', '/\\evil.example', '/\tx', ['/staff'], '/'.padEnd(2001, 'a')])(
    'sends %p home',
    (value) => {
      expect(safeNext(value)).toBe('/');
    },
  );
});
