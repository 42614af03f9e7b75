import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { AppException } from '../common/errors/app.exception.js';
import type { MamoriConfig } from '../config/configuration.js';
import { clientAddressOf } from './client-address.js';

const WINDOW_MS = 60_000;
/** how many addresses are remembered before old windows are swept */
const SWEEP_AT = 10_000;

/**
 * A fixed one-minute window per client address over the sign-in, refresh and password endpoints
 * (AUTH_RATE_LIMIT_PER_MINUTE), against password spraying and floods of the audit trail. Over the
 * limit: 429 problem+json with Retry-After. The count lives in this process: with several web
 * processes, each allows the limit.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limit: number;
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.limit = config.get('auth', { infer: true }).rateLimitPerMinute;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const address = clientAddressOf(http.getRequest<Request>()) ?? 'unknown';
    const now = Date.now();
    if (this.windows.size > SWEEP_AT) this.sweep(now);
    let window = this.windows.get(address);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(address, window);
    }
    window.count++;
    if (window.count <= this.limit) return true;
    const retryAfter = Math.ceil((window.startedAt + WINDOW_MS - now) / 1000);
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new AppException('TOO_MANY_REQUESTS', `Try again in ${retryAfter} s`, undefined, { retryAfterSeconds: retryAfter });
  }

  private sweep(now: number): void {
    for (const [address, window] of this.windows) if (now - window.startedAt >= WINDOW_MS) this.windows.delete(address);
  }
}
