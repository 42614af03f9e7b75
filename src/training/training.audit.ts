import { In, type EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';
import { Course } from './course.entity.js';

/** A course by its title and fiscal year: 「情報セキュリティ研修（全職員） 2022年度」. */
async function courseNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const courses = await manager
    .getRepository(Course)
    .find({ where: { organizationId, id: In([...ids]) }, select: { id: true, title: true, titleEn: true, fiscalYear: true } });
  return new Map(
    courses.map((course) => [
      course.id,
      { name: `${course.title}（${course.fiscalYear}年度）`, nameEn: `${course.titleEn ?? course.title} (FY${course.fiscalYear})` },
    ]),
  );
}

/** An enrolment by its person and course: 「山田 花子：情報セキュリティ研修（全職員）」. */
async function enrolmentNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT e.id, s.family_name, s.given_name, s.email, c.title, c.title_en
       FROM enrolments e JOIN staff s ON s.id = e.staff_id JOIN courses c ON c.id = e.course_id
      WHERE e.organization_id = $1 AND e.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; family_name: string; given_name: string; email: string; title: string; title_en: string | null }[];
  return new Map(
    rows.map((row) => {
      const person = `${row.family_name} ${row.given_name}`;
      return [row.id, { name: `${person}：${row.title}`, nameEn: `${person}: ${row.title_en ?? row.title}`, detail: row.email }];
    }),
  );
}

/** A file of course material by its name and course: 「標的型メール対策.pdf（情報セキュリティ研修）」. */
async function attachmentNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager.query(
    `SELECT a.id, a.file_name, c.title, c.title_en
       FROM course_attachments a JOIN courses c ON c.id = a.course_id
      WHERE a.organization_id = $1 AND a.id = ANY($2::uuid[])`,
    [organizationId, ids],
  )) as { id: string; file_name: string; title: string; title_en: string | null }[];
  return new Map(rows.map((row) => [row.id, { name: `${row.file_name}（${row.title}）`, nameEn: `${row.file_name} (${row.title_en ?? row.title})` }]));
}

/** The audit trail of training, in words. */
export const TRAINING_AUDIT = {
  actions: {
    'course.create': { ja: '研修を作成', en: 'Created a course' },
    'course.update': { ja: '研修を変更', en: 'Changed a course' },
    'course.publish': { ja: '研修を公開し対象者を登録', en: 'Published a course and enrolled its audience' },
    'course.close': { ja: '研修を終了', en: 'Closed a course' },
    'enrolment.enrol': { ja: '研修の受講者に登録', en: 'Enrolled someone in a course' },
    'enrolment.reopen': { ja: '復帰した職員の受講を再開', en: 'Reopened the enrolment of someone who returned' },
    'enrolment.move': { ja: '異動に伴い受講の所属を変更', en: 'Moved an enrolment with a transfer' },
    'enrolment.withdraw': { ja: '退職に伴い受講を取消', en: 'Withdrew the enrolment of someone who left' },
    'enrolment.quiz_attempt': { ja: '研修の確認テストを受験', en: 'Took the quiz of a course' },
    'enrolment.complete': { ja: '研修の受講を完了', en: 'Completed a course' },
    'course.check_drill_results': {
      ja: '標的型メール訓練の結果ファイルを確認（取り込み前）',
      en: 'Checked a targeted-mail drill results file (before importing it)',
    },
    'drill_upload.purge': { ja: '期限切れの訓練結果ファイルを削除', en: 'Removed expired drill result files' },
    'course.import_drill_results': { ja: '標的型メール訓練の結果を取り込み', en: 'Imported the results of a targeted-mail drill' },
    'enrolment.follow_up': {
      ja: '標的型メール訓練でリンクを開き報告しなかった職員をフォローアップ研修に登録',
      en: 'Enrolled someone who clicked without reporting in a targeted-mail drill in its follow-up course',
    },
    'enrolment.exempt': { ja: '研修の受講を免除', en: 'Exempted someone from a course' },
    'enrolment.unexempt': { ja: '研修の受講免除を取消', en: 'Lifted an exemption from a course' },
    'course_attachment.create': { ja: '研修資料を追加', en: 'Added a file of course material' },
    'course_attachment.delete': { ja: '研修資料を削除', en: 'Removed a file of course material' },
    'training.export': { ja: '研修の受講状況を出力', en: 'Exported training figures' },
    'training.reminders_sent': {
      ja: '研修の催促・所属長等への通知を送信（日次）',
      en: 'Sent the daily training reminders and escalations',
    },
    // written by the policies module before its acknowledgement duties became enrolments (same ids)
    'acknowledgement_duty.create': { ja: 'ポリシーの確認を依頼', en: 'Asked for a policy acknowledgement' },
    'acknowledgement_duty.acknowledge': { ja: 'ポリシーを確認', en: 'Acknowledged a policy' },
  },
  entityTypes: {
    course: { ja: '研修', en: 'Course', page: '/training/courses/:id', records: courseNames },
    enrolment: { ja: '受講', en: 'Enrolment', records: enrolmentNames },
    course_attachment: { ja: '研修資料', en: 'Course material', records: attachmentNames },
    // the duties kept their ids as enrolments: old rows name the person and the acknowledgement course
    acknowledgement_duty: { ja: 'ポリシーの確認', en: 'Policy acknowledgement', records: enrolmentNames },
  },
} as const satisfies AuditTrailVocabulary;
