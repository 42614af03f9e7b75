import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { deriveKey } from '../common/secrets.js';
import type { AuthConfig, MamoriConfig } from '../config/configuration.js';
import { SignInFailure } from './sign-in-failure.entity.js';

/** From this many consecutive failures of a name from an address, each further attempt must wait. */
export const SLOW_DOWN_FROM = 3;
/** The longest wait between attempts (the delay doubles from 1 s up to this). */
export const MAX_DELAY_MS = 60_000;
/** Failures older than this are forgotten (consecutive failures within a day count). */
export const FAILURE_MEMORY_MS = 24 * 3_600_000;

/** Why an attempt is refused before its password is looked at. */
export type Refusal = { kind: 'locked'; until: Date } | { kind: 'wait'; retryAfterMs: number };

/** What recording one more failure did. */
export interface RecordedFailure {
  failures: number;
  /** set when this failure locked the address out of the name */
  lockedUntil: Date | null;
}

/**
 * The counting of failed sign-ins per (sign-in name, client address): see SignInFailure. The
 * methods take the transaction's manager; `hold` locks the row for the rest of the transaction.
 */
@Injectable()
export class SignInAttempts {
  private readonly key: Buffer;
  private readonly settings: AuthConfig;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.settings = config.get('auth', { infer: true });
    this.key = deriveKey(this.settings.secretKey, 'sign-in-failures');
  }

  keyOf(email: string, clientAddress: string | null): string {
    return createHmac('sha256', this.key)
      .update(`${email}\n${clientAddress ?? ''}`)
      .digest('hex');
  }

  /** The row of the pair, locked until the transaction ends; null when it has no failures on record. */
  async hold(manager: EntityManager, key: string): Promise<SignInFailure | null> {
    return manager.getRepository(SignInFailure).findOne({ where: { key }, lock: { mode: 'pessimistic_write' } });
  }

  /** The failures that still count at `now`. */
  failuresOf(row: SignInFailure | null, now: Date): number {
    if (!row || now.getTime() - row.lastFailedAt.getTime() > FAILURE_MEMORY_MS) return 0;
    return row.failures;
  }

  /** Whether the pair may try now: locked out, or too soon after the last failure; null when it may. */
  refusal(row: SignInFailure | null, now: Date): Refusal | null {
    if (!row) return null;
    if (row.lockedUntil && row.lockedUntil > now) return { kind: 'locked', until: row.lockedUntil };
    const failures = this.failuresOf(row, now);
    if (failures < SLOW_DOWN_FROM) return null;
    const delay = Math.min(1000 * 2 ** (failures - SLOW_DOWN_FROM), MAX_DELAY_MS);
    const retryAfterMs = row.lastFailedAt.getTime() + delay - now.getTime();
    return retryAfterMs > 0 ? { kind: 'wait', retryAfterMs } : null;
  }

  /** One more failure of the pair; at LOGIN_MAX_FAILURES the address is locked out of the name (and counting starts again). */
  async fail(
    manager: EntityManager,
    key: string,
    row: SignInFailure | null,
    staffId: string | null,
    clientAddress: string | null,
    now: Date,
  ): Promise<RecordedFailure> {
    const failures = this.failuresOf(row, now) + 1;
    const lock = failures >= this.settings.maxFailures;
    const lockedUntil = lock ? new Date(now.getTime() + this.settings.lockMinutes * 60_000) : null;
    await manager
      .createQueryBuilder()
      .insert()
      .into(SignInFailure)
      .values({ key, staffId, clientAddress, failures: lock ? 0 : failures, lastFailedAt: now, lockedUntil })
      .orUpdate(['staff_id', 'client_address', 'failures', 'last_failed_at', 'locked_until'], ['key'])
      .updateEntity(false)
      .execute();
    return { failures, lockedUntil };
  }

  /** A successful sign-in from the address: its failures are forgotten. */
  async forget(manager: EntityManager, key: string): Promise<void> {
    await manager.delete(SignInFailure, { key });
  }

  /** A new password: every address's failures of the account are forgotten. */
  async forgetAccount(manager: EntityManager, staffId: string): Promise<void> {
    await manager.delete(SignInFailure, { staffId });
  }
}
