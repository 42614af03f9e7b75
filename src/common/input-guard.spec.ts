import { AppException } from './errors/app.exception.js';
import { BodyRefused, InputGuardPipe, MAX_JSON_DEPTH, findBadInput, jsonDepthExceeds, verifyJsonDepth } from './input-guard.js';

describe('the input guard', () => {
  it('names every string with a NUL or a lone surrogate by its path, field names included', () => {
    const body = JSON.parse('{"title":"a\\u0000b","items":[{"name":"ok"},{"name":"x"},{"name":"\\ud800"}],"ok":"日本語 😀","\\udc00":1}') as unknown;
    expect(findBadInput(body)).toEqual([
      { field: 'title', messages: ['must not contain a NUL character'] },
      { field: 'items[2].name', messages: ['must be valid Unicode text (no lone surrogates)'] },
      { field: '\\udc00', messages: ['field name must be valid Unicode text (no lone surrogates)'] },
    ]);
    expect(findBadInput('\u0000', 'q')).toEqual([{ field: 'q', messages: ['must not contain a NUL character'] }]);
    expect(findBadInput({ emoji: '😀', pair: '\uD83D\uDE00', kana: 'ｱ', empty: '', n: 1, b: true, z: null })).toEqual([]);
  });

  it('walks any depth without recursion, and refuses nesting deeper than the limit', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(findBadInput(value)).toEqual([
      { field: `body${'[0]'.repeat(MAX_JSON_DEPTH)}`.replace(/^body/, ''), messages: [`must not be nested deeper than ${MAX_JSON_DEPTH} levels`] },
    ]);
  });

  it('measures the depth of a JSON text on its bytes, strings skipped', () => {
    expect(jsonDepthExceeds(Buffer.from(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`))).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`))).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(JSON.stringify({ text: '['.repeat(10_000), quote: '\\"[[[[' })))).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`))).toBe(true);
    expect(() => verifyJsonDepth({} as never, {}, Buffer.from('['.repeat(100)))).toThrow(BodyRefused);
  });

  it('refuses as VALIDATION_FAILED, for bodies, queries and uploaded file names', () => {
    const pipe = new InputGuardPipe();
    expect(pipe.transform({ a: 'ok' }, { type: 'body' })).toEqual({ a: 'ok' });
    const refusal = (run: () => unknown): AppException => {
      try {
        run();
      } catch (error) {
        return error as AppException;
      }
      throw new Error('not refused');
    };
    expect(refusal(() => pipe.transform({ q: 'a\u0000' }, { type: 'query' }))).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'q' }] });
    expect(refusal(() => pipe.transform('a\u0000', { type: 'query', data: 'q' }))).toMatchObject({ errors: [{ field: 'q' }] });
    const file = { fieldname: 'file', originalname: 'log\u0000.txt', buffer: Buffer.from('x') };
    expect(refusal(() => pipe.transform(file, { type: 'custom' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'file', messages: ['file name must not contain a NUL character'] }],
    });
    expect(pipe.transform({ staffId: 'x\u0000' }, { type: 'custom' })).toEqual({ staffId: 'x\u0000' }); // not input: the actor and the like
  });
});
