import { Injectable, Logger, type CanActivate, type ExecutionContext, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppException } from '../common/errors/app.exception.js';
import type { MamoriConfig } from '../config/configuration.js';
import { addressNetwork, clientAddressOf } from './client-address.js';

/** At most one warning about an unreachable Redis this often. */
const WARN_EVERY_MS = 60_000;

/**
 * A fixed one-minute window per client address (IPv6: per /64) over the sign-in, refresh and password endpoints
 * (AUTH_RATE_LIMIT_PER_MINUTE), against password spraying and floods of the audit trail. Over the
 * limit: 429 problem+json TOO_MANY_REQUESTS with Retry-After (and `retryAfterSeconds`).
 *
 * The counts live in Redis, under QUEUE_PREFIX (`rate-limiter-flexible`'s RateLimiterRedis: one Lua
 * script increments and starts the window atomically), so every web process counts the same hits:
 * behind a proxy with two processes, an address still gets the limit in all, not twice it.
 *
 * When Redis does not answer, the limiter lets the request through (fails open) and says so in the
 * log, at most once a minute: sign-in must keep working during a Redis outage (staff may need it
 * most during an incident), and password guessing stays bounded by the per-address and per-account
 * lock-out, which is counted in PostgreSQL. Commands fail at once while Redis is disconnected (no
 * offline queue) and time out after a second, so a request never hangs on it.
 */
@Injectable()
export class AuthRateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  /** the limiter's own connection (bull's are its own business) */
  readonly redis: Redis;
  private readonly limiter: RateLimiterRedis;
  private lastWarning = 0;

  constructor(config: ConfigService<MamoriConfig, true>) {
    const queue = config.get('queue', { infer: true });
    this.redis = new Redis(queue.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1_000,
      connectTimeout: 2_000,
    });
    this.redis.on('error', (error: Error) => this.warn(`Redis: ${error.message}`));
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${queue.prefix}:auth-rate-limit`,
      points: config.get('auth', { infer: true }).rateLimitPerMinute,
      duration: 60,
      rejectIfRedisNotReady: true,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.redis.connect().catch((error: Error) => this.warn(`Redis not reachable at start: ${error.message}`));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /** Counts one request of the address: null when it may go on, else the seconds to wait. */
  async consume(address: string): Promise<number | null> {
    try {
      await this.limiter.consume(address);
      return null;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      this.warn(`request not rate-limited, Redis did not answer: ${outcome instanceof Error ? outcome.message : String(outcome)}`);
      return null;
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}

/** `@RateLimited()`: counts the request of the client address with AuthRateLimiter; over the limit, 429 with Retry-After. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limiter: AuthRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const address = clientAddressOf(http.getRequest<Request>());
    // an IPv6 host has a whole /64 to pick addresses from: it is counted as one
    const retryAfter = await this.limiter.consume(address === null ? 'unknown' : addressNetwork(address));
    if (retryAfter === null) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new AppException('TOO_MANY_REQUESTS', `Try again in ${retryAfter} s`, undefined, { retryAfterSeconds: retryAfter });
  }
}
