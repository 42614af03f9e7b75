import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MamoriConfig } from '../config/configuration.js';
import type { MailCalendar } from './notification-intent.js';

/** An e-mail as handed to the transport. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** an iCalendar invitation: the `text/calendar; method=…` alternative calendars act on (nodemailer's icalEvent), and the same as an .ics attachment */
  calendar?: MailCalendar;
}

export interface SentMail extends OutgoingMail {
  messageId: string | null;
  sentAt: Date;
}

/** E-mail through SMTP (the mail catcher in development), or as JSON to the log when none is set. */
@Injectable()
export class MailerService {
  private readonly transport: Transporter;
  private readonly from: string;
  private readonly listeners = new Set<(mail: SentMail) => void>();

  constructor(config: ConfigService<MamoriConfig, true>) {
    const mail = config.get('mail', { infer: true });
    this.transport = mail.smtpUrl ? nodemailer.createTransport(mail.smtpUrl) : nodemailer.createTransport({ jsonTransport: true });
    this.from = mail.from;
  }

  async send(mail: OutgoingMail): Promise<string | null> {
    const calendar = mail.calendar
      ? {
          icalEvent: { method: mail.calendar.method, filename: mail.calendar.filename, content: mail.calendar.content },
          attachments: [
            {
              filename: mail.calendar.filename,
              content: mail.calendar.content,
              contentType: `text/calendar; charset=utf-8; method=${mail.calendar.method}`,
            },
          ],
        }
      : {};
    const info = (await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, ...calendar })) as {
      messageId?: string;
    };
    const messageId = info.messageId ?? null;
    for (const listener of this.listeners) listener({ ...mail, messageId, sentAt: new Date() });
    return messageId;
  }

  /** Calls `listener` with every mail sent from now on (a mail catcher, the tests); returns the unsubscribe. */
  onSent(listener: (mail: SentMail) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
