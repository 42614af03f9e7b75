import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import type { Transaction } from '../database/unit-of-work.js';
import { greeting, mailDateTime } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import { Not } from 'typeorm';
import { Staff } from '../staff/staff.entity.js';
import { INVITATION_TTL_HOURS, PasswordSetupService, RESET_TTL_HOURS } from './password-setup.service.js';
import type { PasswordTokenPurpose } from './password-token.entity.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** e-mail the person a one-time link to set their password; the link is made when the mail is sent */
    'auth.password_link': { staffId: string; purpose: PasswordTokenPurpose };
    /**
     * someone asked for a password reset for this address (known or not: the request costs the same
     * either way); a known, non-retired person gets the reset link
     */
    'auth.password_reset_requested': { email: string; clientAddress: string | null };
    /** the account was locked after failed sign-ins from several addresses: its holder is told */
    'auth.account_locked': { staffId: string; lockedAt: string; lockedUntil: string; clientAddress: string | null };
  }
}

interface LinkData {
  purpose: PasswordTokenPurpose;
  url: string;
  expiresAt: Date;
}

const TEXT: Record<Locale, Record<PasswordTokenPurpose, { subject: string; body: string; expiry: (when: string) => string; ignore: string }>> = {
  ja: {
    invitation: {
      subject: '【Mamori】パスワードを設定してください / Set your Mamori password',
      body: '情報セキュリティ管理システム Mamori のアカウントのパスワードを設定してください。\n次のリンクを開き、12文字以上のパスワードを決めてください。',
      expiry: (when) => `このリンクは一度だけ使えます。有効期限：${when}（日本時間）`,
      ignore: '心当たりがない場合は、このメールを破棄し、情報セキュリティ担当にお知らせください。',
    },
    reset: {
      subject: '【Mamori】パスワードの再設定 / Reset your Mamori password',
      body: 'パスワードの再設定を受け付けました。\n次のリンクを開き、新しいパスワード（12文字以上）を決めてください。',
      expiry: (when) => `このリンクは一度だけ使えます。有効期限：${when}（日本時間）`,
      ignore: '心当たりがない場合は、このメールを破棄し、情報セキュリティ担当にお知らせください。',
    },
  },
  en: {
    invitation: {
      subject: '[Mamori] Set your Mamori password / パスワードを設定してください',
      body: 'Please set the password of your Mamori account.\nOpen the link below and choose a password of at least 12 characters.',
      expiry: (when) => `The link works once and expires on ${when} (Japan time).`,
      ignore: 'If you did not expect this e-mail, ignore it and tell your information security office.',
    },
    reset: {
      subject: '[Mamori] Reset your Mamori password / パスワードの再設定',
      body: 'We received a request to reset your password.\nOpen the link below and choose a new password of at least 12 characters.',
      expiry: (when) => `The link works once and expires on ${when} (Japan time).`,
      ignore: 'If you did not expect this e-mail, ignore it and tell your information security office.',
    },
  },
};

/**
 * The password link. It is the first e-mail a newcomer gets, before anyone knows which language
 * they read: the recipient's language comes first, the other one follows. The one-time token is
 * made in the transaction that claims the delivery (stored as its hash only), so neither the link
 * nor the body is ever kept in the outbox.
 */
@Injectable()
@NotificationTemplate('auth.password_link')
export class PasswordLinkMail implements NotificationIntent<'auth.password_link', null, LinkData> {
  constructor(private readonly passwords: PasswordSetupService) {}

  async recipients(manager: EntityManager, payload: { staffId: string }, organizationId: string): Promise<NotificationRecipient<null>[]> {
    const person = await manager.getRepository(Staff).findOne({
      where: { id: payload.staffId, organizationId },
      select: { id: true, email: true, familyName: true, givenName: true, locale: true, status: true },
    });
    if (!person || person.status === 'retired') return [];
    return [{ key: person.id, email: person.email, familyName: person.familyName, givenName: person.givenName, locale: person.locale, data: null }];
  }

  async prepare(tx: Transaction, recipient: NotificationRecipient<null>, payload: { staffId: string; purpose: PasswordTokenPurpose }): Promise<LinkData> {
    const staff = await tx.manager
      .getRepository(Staff)
      .findOneOrFail({ where: { id: payload.staffId, organizationId: tx.actor.organizationId }, select: { id: true, organizationId: true, email: true } });
    const link = await this.passwords.issue(tx, staff, payload.purpose, payload.purpose === 'reset' ? RESET_TTL_HOURS : INVITATION_TTL_HOURS);
    return { purpose: payload.purpose, url: link.url, expiresAt: link.expiresAt };
  }

  render(locale: Locale, data: LinkData, recipient: NotificationRecipient<null>): Mail {
    return renderLink(locale, data, recipient);
  }
}

function renderLink(locale: Locale, data: LinkData, recipient: NotificationRecipient<unknown>): Mail {
  const other: Locale = locale === 'ja' ? 'en' : 'ja';
  const part = (lang: Locale): string[] => {
    const text = TEXT[lang][data.purpose];
    return [text.body, data.url, text.expiry(mailDateTime(data.expiresAt, lang)), text.ignore];
  };
  return {
    subject: TEXT[locale][data.purpose].subject,
    text: [...part(locale), '', '----', '', greeting(recipient, other), '', ...part(other)].join('\n'),
  };
}

/**
 * "Forgot password": the request is written to the outbox whatever the address (so known and
 * unknown addresses cost the same); here, when the mail goes out, an address with a non-retired
 * person gets the reset link (the same mail as `PasswordLinkMail`), any other gets nothing.
 */
@Injectable()
@NotificationTemplate('auth.password_reset_requested')
export class PasswordResetMail implements NotificationIntent<'auth.password_reset_requested', { staffId: string }, LinkData> {
  constructor(private readonly passwords: PasswordSetupService) {}

  async recipients(manager: EntityManager, payload: { email: string }, organizationId: string): Promise<NotificationRecipient<{ staffId: string }>[]> {
    const person = await manager.getRepository(Staff).findOne({
      where: { email: payload.email, organizationId, status: Not('retired') },
      select: { id: true, email: true, familyName: true, givenName: true, locale: true },
    });
    if (!person) return [];
    return [
      { key: person.id, email: person.email, familyName: person.familyName, givenName: person.givenName, locale: person.locale, data: { staffId: person.id } },
    ];
  }

  async prepare(tx: Transaction, recipient: NotificationRecipient<{ staffId: string }>): Promise<LinkData> {
    const staff = await tx.manager.getRepository(Staff).findOneOrFail({
      where: { id: recipient.data.staffId, organizationId: tx.actor.organizationId },
      select: { id: true, organizationId: true, email: true },
    });
    const link = await this.passwords.issue(tx, staff, 'reset', RESET_TTL_HOURS);
    return { purpose: 'reset', url: link.url, expiresAt: link.expiresAt };
  }

  render(locale: Locale, data: LinkData, recipient: NotificationRecipient<{ staffId: string }>): Mail {
    return renderLink(locale, data, recipient);
  }
}

interface LockData {
  lockedAt: Date;
  lockedUntil: Date;
  clientAddress: string | null;
}

const LOCK_TEXT: Record<Locale, { subject: string; body: (d: LockData, at: (date: Date) => string) => string[] }> = {
  ja: {
    subject: '【Mamori】アカウントを一時的にロックしました / Your Mamori account is locked',
    body: (d, at) => [
      `${at(d.lockedAt)}（日本時間）、ログインの失敗が続いたため、あなたの Mamori アカウントを一時的にロックしました。`,
      `最後に失敗したログインの接続元：${d.clientAddress ?? '不明'}`,
      `ロックは ${at(d.lockedUntil)}（日本時間）に自動的に解除されます。それまではログインできません。`,
      'ご自身の操作でない場合は、だれかがあなたのパスワードを試している可能性があります。すぐに情報セキュリティ担当にお知らせください。',
    ],
  },
  en: {
    subject: '[Mamori] Your Mamori account is locked / アカウントを一時的にロックしました',
    body: (d, at) => [
      `On ${at(d.lockedAt)} (Japan time) your Mamori account was locked for a while after repeated failed sign-ins.`,
      `The last failed sign-in came from: ${d.clientAddress ?? 'unknown'}`,
      `The lock ends by itself on ${at(d.lockedUntil)} (Japan time); until then you cannot sign in.`,
      'If this was not you, someone may be trying your password: tell your information security office at once.',
    ],
  },
};

/** Tells the holder that their account was locked: when, from which address, until when, and whom to tell if it was not them. */
@Injectable()
@NotificationTemplate('auth.account_locked')
export class AccountLockedMail implements NotificationIntent<'auth.account_locked', LockData> {
  async recipients(
    manager: EntityManager,
    payload: { staffId: string; lockedAt: string; lockedUntil: string; clientAddress: string | null },
    organizationId: string,
  ): Promise<NotificationRecipient<LockData>[]> {
    const person = await manager.getRepository(Staff).findOne({
      where: { id: payload.staffId, organizationId, status: Not('retired') },
      select: { id: true, email: true, familyName: true, givenName: true, locale: true },
    });
    if (!person) return [];
    const data: LockData = { lockedAt: new Date(payload.lockedAt), lockedUntil: new Date(payload.lockedUntil), clientAddress: payload.clientAddress };
    return [{ key: person.id, email: person.email, familyName: person.familyName, givenName: person.givenName, locale: person.locale, data }];
  }

  /**
   * Both languages, as the password link: the recipient's first (Japanese, unless they chose English:
   * the layout's greeting above it is in their language), then the other with its own greeting.
   */
  render(locale: Locale, data: LockData, recipient: NotificationRecipient<LockData>): Mail {
    const other: Locale = locale === 'ja' ? 'en' : 'ja';
    const part = (lang: Locale): string[] => LOCK_TEXT[lang].body(data, (date) => mailDateTime(date, lang));
    return { subject: LOCK_TEXT[locale].subject, text: [...part(locale), '', '----', '', greeting(recipient, other), '', ...part(other)].join('\n') };
  }
}
