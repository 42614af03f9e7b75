import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page, type PageQuery } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Course } from './course.entity.js';
import type { ExemptDto, ExemptionView, YearExemptionDto } from './dto/exemption.dto.js';
import { Enrolment, enrolmentState, type ExemptionKind } from './enrolment.entity.js';
import { TRAINING } from './training.permissions.js';

/** What exempting a person for a fiscal year did. */
export interface YearExemptionResult {
  exempted: number;
  enrolmentIds: string[];
}

interface ExemptionRow {
  enrolment_id: string;
  course_id: string;
  staff_id: string;
  employee_number: string;
  family_name: string;
  given_name: string;
  department_id: string | null;
  department_code: string | null;
  department_name: string | null;
  department_name_en: string | null;
  exemption_kind: ExemptionKind;
  exemption_reason: string;
  exempt_at: Date;
  exempted_by_id: string | null;
  exempted_by_number: string | null;
  exempted_by_family_name: string | null;
  exempted_by_given_name: string | null;
}

/** The exempt enrolments (not completed since) with the person, their department and who exempted them. */
const EXEMPTIONS_SQL = `
  SELECT e.id AS enrolment_id, e.course_id, s.id AS staff_id, s.employee_number, s.family_name, s.given_name,
         d.id AS department_id, d.code AS department_code, d.name AS department_name, d.name_en AS department_name_en,
         e.exemption_kind, e.exemption_reason, e.exempt_at,
         b.id AS exempted_by_id, b.employee_number AS exempted_by_number, b.family_name AS exempted_by_family_name, b.given_name AS exempted_by_given_name
    FROM enrolments e
    JOIN staff s ON s.id = e.staff_id
    LEFT JOIN departments d ON d.id = e.department_id
    LEFT JOIN staff b ON b.id = e.exempted_by_id AND b.organization_id = e.organization_id
   WHERE e.organization_id = $1 AND e.exempt_at IS NOT NULL AND e.completed_at IS NULL`;

function viewOf(row: ExemptionRow): ExemptionView {
  return {
    enrolmentId: row.enrolment_id,
    courseId: row.course_id,
    staff: { id: row.staff_id, employeeNumber: row.employee_number, familyName: row.family_name, givenName: row.given_name },
    department: row.department_id ? { id: row.department_id, code: row.department_code!, name: row.department_name!, nameEn: row.department_name_en } : null,
    kind: row.exemption_kind,
    reason: row.exemption_reason,
    exemptAt: row.exempt_at,
    exemptedBy: row.exempted_by_id
      ? { id: row.exempted_by_id, employeeNumber: row.exempted_by_number!, familyName: row.exempted_by_family_name!, givenName: row.exempted_by_given_name! }
      : null,
  };
}

/**
 * Exemptions from training (免除: long leave, secondment) by the security office, with a reason:
 * an exempt enrolment leaves the denominator of every figure from the moment it was exempted, and
 * is listed with who exempted whom, when and why. Only enrolments of published courses that are
 * still open can be exempted; lifting an exemption opens the enrolment again.
 */
@Injectable()
export class ExemptionsService {
  constructor(private readonly uow: UnitOfWork) {}

  async exempt(actor: Actor, enrolmentId: string, dto: ExemptDto): Promise<ExemptionView> {
    assertMay(actor, TRAINING.exempt);
    await this.uow.run(actor, async (tx) => {
      const enrolment = await this.lockOpenCourseEnrolment(tx, enrolmentId);
      const state = enrolmentState(enrolment);
      if (state === 'exempt') throw new AppException('ALREADY_EXEMPT');
      if (state !== 'open') throw new AppException('ENROLMENT_NOT_OPEN', `The enrolment is ${state}: there is nothing to exempt`);
      await tx.update(
        enrolment,
        { exemptAt: new Date(), exemptionKind: dto.kind, exemptionReason: dto.reason, exemptedById: actor.staffId },
        { action: 'enrolment.exempt', entityType: 'enrolment', context: { courseId: enrolment.courseId } },
      );
    });
    return this.exemptionOf(actor, enrolmentId);
  }

  /** Lifts an exemption: the enrolment is owed again (withdrawn again, if the person has left meanwhile). */
  async unexempt(actor: Actor, enrolmentId: string): Promise<void> {
    assertMay(actor, TRAINING.exempt);
    await this.uow.run(actor, async (tx) => {
      const enrolment = await this.lockOpenCourseEnrolment(tx, enrolmentId);
      if (!enrolment.exemptAt || enrolment.completedAt) throw new AppException('NOT_EXEMPT');
      // someone who retired while exempt owes nothing: the enrolment is withdrawn, as it would have been
      const [person] = (await tx.manager.query(`SELECT status FROM staff WHERE id = $1 AND organization_id = $2`, [
        enrolment.staffId,
        actor.organizationId,
      ])) as {
        status: string;
      }[];
      await tx.update(
        enrolment,
        {
          exemptAt: null,
          exemptionKind: null,
          exemptionReason: null,
          exemptedById: null,
          ...(person?.status === 'retired' ? { withdrawnAt: new Date() } : {}),
        },
        { action: 'enrolment.unexempt', entityType: 'enrolment', context: { courseId: enrolment.courseId } },
      );
    });
  }

  /**
   * Exempts a person from every open enrolment of a fiscal year's published courses (a year's
   * secondment) in one statement; returns the enrolments exempted now (none is an answer too).
   */
  async exemptForYear(actor: Actor, staffId: string, dto: YearExemptionDto): Promise<YearExemptionResult> {
    assertMay(actor, TRAINING.exempt);
    return this.uow.run(actor, async (tx) => {
      const [person] = (await tx.manager.query(`SELECT id FROM staff WHERE id = $1 AND organization_id = $2 FOR UPDATE`, [staffId, actor.organizationId])) as {
        id: string;
      }[];
      if (!person) throw new AppException('STAFF_NOT_FOUND');
      const exemptAt = new Date();
      const [rows] = (await tx.manager.query(
        `UPDATE enrolments e
            SET exempt_at = $4, exemption_kind = $5, exemption_reason = $6, exempted_by_id = $7, updated_at = now()
           FROM courses c
          WHERE e.organization_id = $1 AND e.staff_id = $2 AND e.fiscal_year = $3
            AND c.id = e.course_id AND c.organization_id = e.organization_id AND c.status = 'published'
            AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL
        RETURNING e.id, e.course_id, e.department_id`,
        [actor.organizationId, staffId, dto.fiscalYear, exemptAt.toISOString(), dto.kind, dto.reason, actor.staffId],
      )) as [{ id: string; course_id: string; department_id: string | null }[], number];
      tx.auditMany(
        rows.map((row) => ({
          action: 'enrolment.exempt',
          entityType: 'enrolment',
          entityId: row.id,
          after: { staffId, departmentId: row.department_id, exemptAt, exemptionKind: dto.kind, exemptionReason: dto.reason, exemptedById: actor.staffId },
          context: { courseId: row.course_id, fiscalYear: dto.fiscalYear, wholeYear: true },
        })),
      );
      return { exempted: rows.length, enrolmentIds: rows.map((row) => row.id) };
    });
  }

  /** The exempt people of a course, by department code and employee number. */
  async list(actor: Actor, courseId: string, query: PageQuery): Promise<Page<ExemptionView>> {
    assertMay(actor, TRAINING.exempt);
    const course = await this.uow.manager
      .getRepository(Course)
      .findOne({ where: { id: courseId, organizationId: actor.organizationId }, select: { id: true } });
    if (!course) throw new AppException('COURSE_NOT_FOUND');
    const { skip, take } = skipTake(query);
    const rows = (await this.uow.manager.query(
      `${EXEMPTIONS_SQL} AND e.course_id = $2
        ORDER BY d.code NULLS LAST, s.employee_number, e.id
        LIMIT $3 OFFSET $4`,
      [actor.organizationId, courseId, take, skip],
    )) as ExemptionRow[];
    const [{ total }] = (await this.uow.manager.query(
      `SELECT count(*)::int AS total FROM enrolments WHERE organization_id = $1 AND course_id = $2 AND exempt_at IS NOT NULL AND completed_at IS NULL`,
      [actor.organizationId, courseId],
    )) as [{ total: number }];
    return pageOf(rows.map(viewOf), total, query);
  }

  /**
   * The enrolment of a person (by employee number) in a course, for the pages' form that names
   * people as the office knows them: 404 naming `employeeNumber` when there is no such person
   * (STAFF_NOT_FOUND) or they are not enrolled (ENROLMENT_NOT_FOUND).
   */
  async enrolmentOf(actor: Actor, courseId: string, employeeNumber: string): Promise<{ enrolmentId: string; staffId: string }> {
    assertMay(actor, TRAINING.exempt);
    const number = employeeNumber.normalize('NFKC').trim();
    const [row] = (await this.uow.manager.query(
      `SELECT s.id AS staff_id, e.id AS enrolment_id
         FROM staff s LEFT JOIN enrolments e ON e.staff_id = s.id AND e.course_id = $3 AND e.organization_id = s.organization_id
        WHERE s.organization_id = $1 AND s.employee_number = $2`,
      [actor.organizationId, number, courseId],
    )) as { staff_id: string; enrolment_id: string | null }[];
    if (!row)
      throw new AppException('STAFF_NOT_FOUND', `No member of staff has employee number ${number}`, [
        { field: 'employeeNumber', messages: ['no such employee number'] },
      ]);
    if (!row.enrolment_id)
      throw new AppException('ENROLMENT_NOT_FOUND', `${number} is not enrolled in the course`, [
        { field: 'employeeNumber', messages: ['not enrolled in the course'] },
      ]);
    return { enrolmentId: row.enrolment_id, staffId: row.staff_id };
  }

  private async exemptionOf(actor: Actor, enrolmentId: string): Promise<ExemptionView> {
    const [row] = (await this.uow.manager.query(`${EXEMPTIONS_SQL} AND e.id = $2`, [actor.organizationId, enrolmentId])) as ExemptionRow[];
    return viewOf(row!);
  }

  /** The enrolment, locked for the change, of a published course (a draft has none; a closed one stays as it was). */
  private async lockOpenCourseEnrolment(tx: Transaction, enrolmentId: string): Promise<Enrolment> {
    const enrolment = await tx.manager
      .getRepository(Enrolment)
      .findOne({ where: { id: enrolmentId, organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!enrolment) throw new AppException('ENROLMENT_NOT_FOUND', 'No such enrolment');
    const course = await tx.manager
      .getRepository(Course)
      .findOne({ where: { id: enrolment.courseId, organizationId: tx.actor.organizationId }, select: { id: true, status: true } });
    if (course?.status !== 'published') throw new AppException('COURSE_NOT_PUBLISHED', 'The course is closed: its enrolments stay as they were');
    return enrolment;
  }
}
