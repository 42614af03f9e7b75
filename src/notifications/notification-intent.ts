import { providerMarker } from '../common/features/discovery.js';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import type { Transaction } from '../database/unit-of-work.js';
import type { OutboxTopic, OutboxTopics } from '../outbox/outbox-topics.js';

/**
 * An iCalendar object a mail carries (RFC 6047, iMIP): sent as the `text/calendar; method=…` part
 * calendars act on (an invitation, its update or its cancellation), and as an `.ics` attachment.
 */
export interface MailCalendar {
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  /** the VCALENDAR text (CRLF lines) */
  content: string;
  /** the attachment's file name, e.g. `invite.ics` */
  filename: string;
}

/** A rendered e-mail, before the layout adds the greeting and the footer. */
export interface Mail {
  subject: string;
  /** the body, plain text */
  text: string;
  /** an invitation (or its cancellation) for the recipient's calendar */
  calendar?: MailCalendar;
}

/** One person (or address) a notification goes to, with the facts its mail needs. */
export interface NotificationRecipient<D = unknown> {
  /** unique within the message: what the mail is about and to whom (a staff id, a duty id, an address) */
  key: string;
  email: string;
  /** family and given name, for the greeting */
  familyName: string;
  givenName: string;
  locale: Locale;
  data: D;
}

/**
 * What to say for one outbox topic (an intent carrying ids), declared by the feature that raises
 * it and rendered by the notifications module in each recipient's language:
 *
 * - `recipients` reads, by the payload's ids, who gets the mail and the facts it needs (within the
 *   message's organisation; one recipient per mail, each with a key unique in the message);
 * - `prepare` (optional) runs in the transaction that claims one recipient's delivery, for what
 *   must be made at the moment of sending (a one-time link);
 * - `stillWanted` (optional) is asked before each claim: false, and nothing more is sent;
 * - `render` writes the subject and body in the recipient's language.
 *
 * A class with these methods, marked `@NotificationTemplate(topic)` and listed in its feature
 * module's providers, is found by the notifications module at start-up: the topic is routed to the
 * `notifications` queue and delivered by it.
 */
export interface NotificationIntent<K extends OutboxTopic = OutboxTopic, D = unknown, P = D> {
  /** reads only the organisation's records (`organizationId` is the message's) */
  recipients(manager: EntityManager, payload: OutboxTopics[K], organizationId: string): Promise<NotificationRecipient<D>[]>;
  prepare?(tx: Transaction, recipient: NotificationRecipient<D>, payload: OutboxTopics[K]): Promise<P>;
  /**
   * (optional) whether the mail is still wanted, asked in the transaction that would claim one
   * recipient's delivery, before claiming it: false leaves it unsent (an escalation acknowledged
   * meanwhile). Lock what it reads (`FOR SHARE`) so that the change that makes it false waits.
   */
  stillWanted?(tx: Transaction, payload: OutboxTopics[K]): Promise<boolean>;
  render(locale: Locale, data: P, recipient: NotificationRecipient<D>): Mail;
}

export const NOTIFICATION_TEMPLATES = providerMarker<OutboxTopic>('notification-template');

/** Marks a provider as the template of an outbox topic (see NotificationIntent). */
export const NotificationTemplate = <K extends OutboxTopic>(topic: K): ClassDecorator => NOTIFICATION_TEMPLATES.mark(topic);
