import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDrillRemindersAndCalendarFeeds1796104100000 implements MigrationInterface {
  name = 'AddDrillRemindersAndCalendarFeeds1796104100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "drill_reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "drill_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "starts_on" date NOT NULL, "sent_on" date NOT NULL, CONSTRAINT "ck_drill_reminders_kind" CHECK ("kind" IN ('week_before', 'day_before')), CONSTRAINT "PK_c83d476effbdf5c9149ee3693c0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_3fb715d1baec1d301ce3d25954" ON "drill_reminders"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_drill_reminders" ON "drill_reminders"  ("drill_id", "staff_id", "kind", "starts_on") `);
    await queryRunner.query(
      `CREATE TABLE "calendar_feeds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_045067d8bb57f971f3c5426ea71" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_c4da87ab4c1ea691b247a29939" ON "calendar_feeds"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_calendar_feeds_active" ON "calendar_feeds"  ("staff_id") WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_calendar_feeds_token_hash" ON "calendar_feeds"  ("token_hash") `);
    await queryRunner.query(
      `ALTER TABLE "drill_reminders" ADD CONSTRAINT "FK_3fb715d1baec1d301ce3d259549" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "calendar_feeds" ADD CONSTRAINT "FK_c4da87ab4c1ea691b247a299399" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "calendar_feeds" DROP CONSTRAINT "FK_c4da87ab4c1ea691b247a299399"`);
    await queryRunner.query(`ALTER TABLE "drill_reminders" DROP CONSTRAINT "FK_3fb715d1baec1d301ce3d259549"`);
    await queryRunner.query(`DROP INDEX "public"."uq_calendar_feeds_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_calendar_feeds_active"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c4da87ab4c1ea691b247a29939"`);
    await queryRunner.query(`DROP TABLE "calendar_feeds"`);
    await queryRunner.query(`DROP INDEX "public"."uq_drill_reminders"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3fb715d1baec1d301ce3d25954"`);
    await queryRunner.query(`DROP TABLE "drill_reminders"`);
  }
}
