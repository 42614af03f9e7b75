import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index the completion figures read on their own (an index-only scan), in the shape of their
 * query: a fiscal year's enrolments of the courses counted (`course_id = ANY(…)`, so a targeted-mail
 * drill's rows or the other courses are never read), then the department credited (a manager's
 * figures), carrying the times and `completed_late` (late completions are counted too).
 */
export class ShapeTheFiguresIndexForTheCompletionQuery1796102500000 implements MigrationInterface {
  name = 'ShapeTheFiguresIndexForTheCompletionQuery1796102500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_figures"`);
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_figures" ON "enrolments" ("organization_id", "fiscal_year", "course_id", "department_id") INCLUDE ("enrolled_at", "completed_at", "completed_late", "exempt_at", "withdrawn_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_figures"`);
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_figures" ON "enrolments" ("organization_id", "fiscal_year", "department_id") INCLUDE ("course_id", "enrolled_at", "completed_at", "exempt_at", "withdrawn_at")`,
    );
  }
}
