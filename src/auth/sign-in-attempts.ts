import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { deriveKey } from '../common/secrets.js';
import type { AuthConfig, MamoriConfig } from '../config/configuration.js';
import { addressNetwork } from './client-address.js';
import { SignInFailure } from './sign-in-failure.entity.js';

/** From this many consecutive failures of a name from an address, each further attempt must wait. */
export const SLOW_DOWN_FROM = 3;
/** The longest wait between attempts (the delay doubles from 1 s up to this). */
export const MAX_DELAY_MS = 60_000;
/** Failures older than this are forgotten (consecutive failures within a day count), per address and per account. */
export const FAILURE_MEMORY_MS = 24 * 3_600_000;
/** An address (IPv6: its /64) from which an account signed in this recently is its holder's: the account-wide lock does not apply there. */
export const KNOWN_ADDRESS_MS = 90 * 86_400_000;

/** Why an attempt is refused before its password is looked at. */
export type Refusal = { kind: 'locked'; until: Date } | { kind: 'wait'; retryAfterMs: number };

/** What recording one more failure did. */
export interface RecordedFailure {
  failures: number;
  /** set when this failure locked the address out of the name */
  lockedUntil: Date | null;
}

/**
 * The counting of failed sign-ins per (sign-in name, client address): see SignInFailure. An address
 * is counted as its network (`addressNetwork`: IPv4 per address, IPv6 per /64). The methods take the
 * transaction's manager; `hold` locks the row for the rest of the transaction.
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
      .update(`${email}\n${clientAddress === null ? '' : addressNetwork(clientAddress)}`)
      .digest('hex');
  }

  /**
   * The account's failures across addresses that still count (Staff.failedLoginCount): forgotten,
   * like a pair's, once its last failure is older than FAILURE_MEMORY_MS. That time is the newest
   * `last_failed_at` of the account's pairs (every counted failure writes one; only a sign-in or a
   * new password, which reset the count, delete them).
   */
  async accountFailures(manager: EntityManager, staff: { id: string; failedLoginCount: number }, now: Date): Promise<number> {
    if (staff.failedLoginCount === 0) return 0;
    const [row] = (await manager.query('SELECT max(last_failed_at) AS last FROM sign_in_failures WHERE staff_id = $1', [staff.id])) as { last: Date | null }[];
    if (!row?.last || now.getTime() - new Date(row.last).getTime() > FAILURE_MEMORY_MS) return 0;
    return staff.failedLoginCount;
  }

  /** Whether the account signed in from this address (IPv6: this /64) within KNOWN_ADDRESS_MS. */
  async isKnownAddress(manager: EntityManager, staffId: string, clientAddress: string | null, now: Date): Promise<boolean> {
    if (clientAddress === null || isIP(clientAddress) === 0) return false;
    const rows = (await manager.query('SELECT 1 FROM auth_sessions WHERE staff_id = $1 AND client_address <<= $2::inet AND created_at > $3 LIMIT 1', [
      staffId,
      addressNetwork(clientAddress),
      new Date(now.getTime() - KNOWN_ADDRESS_MS),
    ])) as unknown[];
    return rows.length > 0;
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
