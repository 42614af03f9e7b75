import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import type { Transaction } from '../database/unit-of-work.js';
import { greeting, mailDateTime } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import { Staff } from '../staff/staff.entity.js';
import { INVITATION_TTL_HOURS, PasswordSetupService, RESET_TTL_HOURS } from './password-setup.service.js';
import type { PasswordTokenPurpose } from './password-token.entity.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** e-mail the person a one-time link to set their password; the link is made when the mail is sent */
    'auth.password_link': { staffId: string; purpose: PasswordTokenPurpose };
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
}
