import { safeNext } from './safe-next.js';

describe('safeNext', () => {
  it('keeps local paths', () => {
    expect(safeNext('/staff?page=2')).toBe('/staff?page=2');
    expect(safeNext('/')).toBe('/');
  });

  it('reads dot segments as a browser does', () => {
    expect(safeNext('/policies/../staff?page=2')).toBe('/staff?page=2');
  });

  it.each([
    undefined,
    '',
    'staff',
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '/\tx',
    ['/staff'],
    '/'.padEnd(2001, 'a'),
    '/..//evil.example',
    '/./..//evil.example/path',
    '/a/../..//evil.example',
  ])('sends %p home', (value) => {
    expect(safeNext(value)).toBe('/');
  });
});
