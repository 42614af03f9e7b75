import { formatDate, formatDateTime } from '../common/dates.js';
import type { Locale } from '../common/locale.js';
import type { Mail, NotificationRecipient } from './notification-intent.js';

/** `2025-05-01` → `2025年5月1日` (ja) or `1 May 2025` (en): the same as the pages (src/common/dates.ts). */
export function mailDate(day: string, locale: Locale): string {
  return formatDate(day, locale);
}

/** A moment as read in Japan: `2026/11/30 14:05` (ja) or `30 Nov 2026 14:05` (en), as on the pages. */
export function mailDateTime(value: Date, locale: Locale): string {
  return formatDateTime(value, locale);
}

/** The greeting every mail opens with, in the recipient's language. */
export function greeting(recipient: Pick<NotificationRecipient, 'familyName' | 'givenName'>, locale: Locale): string {
  return locale === 'ja' ? `${recipient.familyName} ${recipient.givenName} 様` : `Dear ${recipient.givenName} ${recipient.familyName},`;
}

/** The mail as sent: greeting, body, and a footer saying where it comes from. */
export function laidOut(mail: Mail, recipient: NotificationRecipient, locale: Locale, publicUrl: string): Mail {
  const footer =
    locale === 'ja'
      ? `--\n情報セキュリティ管理システム Mamori（自動送信）\n${publicUrl}/`
      : `--\nMamori information security management (sent automatically)\n${publicUrl}/`;
  return {
    subject: mail.subject,
    text: `${greeting(recipient, locale)}\n\n${mail.text}\n\n${footer}\n`,
    ...(mail.calendar ? { calendar: mail.calendar } : {}),
  };
}
