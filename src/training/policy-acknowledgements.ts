import { Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import { tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { OnDomainEvent, type DomainEvent } from '../common/events/domain-events.js';
import type { Transaction } from '../database/unit-of-work.js';
import '../policies/policies.events.js';
import { PolicyVersion } from '../policies/policy-version.entity.js';
import { Course, DEFAULT_REMINDER_SETTINGS } from './course.entity.js';
import { CoursesService } from './courses.service.js';

/** The words of a version's acknowledgement course: its title, its material (a link to the text) and the statement people sign. */
export function acknowledgementCourseTexts(
  policy: { key: string; title: string; titleEn: string | null },
  version: number,
): Pick<Course, 'title' | 'titleEn' | 'body' | 'bodyEn' | 'statement' | 'statementEn'> {
  const titleEn = policy.titleEn ?? policy.title;
  const page = `/policies/${encodeURIComponent(policy.key)}/versions/${version}`;
  return {
    title: `${policy.title} 第${version}版の確認`.slice(0, 200),
    titleEn: `Acknowledgement of ${titleEn}, version ${version}`.slice(0, 200),
    body: `情報セキュリティポリシー「${policy.title}」第${version}版を読んでください：[${policy.title} 第${version}版](${page})`,
    bodyEn: `Please read version ${version} of the information security policy "${titleEn}": [${titleEn}, version ${version}](${page})`,
    statement: `情報セキュリティポリシー「${policy.title}」第${version}版を読み、遵守することを誓約します。`,
    statementEn: `I have read version ${version} of the information security policy "${titleEn}" and will comply with it.`,
  };
}

/**
 * A policy version the CISO approves asking every member of staff to acknowledge it becomes a
 * `policy_acknowledgement` course of the fiscal year (opens today, due when the CISO said), published
 * to all active staff in the approval's transaction, by the one statement that publishes any course.
 * Approving a version closes the acknowledgement courses of the policy's older versions: what was
 * acknowledged stays, nobody is asked or reminded any more. Joiners are enrolled in the courses of
 * the versions in force by StaffEnrolments.
 */
@Injectable()
export class PolicyAcknowledgementCourses {
  constructor(private readonly courses: CoursesService) {}

  @OnDomainEvent('policy.version_approved')
  async versionApproved(event: DomainEvent<'policy.version_approved'>, tx: Transaction): Promise<void> {
    await this.closeOlder(tx, event.policyId, event.versionId);
    if (!event.acknowledgementRequired || !event.acknowledgementDueOn) return;
    const version = await tx.manager.getRepository(PolicyVersion).findOneOrFail({
      where: { id: event.versionId, organizationId: tx.actor.organizationId },
      relations: { policy: true },
      select: { id: true, version: true, policy: { id: true, key: true, title: true, titleEn: true } },
    });
    const today = tokyoToday();
    const course = await tx.create(
      Course,
      {
        fiscalYear: fiscalYearOf(today),
        kind: 'policy_acknowledgement',
        ...acknowledgementCourseTexts(version.policy!, version.version),
        audience: { all: true },
        opensOn: today,
        dueOn: event.acknowledgementDueOn,
        quiz: null,
        statementVersion: 1,
        status: 'draft',
        reminders: { ...DEFAULT_REMINDER_SETTINGS },
        policyVersionId: version.id,
        createdById: tx.actor.staffId,
      },
      { action: 'course.create', entityType: 'course', omit: ['body', 'bodyEn'], context: { policyKey: event.policyKey, version: event.version } },
    );
    await this.courses.recordStatement(tx, course);
    await this.courses.publishIn(tx, course);
  }

  /** Closes the open acknowledgement courses of the policy's other versions (superseded by this approval). */
  private async closeOlder(tx: Transaction, policyId: string, versionId: string): Promise<void> {
    const older = (await tx.manager.query(
      `SELECT c.id FROM courses c JOIN policy_versions v ON v.id = c.policy_version_id
        WHERE c.organization_id = $1 AND v.policy_id = $2 AND v.id <> $3 AND c.kind = 'policy_acknowledgement' AND c.status = 'published'`,
      [tx.actor.organizationId, policyId, versionId],
    )) as { id: string }[];
    if (older.length === 0) return;
    const courses = await tx.manager.getRepository(Course).find({
      where: { id: In(older.map((row) => row.id)), organizationId: tx.actor.organizationId, status: Not('closed') },
      lock: { mode: 'pessimistic_write' },
    });
    for (const course of courses) {
      await tx.update(
        course,
        { status: 'closed', closedAt: new Date() },
        { action: 'course.close', entityType: 'course', omit: ['body', 'bodyEn', 'quiz'], context: { reason: 'policy_version_superseded' } },
      );
    }
  }
}
