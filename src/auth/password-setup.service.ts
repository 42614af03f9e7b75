import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { Staff } from '../staff/staff.entity.js';
import { AUTH } from './auth.permissions.js';
import { actorFor, AuthService } from './auth.service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './dto/password-setup.dto.js';
import { PasswordToken, type PasswordTokenPurpose } from './password-token.entity.js';
import { SignInAttempts } from './sign-in-attempts.js';
import { randomToken, safeEqual, sha256 } from '../common/secrets.js';

export const INVITATION_TTL_HOURS = 72;
export const RESET_TTL_HOURS = 2;
/** A reset link asked for again within the same minute is not sent again (the first one still works). */
const RESET_RESEND_INTERVAL_MS = 60_000;

/** `<uuid>.<randomToken()>` */
const TOKEN_FORMAT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export interface IssuedPasswordLink {
  /** `${PUBLIC_URL}/password/set?token=<id>.<secret>`: only ever sent by e-mail */
  url: string;
  expiresAt: Date;
  tokenId: string;
}

/**
 * One-time links to set a password: invitations (sent by an administrator, or with the welcome
 * e-mail) and resets (asked for by the person). A request writes the intent to the outbox
 * (`auth.password_link {staffId, purpose}`); the link itself is made when the e-mail is sent
 * (`PasswordLinkMail`). Secrets are stored as SHA-256 only, and only ever travel by e-mail.
 */
@Injectable()
export class PasswordSetupService {
  private readonly publicUrl: string;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly auth: AuthService,
    private readonly attempts: SignInAttempts,
    private readonly organizations: OrganizationsService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  /**
   * Inside a running change: ends the person's earlier unused links and makes a new one. Called by
   * the e-mail that carries it (`PasswordLinkMail`); the link must never reach an API client.
   */
  async issue(
    tx: Transaction,
    staff: Pick<Staff, 'id' | 'organizationId' | 'email'>,
    purpose: PasswordTokenPurpose,
    ttlHours = INVITATION_TTL_HOURS,
  ): Promise<IssuedPasswordLink> {
    // one link issued at a time per person: a concurrent issue waits here, then supersedes this one
    await tx.manager.getRepository(Staff).findOne({ where: { id: staff.id }, select: { id: true }, lock: { mode: 'pessimistic_write' } });
    const now = new Date();
    const superseded = await tx.manager.getRepository(PasswordToken).update({ staffId: staff.id, usedAt: IsNull() }, { usedAt: now });
    const secret = randomToken();
    const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
    const token = await tx.create(
      PasswordToken,
      { staffId: staff.id, purpose, tokenHash: sha256(secret), expiresAt, usedAt: null },
      {
        action: 'password_token.create',
        entityType: 'password_token',
        omit: ['tokenHash'],
        context: { email: staff.email, superseded: superseded.affected ?? 0 },
      },
    );
    return { url: `${this.publicUrl}/password/set?token=${token.id}.${secret}`, expiresAt, tokenId: token.id };
  }

  /**
   * Inside a running change: asks for the e-mail with a password link. Returns when the link will
   * expire if the mail goes out now.
   */
  async requestLink(tx: Transaction, staff: Pick<Staff, 'id'>, purpose: PasswordTokenPurpose, dedupeKey: string): Promise<{ expiresAt: Date }> {
    await tx.outbox({ topic: 'auth.password_link', dedupeKey, payload: { staffId: staff.id, purpose } });
    const hours = purpose === 'reset' ? RESET_TTL_HOURS : INVITATION_TTL_HOURS;
    return { expiresAt: new Date(Date.now() + hours * 3_600_000) };
  }

  /**
   * Inside a running change: the same e-mails for many people at once (an HR import's new staff),
   * one outbox row each with the dedupe key `dedupeKeyOf` gives, written in bulk.
   */
  async requestLinks(tx: Transaction, staffIds: readonly string[], purpose: PasswordTokenPurpose, dedupeKeyOf: (staffId: string) => string): Promise<number> {
    return tx.outbox(staffIds.map((staffId) => ({ topic: 'auth.password_link' as const, dedupeKey: dedupeKeyOf(staffId), payload: { staffId, purpose } })));
  }

  /** An administrator sends a person the link to set their password. */
  async invite(actor: Actor, staffId: string): Promise<{ expiresAt: Date }> {
    assertMay(actor, AUTH.invite);
    return this.uow.run(actor, async (tx) => {
      const staff = await tx.manager.getRepository(Staff).findOneBy({ id: staffId, organizationId: actor.organizationId });
      if (!staff) throw new AppException('STAFF_NOT_FOUND');
      if (staff.status === 'retired') throw new AppException('ACCOUNT_RETIRED');
      tx.audit({ action: 'staff.invitation_requested', entityType: 'staff', entityId: staff.id, context: { email: staff.email } });
      return this.requestLink(tx, staff, 'invitation', `invitation:${randomUUID()}`);
    });
  }

  /**
   * "Forgot password": writes the request to the outbox, the same row at the same cost whether the
   * address has an account or not (PasswordResetMail decides when the mail goes out: a known,
   * non-retired person gets the reset link). At most one request per address and minute goes
   * through (the dedupe key names the minute). The caller answers the same whatever happened here,
   * so neither the answer nor its time tells which addresses have an account.
   */
  async requestReset(email: string, clientAddress: string | null): Promise<void> {
    const address = email.trim().toLowerCase();
    const [staff, home] = await Promise.all([
      this.uow.manager.getRepository(Staff).findOne({ where: { email: address }, select: { id: true, organizationId: true } }),
      this.organizations.home(),
    ]);
    const organizationId = staff?.organizationId ?? home?.id;
    if (!organizationId) return;
    const actor: Actor = { staffId: null, organizationId, roles: [], departmentId: null, clientAddress, sessionId: null, mfa: false, label: address };
    const minute = Math.floor(Date.now() / RESET_RESEND_INTERVAL_MS);
    await this.uow.run(actor, async (tx) => {
      tx.audit({ action: 'staff.password_reset_requested', entityType: 'staff', entityId: staff?.id ?? null, context: { email: address } });
      await tx.outbox({
        topic: 'auth.password_reset_requested',
        dedupeKey: `password-reset:${sha256(address)}:${minute}`,
        payload: { email: address, clientAddress },
      });
    });
  }

  /** Whether a link still works (for the page that shows the form; does not use it up). */
  async isUsable(token: string): Promise<boolean> {
    return (await this.find(token)) !== null;
  }

  /**
   * Sets the password of the link's person and uses the link up: unlocks the account and ends every
   * session the person had.
   */
  async setPassword(token: string, password: string, clientAddress: string | null): Promise<void> {
    if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
      throw new AppException('VALIDATION_FAILED', `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`, [
        { field: 'password', messages: [`must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`] },
      ]);
    }
    const found = await this.find(token);
    if (!found) throw invalidToken();
    const passwordHash = await this.auth.hashPassword(password);
    const staff = await this.uow.manager.getRepository(Staff).findOneByOrFail({ id: found.token.staffId });
    await this.uow.run(actorFor(staff, clientAddress, null), async (tx) => {
      // checked again under lock: two uses of one link, only one wins
      const current = await tx.manager.getRepository(PasswordToken).findOne({ where: { id: found.token.id }, lock: { mode: 'pessimistic_write' } });
      if (!current || !usable(current, found.secret)) throw invalidToken();
      const person = await tx.manager.getRepository(Staff).findOneOrFail({
        where: { id: current.staffId },
        select: { id: true, status: true, passwordHash: true, failedLoginCount: true, lockedUntil: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (person.status === 'retired') throw invalidToken();
      const now = new Date();
      await tx.manager.update(Staff, { id: person.id }, { passwordHash, failedLoginCount: 0, lockedUntil: null });
      await this.attempts.forgetAccount(tx.manager, person.id);
      await tx.manager.update(PasswordToken, { id: current.id }, { usedAt: now });
      await tx.manager.getRepository(PasswordToken).update({ staffId: person.id, usedAt: IsNull() }, { usedAt: now });
      const sessionsRevoked = await this.auth.revokeAllSessions(tx, person.id, 'password_set');
      await tx.audit({
        action: 'staff.password_set',
        entityType: 'staff',
        entityId: person.id,
        before: { passwordSet: person.passwordHash !== null, failedLoginCount: person.failedLoginCount, lockedUntil: person.lockedUntil },
        after: { passwordSet: true, failedLoginCount: 0, lockedUntil: null },
        context: { purpose: current.purpose, passwordTokenId: current.id, sessionsRevoked },
      });
    });
  }

  /** The link's token when it exists, matches, is unused and unexpired, and its person has not retired. */
  private async find(token: string): Promise<{ token: PasswordToken; secret: string } | null> {
    const match = typeof token === 'string' ? TOKEN_FORMAT.exec(token) : null;
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const found = await this.uow.manager.getRepository(PasswordToken).findOne({ where: { id }, relations: { staff: true } });
    if (!found || !usable(found, secret) || found.staff?.status === 'retired') return null;
    return { token: found, secret };
  }
}

function usable(token: PasswordToken, secret: string): boolean {
  return safeEqual(sha256(secret), token.tokenHash) && token.usedAt === null && token.expiresAt > new Date();
}

function invalidToken(): AppException {
  return new AppException('PASSWORD_TOKEN_INVALID', undefined, [{ field: 'token', messages: ['the link is invalid, already used or expired'] }]);
}
