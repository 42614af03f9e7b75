import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * external_report_reminders: one row per external report, reminder rule (due_soon, overdue) and day
 * (Asia/Tokyo) the daily job fired; the unique key (uq_external_report_reminders) makes a second run
 * the same day send nothing.
 */
export class AddExternalReportReminders1796103200000 implements MigrationInterface {
  name = 'AddExternalReportReminders1796103200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "external_report_reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "external_report_id" uuid NOT NULL, "rule" character varying(12) NOT NULL, "sent_on" date NOT NULL, CONSTRAINT "PK_170dc90f0b54a6642b6f63461e5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_bf3c88f434c12dfe593afe808b" ON "external_report_reminders"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_external_report_reminders" ON "external_report_reminders"  ("external_report_id", "rule", "sent_on") `);
    await queryRunner.query(
      `ALTER TABLE "external_report_reminders" ADD CONSTRAINT "FK_bf3c88f434c12dfe593afe808b9" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "external_report_reminders" DROP CONSTRAINT "FK_bf3c88f434c12dfe593afe808b9"`);
    await queryRunner.query(`DROP INDEX "public"."uq_external_report_reminders"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf3c88f434c12dfe593afe808b"`);
    await queryRunner.query(`DROP TABLE "external_report_reminders"`);
  }
}
