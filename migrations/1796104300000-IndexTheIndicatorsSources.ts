import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The indexes the indicators read at a national scale (issue 13's EXPLAIN check: no sequential scan
 * of a large table):
 * - the figures index carries the due day too: the training-completion indicator counts the
 *   enrolments not yet due (its pace) beside the completions, from the index alone;
 * - the enrolments still open at a moment (the list of the people not trained): none of completed,
 *   exempt, withdrawn before it, i.e. the earliest of the three (or infinity) after it;
 * - findings by due day (findings closed on time), with the times the indicator reads and what its
 *   list of the late ones shows, so that list reads the index alone;
 * - the targeted-mail drills' results by course (the report rate), with what it counts.
 */
export class IndexTheIndicatorsSources1796104300000 implements MigrationInterface {
  name = 'IndexTheIndicatorsSources1796104300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_figures"`);
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_figures" ON "enrolments" ("organization_id", "fiscal_year", "course_id", "department_id") INCLUDE ("enrolled_at", "completed_at", "completed_late", "exempt_at", "withdrawn_at", "due_on")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_open_until" ON "enrolments" ("organization_id", "fiscal_year", (coalesce(least("completed_at", "exempt_at", "withdrawn_at"), 'infinity'::timestamptz)))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_findings_due" ON "findings" ("organization_id", "due_date", "verified_at", "created_at") INCLUDE ("id", "reference", "title")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_mail_drill_results_figures" ON "mail_drill_results" ("organization_id", "course_id", "created_at", "sent", "reported", "clicked") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_mail_drill_results_figures"`);
    await queryRunner.query(`DROP INDEX "public"."ix_findings_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_open_until"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_figures"`);
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_figures" ON "enrolments" ("organization_id", "fiscal_year", "course_id", "department_id") INCLUDE ("enrolled_at", "completed_at", "completed_late", "exempt_at", "withdrawn_at")`,
    );
  }
}
