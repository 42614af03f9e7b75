import type { Locale } from '../common/locale.js';
import type { Mail, NotificationRecipient } from './notification-intent.js';

/** `2025-05-01` → `2025年5月1日` (ja) or `1 May 2025` (en). */
export function mailDate(day: string, locale: Locale): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (locale === 'ja') return `${y}年${m}月${d}日`;
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A moment as read in Japan: `2026年11月30日 14:05` (ja) or `30 November 2026 at 14:05` (en). */
export function mailDateTime(value: Date, locale: Locale): string {
  return locale === 'ja'
    ? new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }).format(value)
    : new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }).format(value);
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
  return { subject: mail.subject, text: `${greeting(recipient, locale)}\n\n${mail.text}\n\n${footer}\n` };
}
