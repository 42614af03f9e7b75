import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IsNull, MoreThan } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { EmailPayload } from '../outbox/outbox-topics.js';
import { Staff } from '../staff/staff.entity.js';
import { actorFor, AuthService } from './auth.service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './dto/password-setup.dto.js';
import { PasswordToken, type PasswordTokenPurpose } from './password-token.entity.js';
import { randomToken, safeEqual, sha256 } from './secrets.js';

export const INVITATION_TTL_HOURS = 72;
export const RESET_TTL_HOURS = 2;
/** A reset link asked for again within this time is not sent again (the first one still works). */
const RESET_RESEND_INTERVAL_MS = 60_000;

/** `<uuid>.<randomToken()>` */
const TOKEN_FORMAT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export interface IssuedPasswordLink {
  /** `${PUBLIC_URL}/password/set?token=<id>.<secret>`: only ever sent by e-mail */
  url: string;
  expiresAt: Date;
  tokenId: string;
}

type Addressee = Pick<Staff, 'email' | 'familyName' | 'givenName'>;

const DATE_FORMATS = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }),
};

/** The e-mail carrying a password link, in Japanese then English. */
export function passwordLinkEmail(purpose: PasswordTokenPurpose, person: Addressee, link: Pick<IssuedPasswordLink, 'url' | 'expiresAt'>): EmailPayload {
  const ja = DATE_FORMATS.ja.format(link.expiresAt);
  const en = DATE_FORMATS.en.format(link.expiresAt);
  const invitation = purpose === 'invitation';
  const subject = invitation
    ? '【Mamori】パスワードを設定してください / Set your Mamori password'
    : '【Mamori】パスワードの再設定 / Reset your Mamori password';
  const jaBody = invitation
    ? '情報セキュリティ管理システム Mamori のアカウントのパスワードを設定してください。\n次のリンクを開き、12文字以上のパスワードを決めてください。'
    : 'パスワードの再設定を受け付けました。\n次のリンクを開き、新しいパスワード（12文字以上）を決めてください。';
  const enBody = invitation
    ? 'Please set the password of your Mamori account.\nOpen the link below and choose a password of at least 12 characters.'
    : 'We received a request to reset your password.\nOpen the link below and choose a new password of at least 12 characters.';
  const text = [
    `${person.familyName} ${person.givenName} 様`,
    '',
    jaBody,
    link.url,
    `このリンクは一度だけ使えます。有効期限：${ja}（日本時間）`,
    '心当たりがない場合は、このメールを破棄し、情報セキュリティ担当にお知らせください。',
    '',
    '----',
    '',
    `Dear ${person.givenName} ${person.familyName},`,
    '',
    enBody,
    link.url,
    `The link works once and expires on ${en} (Japan time).`,
    'If you did not expect this e-mail, ignore it and tell your information security office.',
  ].join('\n');
  return { to: person.email, subject, text };
}

/**
 * One-time links to set a password: invitations (sent by an administrator, or with the welcome
 * e-mail) and resets (asked for by the person). Secrets are stored as SHA-256 only, and only ever
 * travel by e-mail.
 */
@Injectable()
export class PasswordSetupService {
  private readonly publicUrl: string;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly auth: AuthService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  /**
   * Inside a running change: ends the person's earlier unused links and makes a new one. The caller
   * sends it (see `passwordLinkEmail`); the link itself must never be returned to an API client.
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
    const token = await tx.manager.getRepository(PasswordToken).save({
      organizationId: staff.organizationId,
      staffId: staff.id,
      purpose,
      tokenHash: sha256(secret),
      expiresAt,
      usedAt: null,
    });
    await tx.audit({
      action: 'password_token.create',
      entityType: 'password_token',
      entityId: token.id,
      after: { staffId: staff.id, purpose, expiresAt },
      context: { email: staff.email, superseded: superseded.affected ?? 0 },
    });
    return { url: `${this.publicUrl}/password/set?token=${token.id}.${secret}`, expiresAt, tokenId: token.id };
  }

  /** An administrator sends a person the link to set their password. */
  async invite(actor: Actor, staffId: string): Promise<{ expiresAt: Date }> {
    return this.uow.run(actor, async (tx) => {
      const staff = await tx.manager.getRepository(Staff).findOneBy({ id: staffId, organizationId: actor.organizationId });
      if (!staff) throw new AppException('STAFF_NOT_FOUND');
      if (staff.status === 'retired') throw new AppException('ACCOUNT_RETIRED');
      const link = await this.issue(tx, staff, 'invitation');
      await tx.outbox({ topic: 'notification.email', dedupeKey: `invitation:${link.tokenId}`, payload: passwordLinkEmail('invitation', staff, link) });
      return { expiresAt: link.expiresAt };
    });
  }

  /**
   * "Forgot password": sends a reset link to a known, non-retired address. The caller answers the
   * same whatever happened here, so nobody learns which addresses have an account.
   */
  async requestReset(email: string, clientAddress: string | null): Promise<void> {
    const address = email.trim().toLowerCase();
    const staff = await this.uow.manager.getRepository(Staff).findOneBy({ email: address });
    if (!staff || staff.status === 'retired') return;
    const recent = await this.uow.manager.getRepository(PasswordToken).existsBy({
      staffId: staff.id,
      purpose: 'reset',
      usedAt: IsNull(),
      createdAt: MoreThan(new Date(Date.now() - RESET_RESEND_INTERVAL_MS)),
    });
    if (recent) return;
    const actor: Actor = {
      staffId: null,
      organizationId: staff.organizationId,
      roles: [],
      departmentId: null,
      clientAddress,
      sessionId: null,
      mfa: false,
      label: address,
    };
    await this.uow.run(actor, async (tx) => {
      const link = await this.issue(tx, staff, 'reset', RESET_TTL_HOURS);
      await tx.outbox({ topic: 'notification.email', dedupeKey: `password-reset:${link.tokenId}`, payload: passwordLinkEmail('reset', staff, link) });
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
