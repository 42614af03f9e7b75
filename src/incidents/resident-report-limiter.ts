import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { addressNetwork } from '../auth/client-address.js';
import type { MamoriConfig } from '../config/configuration.js';

/** At most one warning about an unreachable Redis this often. */
const WARN_EVERY_MS = 60_000;
const ONE_HOUR_S = 3_600;

/**
 * How many reports the public page takes from one client address (IPv6: per /64) in an hour
 * (RESIDENT_REPORTS_PER_HOUR, default 5): a fixed one-hour window counted in Redis under
 * QUEUE_PREFIX (rate-limiter-flexible's RateLimiterRedis, as the sign-in limit), so every web
 * process counts the same reports. A retried submission that made nothing new is given its point
 * back.
 *
 * When Redis does not answer, the report goes through (fails open) and the log says so at most once
 * a minute: a resident's report of a defaced page must not be lost to an outage of the counter.
 */
@Injectable()
export class ResidentReportLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ResidentReportLimit');
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
      keyPrefix: `${queue.prefix}:resident-report-limit`,
      points: config.get('incidents', { infer: true }).residentReportsPerHour,
      duration: ONE_HOUR_S,
      rejectIfRedisNotReady: true,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.redis.connect().catch((error: Error) => this.warn(`Redis not reachable at start: ${error.message}`));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /** What is counted for a client address: the address, an IPv6 address's /64, or `unknown`. */
  static keyOf(address: string | null): string {
    return address === null ? 'unknown' : addressNetwork(address);
  }

  /** Counts one report of the address: null when it may go on, else the seconds to wait. */
  async consume(address: string | null): Promise<number | null> {
    try {
      await this.limiter.consume(ResidentReportLimiter.keyOf(address));
      return null;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      this.warn(`resident report not rate-limited, Redis did not answer: ${outcome instanceof Error ? outcome.message : String(outcome)}`);
      return null;
    }
  }

  /** Gives the point back (a retried submission that made nothing new). */
  async refund(address: string | null): Promise<void> {
    await this.limiter.reward(ResidentReportLimiter.keyOf(address), 1).catch(() => undefined);
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}
