import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MamoriConfig } from '../config/configuration.js';
import type { EmailPayload } from '../outbox/outbox-topics.js';

/** E-mail through SMTP (the mail catcher in development), or as JSON to the log when none is set. */
@Injectable()
export class MailerService {
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    const mail = config.get('mail', { infer: true });
    this.transport = mail.smtpUrl ? nodemailer.createTransport(mail.smtpUrl) : nodemailer.createTransport({ jsonTransport: true });
    this.from = mail.from;
  }

  async send(mail: EmailPayload): Promise<string | null> {
    const info = (await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text })) as { messageId?: string };
    return info.messageId ?? null;
  }
}
