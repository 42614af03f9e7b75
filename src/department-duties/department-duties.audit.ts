import type { EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';
import { Staff } from '../staff/staff.entity.js';
import { DutyReminder } from './duty-reminder.entity.js';

/** A reminder by the person it reminded: 「山田 花子への催促」. */
async function reminderNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager
    .getRepository(DutyReminder)
    .createQueryBuilder('r')
    .innerJoin(Staff, 's', 's.id = r.staffId')
    .select(['r.id AS id', 's.familyName AS "familyName"', 's.givenName AS "givenName"'])
    .where('r.organizationId = :organizationId AND r.id IN (:...ids)', { organizationId, ids })
    .getRawMany()) as { id: string; familyName: string; givenName: string }[];
  return new Map(
    rows.map((row) => {
      const person = `${row.familyName} ${row.givenName}`;
      return [row.id, { name: `${person}への催促`, nameEn: `Reminder to ${person}` }];
    }),
  );
}

/** The audit trail of reminders, in words. */
export const DEPARTMENT_DUTIES_AUDIT = {
  actions: {
    'duty_reminder.send': { ja: '未完了の催促を送信', en: 'Sent a reminder of outstanding duties' },
  },
  entityTypes: {
    duty_reminder: { ja: '催促', en: 'Reminder', records: reminderNames },
  },
} as const satisfies AuditTrailVocabulary;
