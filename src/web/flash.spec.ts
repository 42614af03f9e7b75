import type { Request, Response } from 'express';
import { flash, FLASH_COOKIE, takeFlash } from './flash.js';

/** Just enough of express's response to set and clear the flash cookie. */
function fakeResponse(): Response & { cookies: Record<string, string> } {
  const cookies: Record<string, string> = {};
  return {
    cookies,
    statusCode: 200,
    cookie: (name: string, value: string) => void (cookies[name] = value),
    clearCookie: (name: string) => void delete cookies[name],
  } as unknown as Response & { cookies: Record<string, string> };
}

const requestWith = (value: string) => ({ cookies: { [FLASH_COOKIE]: value } }) as unknown as Request;

describe('flash messages', () => {
  it('carry a notice key and, where the message names them, counts', () => {
    const res = fakeResponse();
    flash(res, 'notice.remindersSent', { sent: 3, already: 1 });
    expect(res.cookies[FLASH_COOKIE]).toBe('notice.remindersSent|sent=3|already=1');
    expect(takeFlash(requestWith(res.cookies[FLASH_COOKIE]!), fakeResponse(), () => true)).toEqual({
      key: 'notice.remindersSent',
      values: { sent: '3', already: '1' },
    });
    expect(takeFlash(requestWith('notice.acknowledged'), fakeResponse(), () => true)).toEqual({ key: 'notice.acknowledged', values: {} });
  });

  it('show nothing a visitor wrote: an unknown key, text for a count, or anything else is dropped', () => {
    expect(takeFlash(requestWith('notice.remindersSent'), fakeResponse(), () => false)).toBeNull();
    expect(takeFlash(requestWith('notice.remindersSent|sent=<b>3</b>'), fakeResponse(), () => true)).toBeNull();
    expect(takeFlash(requestWith('notice.remindersSent|sent=-1'), fakeResponse(), () => true)).toBeNull();
    expect(takeFlash(requestWith('error.FORBIDDEN'), fakeResponse(), () => true)).toBeNull();
    expect(() => flash(fakeResponse(), 'notice.x', { 'bad name': 1 })).toThrow(/not a notice/);
  });
});
