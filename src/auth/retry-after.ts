import type { Response } from 'express';
import { AppException } from '../common/errors/app.exception.js';

/** Runs `work`; a refusal that says how long to wait (`retryAfterSeconds`) also sets Retry-After. */
export async function withRetryAfter<T>(res: Response, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const seconds = error instanceof AppException ? error.extra?.retryAfterSeconds : undefined;
    if (typeof seconds === 'number' && !res.headersSent) res.setHeader('Retry-After', String(seconds));
    throw error;
  }
}
