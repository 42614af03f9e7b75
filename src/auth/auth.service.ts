import { createHmac } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as argon2 from 'argon2';
import { IsNull, type FindOptionsSelect } from 'typeorm';
import type { Actor } from '../common/actor.js';
import type { AuthConfig, MamoriConfig } from '../config/configuration.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { AUTH } from './auth.permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { Staff } from '../staff/staff.entity.js';
import { STAFF_COLUMNS_SQL, staffViewOf, type StaffRow } from '../staff/staff-record.js';
import { AccessTokens, type AccessClaims } from './access-tokens.js';
import { AuthSession } from './auth-session.entity.js';
import type { LoginDto, LoginResultDto, TokenPairDto } from './dto/login.dto.js';
import { RefreshToken } from './refresh-token.entity.js';
import { requiresSecondFactor } from '../common/roles.js';
import { preparedQuery } from '../database/prepared.js';
import { deriveKey, randomToken, safeEqual, sha256 } from '../common/secrets.js';
import { SignInAttempts, type Refusal } from './sign-in-attempts.js';
import { SecondFactorService } from './second-factor.service.js';

export type Channel = AuthSession['channel'];

export interface ClientInfo {
  clientAddress: string | null;
  channel: Channel;
}

/** Staff columns sign-in reads, secrets included (they are not selected by default). */
const SIGN_IN_FIELDS: FindOptionsSelect<Staff> = {
  id: true,
  organizationId: true,
  email: true,
  roles: true,
  status: true,
  departmentId: true,
  passwordHash: true,
  totpSecret: true,
  totpConfirmedAt: true,
  totpLastStep: true,
  failedLoginCount: true,
  lockedUntil: true,
};

/** How long a just-used refresh token may come again (parallel requests) without counting as reuse. */
export const REFRESH_REUSE_GRACE_MS = 10_000;

type FailedStep = 'password' | 'second_factor';
type FailureCode = 'INVALID_CREDENTIALS' | 'INVALID_SECOND_FACTOR';

/** One sign-in attempt: the name as typed (lower-cased), its account if any, and where it comes from. */
interface Attempt {
  email: string;
  staffId: string | null;
  /** the (name, address) pair's key in sign_in_failures */
  key: string;
  client: ClientInfo;
}

/** Who tries to sign in with a name that has no account: the audit trail names the name. */
function anonymousActor(organizationId: string, email: string, clientAddress: string | null): Actor {
  return { staffId: null, organizationId, roles: [], departmentId: null, clientAddress, sessionId: null, mfa: false, label: email };
}

function accountLocked(until: Date): AppException {
  return new AppException('ACCOUNT_LOCKED', `Locked until ${until.toISOString()}`, undefined, { lockedUntil: until.toISOString() });
}

/** Too soon after the last failures of this name from this address: 429 with Retry-After (set by the controller from `retryAfterSeconds`). */
function tooSoon(retryAfterSeconds: number): AppException {
  return new AppException('TOO_MANY_REQUESTS', `Several failed sign-ins: wait ${retryAfterSeconds} s before trying again`, undefined, { retryAfterSeconds });
}

export function actorFor(
  staff: Pick<Staff, 'id' | 'organizationId' | 'roles' | 'departmentId' | 'email'>,
  clientAddress: string | null,
  session: Pick<AuthSession, 'id' | 'mfa'> | null,
): Actor {
  return {
    staffId: staff.id,
    organizationId: staff.organizationId,
    roles: staff.roles,
    departmentId: staff.departmentId,
    clientAddress,
    sessionId: session?.id ?? null,
    mfa: session?.mfa ?? false,
    label: staff.email,
  };
}

/**
 * Sign-in, second factor, token rotation and sign-out. Every outcome, failures included, writes its
 * audit-trail row; failures are committed before the error is thrown.
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger(AuthService.name);
  private readonly settings: AuthConfig;
  private readonly successorKey: Buffer;
  /** what the password of a name without an account, or of a locked one, is checked against */
  private dummyHash!: Promise<string>;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: AccessTokens,
    private readonly secondFactor: SecondFactorService,
    private readonly organizations: OrganizationsService,
    private readonly attempts: SignInAttempts,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.settings = config.get('auth', { infer: true });
    this.successorKey = deriveKey(this.settings.secretKey, 'refresh-successor');
  }

  onModuleInit(): void {
    // hashed like every password (same parameters, so a check costs the same), from a secret nobody knows
    this.dummyHash = this.hashPassword(randomToken());
  }

  async login(dto: LoginDto, client: ClientInfo): Promise<LoginResultDto> {
    const email = dto.email.trim().toLowerCase();
    // a name without an account goes through the same steps (counting, delays, lock-out) as one with, at the same cost
    const [staff, home] = await Promise.all([
      this.uow.manager.getRepository(Staff).findOne({ where: { email }, select: SIGN_IN_FIELDS }),
      this.organizations.home(),
    ]);
    if (!staff && !home) {
      await this.verifyPassword(null, dto.password);
      throw new AppException('INVALID_CREDENTIALS');
    }
    const attempt: Attempt = { email, staffId: staff?.id ?? null, key: this.attempts.keyOf(email, client.clientAddress), client };
    const actor = staff ? actorFor(staff, client.clientAddress, null) : anonymousActor(home!.id, email, client.clientAddress);
    // set when the password or the second factor turned out wrong: that failure must be recorded whatever happens next
    const seen: { failed?: { step: FailedStep; code: FailureCode } } = {};
    let outcome: { error?: AppException; result?: LoginResultDto };
    try {
      outcome = await this.uow.run(actor, async (tx) => {
        const current = staff
          ? await tx.manager.getRepository(Staff).findOneOrFail({ where: { id: staff.id }, select: SIGN_IN_FIELDS, lock: { mode: 'pessimistic_write' } })
          : null;
        const pair = await this.attempts.hold(tx.manager, attempt.key);
        const now = new Date();
        // the account-wide lock does not apply where its holder signs in (the pair's own count and lock still do)
        const accountLock =
          current?.lockedUntil && current.lockedUntil > now && !(await this.attempts.isKnownAddress(tx.manager, current.id, client.clientAddress, now))
            ? current.lockedUntil
            : null;
        const refusal: Refusal | null = accountLock ? { kind: 'locked', until: accountLock } : this.attempts.refusal(pair, now);
        if (refusal?.kind === 'wait') {
          // not even looked at: the password is not checked before the wait is over
          const retryAfterSeconds = Math.ceil(refusal.retryAfterMs / 1000);
          await tx.audit({
            action: 'auth.login_refused',
            entityType: 'staff',
            entityId: current?.id ?? null,
            context: { reason: 'too_soon', email, retryAfterSeconds },
          });
          return { error: tooSoon(retryAfterSeconds) };
        }
        if (refusal?.kind === 'locked') {
          await this.verifyPassword(null, dto.password); // costs what a real check costs
          const scope = accountLock ? 'account' : 'address';
          await tx.audit({ action: 'auth.login_refused', entityType: 'staff', entityId: current?.id ?? null, context: { reason: 'locked', scope, email } });
          return { error: accountLocked(refusal.until) };
        }
        const passwordOk = await this.verifyPassword(current?.passwordHash ?? null, dto.password);
        if (!passwordOk || !current) {
          seen.failed = { step: 'password', code: 'INVALID_CREDENTIALS' };
          return { error: await this.recordFailure(tx, current, attempt, 'password', 'INVALID_CREDENTIALS') };
        }
        if (current.status === 'retired') {
          await tx.audit({ action: 'auth.login_refused', entityType: 'staff', entityId: current.id, context: { reason: 'retired', email } });
          return { error: new AppException('ACCOUNT_INACTIVE') };
        }
        const needsSecondFactor = requiresSecondFactor(current.roles) || current.totpConfirmedAt !== null;
        if (!needsSecondFactor) return { result: await this.signIn(tx, current, false, attempt) };
        if (!dto.totp) return { result: await this.secondFactor.prompt(tx, current) };
        const secondFactor = await this.secondFactor.check(tx, current, dto.totp);
        if (!secondFactor.ok) {
          seen.failed = { step: 'second_factor', code: 'INVALID_SECOND_FACTOR' };
          return { error: await this.recordFailure(tx, current, attempt, 'second_factor', 'INVALID_SECOND_FACTOR') };
        }
        const result = await this.signIn(tx, current, true, attempt);
        return { result: secondFactor.recoveryCodes ? { ...result, recoveryCodes: secondFactor.recoveryCodes } : result };
      });
    } catch (error) {
      if (!seen.failed) throw error;
      // the change that recorded the failure did not commit: record it again on its own, then refuse
      throw await this.recordFailureAlone(actor, attempt, seen.failed.step, seen.failed.code, error);
    }
    if (outcome.error) throw outcome.error;
    return outcome.result!;
  }

  /** Exchanges a refresh token for a new pair; presenting a used one after the grace revokes the whole session. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPairDto> {
    const [id, secret] = refreshToken.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw new AppException('INVALID_REFRESH_TOKEN');
    const found = await this.uow.manager.getRepository(RefreshToken).findOne({ where: { id }, relations: { session: { staff: true } } });
    if (!found?.session?.staff || !safeEqual(found.tokenHash, sha256(secret))) throw new AppException('INVALID_REFRESH_TOKEN');
    const staff = found.session.staff;
    const actor = actorFor(staff, client.clientAddress, found.session);
    const outcome = await this.uow.run(actor, async (tx) => {
      const token = await tx.manager.getRepository(RefreshToken).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      const session = await tx.manager.getRepository(AuthSession).findOneByOrFail({ id: token.sessionId });
      const now = new Date();
      // two tabs refreshing at once present the same token within moments: that is not theft, and both get the same new pair
      const concurrent = token.usedAt !== null && token.replacedById !== null && now.getTime() - token.usedAt.getTime() < REFRESH_REUSE_GRACE_MS;
      if (token.usedAt && !concurrent) {
        if (!session.revokedAt) await this.revoke(tx, session, 'refresh_reuse');
        return { error: new AppException('REFRESH_TOKEN_REUSED') };
      }
      if (token.expiresAt <= now || session.revokedAt || session.expiresAt <= now || staff.status === 'retired') {
        return { error: new AppException('INVALID_REFRESH_TOKEN') };
      }
      if (concurrent) {
        const successor = await tx.manager.getRepository(RefreshToken).findOneBy({ id: token.replacedById!, sessionId: session.id });
        if (!successor?.issuedAt) return { error: new AppException('INVALID_REFRESH_TOKEN') };
        const successorSecret = this.successorSecret(secret);
        if (!safeEqual(successor.tokenHash, sha256(successorSecret))) {
          // the successor was made under another SECRET_KEY (rotated within the grace): its pair cannot be made
          // again, and a new one would fork the session. Nothing is issued; the session goes on with the pair
          // already answered (not revoked: within the grace this is the same client, as for an answered pair).
          await tx.audit({ action: 'auth.refresh_refused', entityType: 'auth_session', entityId: session.id, context: { reason: 'successor_mismatch' } });
          return { error: new AppException('REFRESH_TOKEN_REUSED') };
        }
        await tx.audit({ action: 'auth.refresh', entityType: 'auth_session', entityId: session.id, context: { concurrent: true } });
        return { tokens: this.tokenPair(staff, session, successor, successorSecret) };
      }
      const successorSecret = this.successorSecret(secret);
      const tokens = await this.issueTokens(tx, staff, session, successorSecret);
      await tx.manager.update(RefreshToken, { id: token.id }, { usedAt: now, replacedById: tokens.refreshToken.split('.')[0]! });
      await tx.audit({ action: 'auth.refresh', entityType: 'auth_session', entityId: session.id });
      return { tokens };
    });
    if ('error' in outcome && outcome.error) throw outcome.error;
    return outcome.tokens as TokenPairDto;
  }

  async logout(actor: Actor): Promise<void> {
    assertMay(actor, AUTH.own_session);
    if (!actor.sessionId) return;
    await this.uow.run(actor, async (tx) => {
      const session = await tx.manager.getRepository(AuthSession).findOneBy({ id: actor.sessionId!, organizationId: actor.organizationId });
      if (session && !session.revokedAt) await this.revoke(tx, session, 'logout');
    });
  }

  /** Ends every open session of a person (retirement, password change). */
  async revokeAllSessions(tx: Transaction, staffId: string, reason: string): Promise<number> {
    const open = await tx.manager.getRepository(AuthSession).findBy({ staffId, revokedAt: IsNull() });
    for (const session of open) await this.revoke(tx, session, reason);
    return open.length;
  }

  /**
   * Resolves a verified access token to the person behind it; null when the session is over
   * (revoked, expired, the person retired, or a privileged person's session without a second
   * factor). One indexed query, prepared once per connection: it runs on every request, and a
   * revoked session stops working on the next one.
   */
  async actorForToken(claims: AccessClaims, clientAddress: string | null): Promise<Actor | null> {
    const [row] = await preparedQuery<StaffRow & { mfa: boolean }>(
      this.uow.manager.connection,
      `SELECT ${STAFF_COLUMNS_SQL}, a.mfa
         FROM auth_sessions a JOIN staff s ON s.id = a.staff_id LEFT JOIN departments d ON d.id = s.department_id
        WHERE a.id = $1 AND a.staff_id = $2 AND a.revoked_at IS NULL AND a.expires_at > now() AND s.status <> 'retired'`,
      [claims.sid, claims.sub],
    );
    if (!row) return null;
    if (requiresSecondFactor(row.roles) && !row.mfa) return null;
    const person = staffViewOf(row);
    return { ...actorFor({ ...person, organizationId: row.organization_id }, clientAddress, { id: claims.sid, mfa: row.mfa }), person };
  }

  async hashPassword(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.settings.passwordHashing });
  }

  /**
   * Checks a password against a hash, spending one argon2 verification whatever the case: a person
   * without a password yet (null), like a name without an account or a locked one, costs the same
   * as a wrong password, so the time of the answer tells nothing. Null is never a match.
   */
  async verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
    const ok = await argon2.verify(passwordHash ?? (await this.dummyHash), password).catch(() => false);
    return passwordHash !== null && ok;
  }

  /**
   * A wrong password or second factor: one more failure of the name from this address (a delay from
   * the third, the address locked out of the name at LOGIN_MAX_FAILURES) and of the account across
   * addresses (locked at LOGIN_ACCOUNT_MAX_FAILURES, its holder told by e-mail; failures older than
   * FAILURE_MEMORY_MS forgotten). An address the holder signs in from is not refused by the account's lock.
   */
  private async recordFailure(tx: Transaction, staff: Staff | null, attempt: Attempt, step: FailedStep, code: FailureCode): Promise<AppException> {
    const now = new Date();
    // read before this failure is written: the time of the account's previous failure decides whether its count still holds
    const accountFailures = staff ? await this.attempts.accountFailures(tx.manager, staff, now) : 0;
    const pair = await this.attempts.hold(tx.manager, attempt.key);
    const recorded = await this.attempts.fail(tx.manager, attempt.key, pair, staff?.id ?? null, tx.actor.clientAddress, now);
    const reason = staff ? step : 'unknown_email';
    await tx.audit({
      action: 'auth.login_failed',
      entityType: 'staff',
      entityId: staff?.id ?? null,
      context: { reason, email: attempt.email, failures: recorded.failures },
    });
    let lockedUntil = recorded.lockedUntil;
    if (recorded.lockedUntil) {
      await tx.audit({
        action: 'auth.locked',
        entityType: 'staff',
        entityId: staff?.id ?? null,
        before: { lockedUntil: null },
        after: { lockedUntil: recorded.lockedUntil },
        context: { scope: 'address', email: attempt.email },
      });
    }
    if (staff) {
      const failures = accountFailures + 1;
      const lockAccount = failures >= this.settings.accountMaxFailures;
      const accountLockedUntil = lockAccount ? new Date(now.getTime() + this.settings.lockMinutes * 60_000) : null;
      await tx.manager.update(
        Staff,
        { id: staff.id },
        { failedLoginCount: lockAccount ? 0 : failures, ...(lockAccount ? { lockedUntil: accountLockedUntil } : {}) },
      );
      if (lockAccount) {
        await tx.audit({
          action: 'auth.locked',
          entityType: 'staff',
          entityId: staff.id,
          before: { lockedUntil: null },
          after: { lockedUntil: accountLockedUntil },
          context: { scope: 'account', failures },
        });
        await tx.outbox({
          topic: 'auth.account_locked',
          dedupeKey: `account-locked:${staff.id}:${now.toISOString()}`,
          payload: { staffId: staff.id, lockedAt: now.toISOString(), lockedUntil: accountLockedUntil!.toISOString(), clientAddress: tx.actor.clientAddress },
        });
        if (!(await this.attempts.isKnownAddress(tx.manager, staff.id, tx.actor.clientAddress, now))) lockedUntil = accountLockedUntil;
      }
    }
    return lockedUntil ? accountLocked(lockedUntil) : new AppException(code);
  }

  /**
   * Records a failure in a change of its own, when the change that found it could not commit: a
   * failure is always counted, so an error on the way can never be used to guess passwords without
   * a lock-out. Without the client address, in case the address was what failed.
   */
  private async recordFailureAlone(actor: Actor, attempt: Attempt, step: FailedStep, code: FailureCode, cause: unknown): Promise<AppException> {
    this.logger.warn(`sign-in failure recorded on its own after: ${cause instanceof Error ? cause.message : String(cause)}`);
    return this.uow.run({ ...actor, clientAddress: null }, async (tx) => {
      const staff = attempt.staffId
        ? await tx.manager.getRepository(Staff).findOne({ where: { id: attempt.staffId }, select: SIGN_IN_FIELDS, lock: { mode: 'pessimistic_write' } })
        : null;
      return this.recordFailure(tx, staff, attempt, step, code);
    });
  }

  private async signIn(tx: Transaction, staff: Staff, mfa: boolean, attempt: Attempt): Promise<LoginResultDto> {
    const { client } = attempt;
    const now = new Date();
    // from an address its holder uses, while the account is locked for the others: their lock stays until it ends
    const lockedUntil = staff.lockedUntil && staff.lockedUntil > now ? staff.lockedUntil : null;
    await tx.manager.update(Staff, { id: staff.id }, { failedLoginCount: 0, lockedUntil, lastLoginAt: now });
    await this.attempts.forget(tx.manager, attempt.key);
    const session = await tx.manager.getRepository(AuthSession).save({
      organizationId: staff.organizationId,
      staffId: staff.id,
      mfa,
      channel: client.channel,
      clientAddress: client.clientAddress,
      expiresAt: new Date(now.getTime() + this.settings.refreshTokenTtlSeconds * 1000),
      revokedAt: null,
      revokedReason: null,
    });
    await tx.audit({ action: 'auth.login', entityType: 'auth_session', entityId: session.id, after: { staffId: staff.id, mfa, channel: client.channel } });
    return { mfaRequired: false, tokens: await this.issueTokens(tx, staff, session, randomToken()) };
  }

  /** A new refresh token with this secret, and its access token signed at the same moment. */
  private async issueTokens(tx: Transaction, staff: Pick<Staff, 'id' | 'organizationId'>, session: AuthSession, secret: string): Promise<TokenPairDto> {
    const token = await tx.manager.getRepository(RefreshToken).save({
      organizationId: staff.organizationId,
      sessionId: session.id,
      tokenHash: sha256(secret),
      expiresAt: session.expiresAt,
      usedAt: null,
      issuedAt: new Date(),
      replacedById: null,
    });
    return this.tokenPair(staff, session, token, secret);
  }

  /** The pair of a refresh token: the same token and secret always give the same pair. */
  private tokenPair(staff: Pick<Staff, 'id' | 'organizationId'>, session: AuthSession, token: RefreshToken, secret: string): TokenPairDto {
    const claims: AccessClaims = { sub: staff.id, org: staff.organizationId, sid: session.id };
    const accessToken = this.tokens.sign(claims, token.issuedAt ?? new Date());
    return { accessToken, refreshToken: `${token.id}.${secret}`, tokenType: 'Bearer', expiresIn: this.settings.accessTokenTtlSeconds };
  }

  /** The secret of the token a refresh token is exchanged for: derived from its own, so it is never stored. */
  private successorSecret(secret: string): string {
    return createHmac('sha256', this.successorKey).update(secret).digest('base64url');
  }

  private async revoke(tx: Transaction, session: AuthSession, reason: string): Promise<void> {
    const revokedAt = new Date();
    await tx.manager.update(AuthSession, { id: session.id }, { revokedAt, revokedReason: reason });
    await tx.audit({
      action: 'auth.session_revoked',
      entityType: 'auth_session',
      entityId: session.id,
      before: { revokedAt: null },
      after: { revokedAt, revokedReason: reason },
    });
  }
}
