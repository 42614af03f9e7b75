import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import type { MamoriConfig } from '../config/configuration.js';
import { mailDate } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import { acknowledgementRequestMail } from './policy-acknowledgement.notifications.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** tell everyone a publication enrolled that they owe the course (read when sent: who completed meanwhile gets nothing) */
    'training.course_published': { courseId: string };
    /** tell people enrolled one by one (joiners, returners, movers, follow-ups) what they now owe */
    'training.enrolled': { enrolmentIds: string[] };
    /** confirm a completion to the person (one per enrolment: the dedupe key names it) */
    'training.completed': { enrolmentId: string };
  }
}

/** How many enrolments one `training.enrolled` message carries. */
export const ENROLMENTS_PER_MESSAGE = 500;

interface OwedCourse {
  title: string;
  titleEn: string | null;
  dueOn: string;
  enrolmentId: string;
  /** the enrolment's page, absolute (the configured public address) */
  url: string;
  /** for a policy acknowledgement course: the policy and version, worded as a request to acknowledge it */
  policy?: { title: string; titleEn: string | null; version: number };
}

interface OwedRow {
  enrolment_id: string;
  email: string;
  family_name: string;
  given_name: string;
  locale: Locale;
  title: string;
  title_en: string | null;
  due_on: string;
  policy_title: string | null;
  policy_title_en: string | null;
  policy_version: number | null;
}

const OWED_COLUMNS = `e.id AS enrolment_id, s.email, s.family_name, s.given_name, s.locale, c.title, c.title_en, e.due_on::text AS due_on,
       p.title AS policy_title, p.title_en AS policy_title_en, v.version AS policy_version
   FROM enrolments e JOIN staff s ON s.id = e.staff_id JOIN courses c ON c.id = e.course_id
   LEFT JOIN policy_versions v ON v.id = c.policy_version_id AND c.kind = 'policy_acknowledgement' LEFT JOIN policies p ON p.id = v.policy_id`;

const OPEN = `e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL AND s.status = 'active' AND c.status = 'published'`;

function recipientOf(row: OwedRow, publicUrl: string): NotificationRecipient<OwedCourse> {
  return {
    key: row.enrolment_id,
    email: row.email,
    familyName: row.family_name,
    givenName: row.given_name,
    locale: row.locale,
    data: {
      title: row.title,
      titleEn: row.title_en,
      dueOn: row.due_on,
      enrolmentId: row.enrolment_id,
      url: `${publicUrl}/training/enrolments/${row.enrolment_id}`,
      ...(row.policy_title !== null && row.policy_version !== null
        ? { policy: { title: row.policy_title, titleEn: row.policy_title_en, version: row.policy_version } }
        : {}),
    },
  };
}

function owedMail(locale: Locale, data: OwedCourse): Mail {
  if (data.policy) return acknowledgementRequestMail(locale, { ...data.policy, dueOn: data.dueOn, dutyId: data.enrolmentId });
  if (locale === 'en') {
    return {
      subject: `[Mamori] Training to complete: ${data.titleEn ?? data.title}`,
      text: `You are enrolled in the security training "${data.titleEn ?? data.title}".\nPlease complete it in Mamori (My training) by ${mailDate(data.dueOn, 'en')}.\n\n  ${data.url}`,
    };
  }
  return {
    subject: `【研修のお知らせ】${data.title}`,
    text: `情報セキュリティ研修「${data.title}」の受講対象になりました。\n${mailDate(data.dueOn, 'ja')}までに Mamori の「わたしの研修」から受講してください。\n\n  ${data.url}`,
  };
}

/** The mail a publication sends to each person it enrolled (and still owes the course when it is sent). */
@Injectable()
@NotificationTemplate('training.course_published')
export class CoursePublishedMail implements NotificationIntent<'training.course_published', OwedCourse> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(manager: EntityManager, payload: { courseId: string }, organizationId: string): Promise<NotificationRecipient<OwedCourse>[]> {
    const rows = (await manager.query(
      `SELECT ${OWED_COLUMNS}
        WHERE e.course_id = $1 AND e.organization_id = $2 AND e.source = 'publish' AND ${OPEN}
        ORDER BY s.employee_number`,
      [payload.courseId, organizationId],
    )) as OwedRow[];
    return rows.map((row) => recipientOf(row, this.publicUrl));
  }

  render(locale: Locale, data: OwedCourse): Mail {
    return owedMail(locale, data);
  }
}

/** The mail to people enrolled one by one (joiners, returners, movers, follow-ups of a drill). */
@Injectable()
@NotificationTemplate('training.enrolled')
export class EnrolledMail implements NotificationIntent<'training.enrolled', OwedCourse> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(manager: EntityManager, payload: { enrolmentIds: string[] }, organizationId: string): Promise<NotificationRecipient<OwedCourse>[]> {
    if (payload.enrolmentIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT ${OWED_COLUMNS}
        WHERE e.id = ANY($1::uuid[]) AND e.organization_id = $2 AND ${OPEN}
        ORDER BY s.employee_number`,
      [payload.enrolmentIds, organizationId],
    )) as OwedRow[];
    return rows.map((row) => recipientOf(row, this.publicUrl));
  }

  render(locale: Locale, data: OwedCourse): Mail {
    return owedMail(locale, data);
  }
}

interface CompletedData {
  title: string;
  titleEn: string | null;
  completedOn: string;
  enrolmentId: string;
  /** the certificate's page, absolute */
  url: string;
}

/** The confirmation of a completion, with the link to its certificate (受講証明). */
@Injectable()
@NotificationTemplate('training.completed')
export class CompletedMail implements NotificationIntent<'training.completed', CompletedData> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(manager: EntityManager, payload: { enrolmentId: string }, organizationId: string): Promise<NotificationRecipient<CompletedData>[]> {
    const rows = (await manager.query(
      `SELECT e.id AS enrolment_id, s.email, s.family_name, s.given_name, s.locale, c.title, c.title_en,
              (e.completed_at AT TIME ZONE 'Asia/Tokyo')::date::text AS completed_on
         FROM enrolments e JOIN staff s ON s.id = e.staff_id JOIN courses c ON c.id = e.course_id
        WHERE e.id = $1 AND e.organization_id = $2 AND e.completed_at IS NOT NULL AND s.status = 'active'`,
      [payload.enrolmentId, organizationId],
    )) as (Omit<OwedRow, 'due_on'> & { completed_on: string })[];
    return rows.map((row) => ({
      key: row.enrolment_id,
      email: row.email,
      familyName: row.family_name,
      givenName: row.given_name,
      locale: row.locale,
      data: {
        title: row.title,
        titleEn: row.title_en,
        completedOn: row.completed_on,
        enrolmentId: row.enrolment_id,
        url: `${this.publicUrl}/training/enrolments/${row.enrolment_id}/certificate`,
      },
    }));
  }

  render(locale: Locale, data: CompletedData): Mail {
    if (locale === 'en') {
      return {
        subject: `[Mamori] Training completed: ${data.titleEn ?? data.title}`,
        text: `Your completion of "${data.titleEn ?? data.title}" on ${mailDate(data.completedOn, 'en')} is recorded.\nThe certificate can be printed from Mamori:\n\n  ${data.url}`,
      };
    }
    return {
      subject: `【受講完了】${data.title}`,
      text: `「${data.title}」の受講完了（${mailDate(data.completedOn, 'ja')}）を記録しました。\n受講証明は Mamori から印刷できます。\n\n  ${data.url}`,
    };
  }
}
