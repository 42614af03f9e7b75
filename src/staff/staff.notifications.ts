import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import type { Mail, NotificationIntent, NotificationRecipient } from '../notifications/notification-intent.js';
import { NotificationTemplate } from '../notifications/notification-intent.js';
import { Staff } from './staff.entity.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** the welcome e-mail of someone created with a password (the bootstrap); others get an invitation */
    'staff.welcome': { staffId: string };
  }
}

/** Who a staff id reaches, in their language. */
export async function staffRecipients(manager: EntityManager, staffIds: readonly string[], organizationId: string): Promise<NotificationRecipient<null>[]> {
  if (staffIds.length === 0) return [];
  const people = await manager
    .getRepository(Staff)
    .createQueryBuilder('s')
    .select(['s.id', 's.email', 's.familyName', 's.givenName', 's.locale', 's.status'])
    .where('s.id IN (:...ids) AND s.organizationId = :organizationId', { ids: staffIds, organizationId })
    .getMany();
  return people
    .filter((person) => person.status !== 'retired')
    .map((person) => ({ key: person.id, email: person.email, familyName: person.familyName, givenName: person.givenName, locale: person.locale, data: null }));
}

@Injectable()
@NotificationTemplate('staff.welcome')
export class StaffWelcomeMail implements NotificationIntent<'staff.welcome', null> {
  recipients(manager: EntityManager, payload: { staffId: string }, organizationId: string): Promise<NotificationRecipient<null>[]> {
    return staffRecipients(manager, [payload.staffId], organizationId);
  }

  render(locale: Locale): Mail {
    return locale === 'ja'
      ? {
          subject: '【Mamori】アカウントが作成されました',
          text: '情報セキュリティ管理システム Mamori のアカウントが作成されました。\n下のアドレスから研修や報告を行えます。',
        }
      : {
          subject: '[Mamori] Your account has been created',
          text: 'Your Mamori account has been created.\nSign in at the address below to complete training and report incidents.',
        };
  }
}
