import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import type { MamoriConfig } from '../config/configuration.js';
import { mailDateTime } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** confirm a report to its reporter with its reference (a resident's report: nobody, they saw the number on screen) */
    'incident.reported': { incidentId: string };
  }
}

interface ReportedFacts {
  reference: string;
  title: string;
  reportedAt: string;
  nearMiss: boolean;
  url: string;
}

/** The confirmation a reporter gets: the reference, and where to follow the report. */
@Injectable()
@NotificationTemplate('incident.reported')
export class IncidentReportedMail implements NotificationIntent<'incident.reported', ReportedFacts> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(manager: EntityManager, payload: { incidentId: string }, organizationId: string): Promise<NotificationRecipient<ReportedFacts>[]> {
    const rows = (await manager.query(
      `SELECT i.id, i.reference, i.title, i.reported_at, i.near_miss, s.id AS staff_id, s.email, s.family_name, s.given_name, s.locale
         FROM incidents i JOIN staff s ON s.id = i.reporter_id
        WHERE i.id = $1 AND i.organization_id = $2 AND s.status = 'active'`,
      [payload.incidentId, organizationId],
    )) as {
      id: string;
      reference: string;
      title: string;
      reported_at: Date;
      near_miss: boolean;
      staff_id: string;
      email: string;
      family_name: string;
      given_name: string;
      locale: Locale;
    }[];
    return rows.map((row) => ({
      key: row.staff_id,
      email: row.email,
      familyName: row.family_name,
      givenName: row.given_name,
      locale: row.locale,
      data: {
        reference: row.reference,
        title: row.title,
        reportedAt: new Date(row.reported_at).toISOString(),
        nearMiss: row.near_miss,
        url: `${this.publicUrl}/incidents/${row.id}`,
      },
    }));
  }

  render(locale: Locale, data: ReportedFacts): Mail {
    if (locale === 'en') {
      return {
        subject: `[Mamori] Your ${data.nearMiss ? 'near-miss ' : ''}report ${data.reference} was received`,
        text: `Thank you. Your report "${data.title}" (${mailDateTime(new Date(data.reportedAt), 'en')}) was received as ${data.reference}.\nThe security team will look at it. You can follow it here:\n\n  ${data.url}`,
      };
    }
    return {
      subject: `【受付】${data.nearMiss ? 'ヒヤリハット' : 'インシデント'}報告 ${data.reference} を受け付けました`,
      text: `ご報告ありがとうございます。「${data.title}」（${mailDateTime(new Date(data.reportedAt), 'ja')}）を ${data.reference} として受け付けました。\n担当（CSIRT）が確認します。経過は次のページで見られます。\n\n  ${data.url}`,
    };
  }
}
