import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * duty_reminders: the reminders of their outstanding duties sent to people from their department's
 * page, at most one a person a day (uq_duty_reminders_day); who sent it, from which department.
 */
export class AddDutyReminders1796102000000 implements MigrationInterface {
  name = 'AddDutyReminders1796102000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "duty_reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "department_id" uuid NOT NULL, "reminded_on" date NOT NULL, "reminded_by_id" uuid, "duties" integer NOT NULL, CONSTRAINT "PK_ee5fb33a7299fb9b7b63be71513" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7583c26c94607aef57b7552a4f" ON "duty_reminders"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_dcf206a47c751e332f3b4611b5" ON "duty_reminders"  ("department_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_duty_reminders_day" ON "duty_reminders"  ("staff_id", "reminded_on") `);
    await queryRunner.query(
      `ALTER TABLE "duty_reminders" ADD CONSTRAINT "FK_7583c26c94607aef57b7552a4fb" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "duty_reminders" ADD CONSTRAINT "FK_667868f8252b54a9f6237f1679e" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "duty_reminders" ADD CONSTRAINT "FK_dcf206a47c751e332f3b4611b59" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "duty_reminders" ADD CONSTRAINT "FK_558370aa1cd55a3ad03505ff4bc" FOREIGN KEY ("reminded_by_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "duty_reminders" DROP CONSTRAINT "FK_558370aa1cd55a3ad03505ff4bc"`);
    await queryRunner.query(`ALTER TABLE "duty_reminders" DROP CONSTRAINT "FK_dcf206a47c751e332f3b4611b59"`);
    await queryRunner.query(`ALTER TABLE "duty_reminders" DROP CONSTRAINT "FK_667868f8252b54a9f6237f1679e"`);
    await queryRunner.query(`ALTER TABLE "duty_reminders" DROP CONSTRAINT "FK_7583c26c94607aef57b7552a4fb"`);
    await queryRunner.query(`DROP INDEX "public"."uq_duty_reminders_day"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dcf206a47c751e332f3b4611b5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7583c26c94607aef57b7552a4f"`);
    await queryRunner.query(`DROP TABLE "duty_reminders"`);
  }
}
