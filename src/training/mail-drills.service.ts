import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { decodeCsv } from '../staff/staff-import-csv.js';
import { Course } from './course.entity.js';
import { drillCourse } from './mail-drill-results.service.js';
import { joinerDueOn } from './courses.service.js';
import { readDrillCsv, type DrillFile, type DrillFormat, type DrillIssue, type DrillRow } from './mail-drill-csv.js';
import { ENROLMENTS_PER_MESSAGE } from './training.notifications.js';
import { TRAINING } from './training.permissions.js';

/** What an import did (or, on a dry run, would do). */
export interface DrillImportResult {
  dryRun: boolean;
  format: DrillFormat;
  /** people in the file */
  rows: number;
  sent: number;
  opened: number;
  clicked: number;
  submittedData: number;
  reported: number;
  /** clicked the link (or submitted data) and did not report the mail */
  clickedNotReported: number;
  /** results new to the course, changed, the same as before */
  created: number;
  updated: number;
  unchanged: number;
  /** results of people the new file no longer lists, removed (a re-import replaces the course's results) */
  removed: number;
  /** the course people who clicked without reporting are enrolled in (null: none set) */
  followUpCourseId: string | null;
  /** whether that course is published (only then are people enrolled in it) */
  followUpOpen: boolean;
  /** how many were enrolled in it (a dry run: would be); people already enrolled are not counted */
  followUpEnrolled: number;
}

/** Where an import's rows came from, for the audit trail. */
export interface DrillImportSource {
  fileName?: string;
  sha256?: string;
  uploadId?: string;
}

/** The rows of a file that has been read (the pages' upload keeps them between preview and import). */
export type DrillRows = Pick<DrillFile, 'format' | 'key' | 'rows' | 'issues'>;

/** A refused file: 400 DRILL_RESULTS_INVALID listing every bad row by line (the pages word the issues). */
export class DrillResultsRefused extends AppException {
  readonly issues: DrillIssue[];

  constructor(issues: readonly DrillIssue[]) {
    const sorted = [...issues].sort((a, b) => a.line - b.line);
    super(
      'DRILL_RESULTS_INVALID',
      `${new Set(sorted.map((issue) => issue.line)).size} bad row(s); nothing was imported`,
      sorted.map(({ line, field, message }) => ({ line, field, messages: [message] })),
    );
    this.issues = sorted;
  }
}

/** A line of the file and the member of staff it names (null: nobody has that address or number). */
interface Matched {
  line: number;
  staff_id: string | null;
  status: string | null;
}

/** The file's results as `json_to_recordset` reads them, matched people only. */
const INCOMING = `SELECT i.staff_id, s.department_id, s.status AS staff_status, i.sent, i.opened, i.clicked, i.submitted_data, i.reported
    FROM json_to_recordset($3::json) AS i(staff_id uuid, sent boolean, opened boolean, clicked boolean, submitted_data boolean, reported boolean)
    JOIN staff s ON s.id = i.staff_id AND s.organization_id = $1`;

const RESULT_COLUMNS = ['department_id', 'sent', 'opened', 'clicked', 'submitted_data', 'reported'] as const;

/**
 * Targeted-mail drills (標的型メール訓練): the results of a drill run with Gophish (its campaign
 * results CSV) or listed in a plain CSV are imported into the drill's course, all or nothing, every
 * bad row refused by its line; a re-import replaces the course's results. People who clicked the
 * link (or submitted data) without reporting the mail are enrolled in the course's follow-up course.
 * The report and click rates by department are figures of the fiscal year.
 *
 * Set-based for a prefecture's 5,000+ recipients: the file's people are matched to staff in one
 * query, the results written in one upsert, the follow-ups enrolled in one INSERT … SELECT.
 */
@Injectable()
export class MailDrillsService {
  constructor(private readonly uow: UnitOfWork) {}

  /** Reads an uploaded file and imports it (`dryRun`: checks it and counts what it would do, writing nothing). */
  async importFile(
    actor: Actor,
    courseId: string,
    buffer: Buffer,
    options: { format?: DrillFormat; dryRun: boolean; fileName?: string },
  ): Promise<DrillImportResult> {
    assertMay(actor, TRAINING.import_drill_results);
    const rows = await this.read(buffer, options.format);
    return this.uow.run(actor, (tx) =>
      this.importRows(tx, courseId, rows, options.dryRun, { fileName: options.fileName, sha256: createHash('sha256').update(buffer).digest('hex') }),
    );
  }

  /** A file's rows, read and checked on their own (the database is asked at the import). */
  async read(buffer: Buffer, format?: DrillFormat): Promise<DrillRows> {
    return readDrillCsv(decodeCsv(buffer), format);
  }

  /**
   * Imports read rows into a targeted-mail drill in the caller's change: every row's person is
   * looked up (one query), any bad row refuses the whole file; then the course's results are
   * replaced by the file's (one statement), the follow-ups enrolled (one statement, never twice),
   * and the import audited with its counts, each follow-up enrolment with its own row.
   */
  async importRows(tx: Transaction, courseId: string, file: DrillRows, dryRun: boolean, source: DrillImportSource = {}): Promise<DrillImportResult> {
    assertMay(tx.actor, TRAINING.import_drill_results);
    const organizationId = tx.actor.organizationId;
    const course = await drillCourse(tx.manager, tx.actor, courseId, !dryRun);
    const matched = await this.match(tx.manager, organizationId, file);
    const issues = [...file.issues];
    const byStaff = new Map<string, number>();
    const people: { row: DrillRow; staffId: string }[] = [];
    for (const [i, row] of file.rows.entries()) {
      const found = matched[i]!;
      const who = row.email ?? row.employeeNumber ?? '';
      if (!found.staff_id) {
        issues.push({
          line: row.line,
          field: file.key,
          code: 'staffUnknown',
          values: { value: who },
          message: file.key === 'email' ? `no member of staff has the address ${who}` : `no member of staff has the employee number ${who}`,
        });
      } else if (found.status === 'retired') {
        issues.push({ line: row.line, field: file.key, code: 'staffRetired', values: { value: who }, message: `${who} has retired` });
      } else if (byStaff.has(found.staff_id)) {
        const first = String(byStaff.get(found.staff_id));
        issues.push({ line: row.line, field: file.key, code: 'duplicate', values: { firstLine: first }, message: `same person as line ${first}` });
      } else {
        byStaff.set(found.staff_id, row.line);
        people.push({ row, staffId: found.staff_id });
      }
    }
    if (issues.length) throw new DrillResultsRefused(issues);

    const count = (flag: 'sent' | 'opened' | 'clicked' | 'submittedData' | 'reported') => people.filter(({ row }) => row[flag]).length;
    const followUp = course.followUpCourseId
      ? await tx.manager.getRepository(Course).findOne({ where: { id: course.followUpCourseId, organizationId } })
      : null;
    const followUpOpen = followUp?.status === 'published';
    const incoming = JSON.stringify(
      people.map(({ row, staffId }) => ({
        staff_id: staffId,
        sent: row.sent,
        opened: row.opened,
        clicked: row.clicked,
        submitted_data: row.submittedData,
        reported: row.reported,
      })),
    );
    const result: DrillImportResult = {
      dryRun,
      format: file.format,
      rows: people.length,
      sent: count('sent'),
      opened: count('opened'),
      clicked: count('clicked'),
      submittedData: count('submittedData'),
      reported: count('reported'),
      clickedNotReported: people.filter(({ row }) => row.clicked && !row.reported).length,
      created: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      followUpCourseId: course.followUpCourseId,
      followUpOpen,
      followUpEnrolled: 0,
    };

    if (dryRun) {
      const [preview] = (await tx.manager.query(
        `WITH incoming AS (${INCOMING})
         SELECT count(*) FILTER (WHERE m.id IS NULL)::int AS created,
                count(*) FILTER (WHERE m.id IS NOT NULL AND (${RESULT_COLUMNS.map((c) => `m.${c}`).join(', ')})
                                   IS DISTINCT FROM (${RESULT_COLUMNS.map((c) => `i.${c}`).join(', ')}))::int AS updated,
                (SELECT count(*) FROM mail_drill_results x
                  WHERE x.organization_id = $1 AND x.course_id = $2 AND NOT EXISTS (SELECT 1 FROM incoming n WHERE n.staff_id = x.staff_id))::int AS removed,
                count(*) FILTER (WHERE $4::uuid IS NOT NULL AND i.clicked AND NOT i.reported AND i.staff_status = 'active'
                                   AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = $4::uuid AND e.staff_id = i.staff_id))::int AS follow_up
           FROM incoming i LEFT JOIN mail_drill_results m ON m.course_id = $2 AND m.staff_id = i.staff_id`,
        [organizationId, course.id, incoming, followUpOpen ? followUp!.id : null],
      )) as { created: number; updated: number; removed: number; follow_up: number }[];
      return {
        ...result,
        created: preview!.created,
        updated: preview!.updated,
        unchanged: people.length - preview!.created - preview!.updated,
        removed: preview!.removed,
        followUpEnrolled: preview!.follow_up,
      };
    }

    // the course's results become the file's: the people it no longer lists removed, the others written where they changed
    const [written] = (await tx.manager.query(
      `WITH incoming AS (${INCOMING}),
       removed AS (
         DELETE FROM mail_drill_results x
          WHERE x.organization_id = $1 AND x.course_id = $2 AND NOT EXISTS (SELECT 1 FROM incoming n WHERE n.staff_id = x.staff_id)
         RETURNING 1),
       written AS (
         INSERT INTO mail_drill_results AS m (organization_id, course_id, staff_id, department_id, sent, opened, clicked, submitted_data, reported, imported_by_id)
         SELECT $1, $2, i.staff_id, i.department_id, i.sent, i.opened, i.clicked, i.submitted_data, i.reported, $4 FROM incoming i
         ON CONFLICT (course_id, staff_id) DO UPDATE
            SET ${RESULT_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, imported_by_id = EXCLUDED.imported_by_id, updated_at = now()
          WHERE (${RESULT_COLUMNS.map((c) => `m.${c}`).join(', ')}) IS DISTINCT FROM (${RESULT_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})
         RETURNING (m.xmax = 0) AS created)
       SELECT (SELECT count(*) FROM removed)::int AS removed,
              count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated
         FROM written`,
      [organizationId, course.id, incoming, tx.actor.staffId],
    )) as { removed: number; created: number; updated: number }[];
    result.created = written!.created;
    result.updated = written!.updated;
    result.unchanged = people.length - written!.created - written!.updated;
    result.removed = written!.removed;

    if (followUp && followUpOpen) result.followUpEnrolled = await this.enrolFollowUps(tx, course, followUp);
    tx.audit({
      action: 'course.import_drill_results',
      entityType: 'course',
      entityId: course.id,
      context: { ...result, ...source },
    });
    // the drill has been run: a planned one (a draft, hidden from the managers) is now published with its results
    if (course.status === 'draft') {
      await tx.update(
        course,
        { status: 'published', publishedAt: new Date(), publishedById: tx.actor.staffId },
        { action: 'course.publish', entityType: 'course', omit: ['body', 'bodyEn', 'quiz'], context: { reason: 'drill_results_imported', enrolled: 0 } },
      );
    }
    return result;
  }

  /**
   * Enrols the people of the drill who clicked (or submitted data) without reporting in its
   * follow-up course, in one INSERT … SELECT: due 30 days on, as a joiner is; someone enrolled
   * already (by an earlier import, or otherwise) is left as they are. Each new enrolment has its
   * audit row, and the people are told in messages of ENROLMENTS_PER_MESSAGE.
   */
  private async enrolFollowUps(tx: Transaction, drill: Course, followUp: Course): Promise<number> {
    const rows = (await tx.manager.query(
      `INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, due_on)
       SELECT m.organization_id, $3, $4, s.id, s.department_id, 'follow_up', $5::date
         FROM mail_drill_results m JOIN staff s ON s.id = m.staff_id
        WHERE m.organization_id = $1 AND m.course_id = $2 AND m.clicked AND NOT m.reported AND s.status = 'active'
        ORDER BY s.employee_number
       ON CONFLICT (course_id, staff_id) DO NOTHING
       RETURNING id, staff_id, department_id, due_on::text AS due_on`,
      [tx.actor.organizationId, drill.id, followUp.id, followUp.fiscalYear, joinerDueOn(followUp.dueOn, followUp.fiscalYear)],
    )) as { id: string; staff_id: string; department_id: string | null; due_on: string }[];
    if (rows.length === 0) return 0;
    tx.auditMany(
      rows.map((row) => ({
        action: 'enrolment.follow_up',
        entityType: 'enrolment',
        entityId: row.id,
        after: { staffId: row.staff_id, departmentId: row.department_id, dueOn: row.due_on, source: 'follow_up' },
        context: { courseId: followUp.id, drillCourseId: drill.id },
      })),
    );
    const messages = [];
    for (let i = 0; i < rows.length; i += ENROLMENTS_PER_MESSAGE) {
      const chunk = rows.slice(i, i + ENROLMENTS_PER_MESSAGE).map((row) => row.id);
      messages.push({ topic: 'training.enrolled' as const, dedupeKey: `enrolled:${chunk[0]}`, payload: { enrolmentIds: chunk } });
    }
    await tx.outbox(messages);
    return rows.length;
  }

  /** The staff the rows name, in the rows' order (one query: e-mail addresses are stored lower-case; employee numbers as given). */
  private async match(manager: EntityManager, organizationId: string, file: DrillRows): Promise<Matched[]> {
    if (file.rows.length === 0) return [];
    const column = file.key === 'email' ? 's.email' : 's.employee_number';
    const found = (await manager.query(
      `SELECT r.line, s.id AS staff_id, s.status
         FROM json_to_recordset($2::json) AS r(line int, key text)
         LEFT JOIN staff s ON s.organization_id = $1 AND ${column} = r.key`,
      [organizationId, JSON.stringify(file.rows.map((row) => ({ line: row.line, key: row.email ?? row.employeeNumber })))],
    )) as Matched[];
    const byLine = new Map(found.map((row) => [row.line, row]));
    return file.rows.map((row) => byLine.get(row.line) ?? { line: row.line, staff_id: null, status: null });
  }
}
