import { MigrationInterface, QueryRunner } from 'typeorm';

export class RecordDrillRuns1796103900000 implements MigrationInterface {
  name = 'RecordDrillRuns1796103900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "drill_attendance" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "drill_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "invited" boolean NOT NULL DEFAULT true, "present" boolean NOT NULL DEFAULT false, "marked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8b9cc17ead89d6333a68b091da8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_191a477a01b9f8549c4e1f0917" ON "drill_attendance"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_drill_attendance" ON "drill_attendance"  ("drill_id", "staff_id") `);
    await queryRunner.query(
      `CREATE TABLE "drill_step_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "drill_id" uuid NOT NULL, "step_id" uuid NOT NULL, "position" integer NOT NULL, "done_at" TIMESTAMP WITH TIME ZONE NOT NULL, "note" text NOT NULL DEFAULT '', "recorded_by_id" uuid, CONSTRAINT "PK_08a9948a463d873201ef9d19d96" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_dae2d7b0dff6f1d80b96e5a936" ON "drill_step_records"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_drill_step_records" ON "drill_step_records"  ("drill_id", "position") `);
    await queryRunner.query(
      `CREATE TABLE "drill_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "drill_id" uuid NOT NULL, "kind" character varying(12) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "text" text NOT NULL, "recorded_by_id" uuid, CONSTRAINT "ck_drill_events_kind" CHECK ("kind" IN ('inject', 'problem')), CONSTRAINT "PK_90ca394fc95e0d27e07e814da64" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_364e58786b192ae5e4e0c0f84c" ON "drill_events"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "ix_drill_events" ON "drill_events"  ("drill_id", "occurred_at") `);
    await queryRunner.query(`ALTER TABLE "drills" ADD "started_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "drills" ADD "finished_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "drills" ADD "scenario_revision" integer`);
    await queryRunner.query(`ALTER TABLE "drills" ADD "recorded_on_paper" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "drills" ADD "lessons" text NOT NULL DEFAULT ''`);
    await queryRunner.query(
      `ALTER TABLE "drill_attendance" ADD CONSTRAINT "FK_191a477a01b9f8549c4e1f09174" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "drill_step_records" ADD CONSTRAINT "FK_dae2d7b0dff6f1d80b96e5a9367" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "drill_events" ADD CONSTRAINT "FK_364e58786b192ae5e4e0c0f84c4" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "drill_events" DROP CONSTRAINT "FK_364e58786b192ae5e4e0c0f84c4"`);
    await queryRunner.query(`ALTER TABLE "drill_step_records" DROP CONSTRAINT "FK_dae2d7b0dff6f1d80b96e5a9367"`);
    await queryRunner.query(`ALTER TABLE "drill_attendance" DROP CONSTRAINT "FK_191a477a01b9f8549c4e1f09174"`);
    await queryRunner.query(`ALTER TABLE "drills" DROP COLUMN "lessons"`);
    await queryRunner.query(`ALTER TABLE "drills" DROP COLUMN "recorded_on_paper"`);
    await queryRunner.query(`ALTER TABLE "drills" DROP COLUMN "scenario_revision"`);
    await queryRunner.query(`ALTER TABLE "drills" DROP COLUMN "finished_at"`);
    await queryRunner.query(`ALTER TABLE "drills" DROP COLUMN "started_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_drill_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_364e58786b192ae5e4e0c0f84c"`);
    await queryRunner.query(`DROP TABLE "drill_events"`);
    await queryRunner.query(`DROP INDEX "public"."uq_drill_step_records"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dae2d7b0dff6f1d80b96e5a936"`);
    await queryRunner.query(`DROP TABLE "drill_step_records"`);
    await queryRunner.query(`DROP INDEX "public"."uq_drill_attendance"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_191a477a01b9f8549c4e1f0917"`);
    await queryRunner.query(`DROP TABLE "drill_attendance"`);
  }
}
