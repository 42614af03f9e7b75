import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddIndicatorsAndYearCloses1796104200000 implements MigrationInterface {
  name = 'AddIndicatorsAndYearCloses1796104200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "fiscal_year_closes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "fiscal_year" integer NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_by_id" uuid, "as_of" date NOT NULL, "audit_trail_seq" bigint, "audit_trail_hash" character(64), "indicators" jsonb NOT NULL, "note" text, "reopened_at" TIMESTAMP WITH TIME ZONE, "reopened_by_id" uuid, "reopen_reason" text, CONSTRAINT "PK_c61b8bb4c204d94ae59a93da791" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_d4848f7eb9b3d6ad60f7d5b4fe" ON "fiscal_year_closes"  ("organization_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_fiscal_year_closes_in_force" ON "fiscal_year_closes"  ("organization_id", "fiscal_year") WHERE "reopened_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "indicators" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" character varying(64) NOT NULL, "title" character varying(200) NOT NULL, "title_en" character varying(200), "definition" text NOT NULL, "definition_en" text, "unit" character varying(16) NOT NULL, "direction" character varying(8) NOT NULL, "source" character varying(64) NOT NULL, "plan_item" character varying(32) NOT NULL, "baseline" jsonb, "targets" jsonb NOT NULL DEFAULT '[]', "update_every_months" integer, "position" integer NOT NULL, "content_hash" character(64) NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_indicators_direction" CHECK ("direction" IN ('higher', 'lower')), CONSTRAINT "ck_indicators_unit" CHECK ("unit" IN ('percent', 'count', 'yes_no')), CONSTRAINT "PK_6e24383c110600564187e92042e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6231c90d30600f3fadb6aaceb8" ON "indicators"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_indicators_code" ON "indicators"  ("organization_id", "code") `);
    await queryRunner.query(
      `CREATE TABLE "indicator_values" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "indicator_id" uuid NOT NULL, "fiscal_year" integer NOT NULL, "value" numeric(14,2) NOT NULL, "source_note" text NOT NULL, "measured_on" date NOT NULL, "entered_by_id" uuid, "entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_611038cccc7a74de92fed3da44d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_38ef602d236e9a0bf1c646161a" ON "indicator_values"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "ix_indicator_values_year" ON "indicator_values"  ("organization_id", "indicator_id", "fiscal_year", "entered_at") `);
    await queryRunner.query(
      `ALTER TABLE "fiscal_year_closes" ADD CONSTRAINT "FK_d4848f7eb9b3d6ad60f7d5b4fea" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicators" ADD CONSTRAINT "FK_6231c90d30600f3fadb6aaceb85" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator_values" ADD CONSTRAINT "FK_38ef602d236e9a0bf1c646161aa" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "indicator_values" DROP CONSTRAINT "FK_38ef602d236e9a0bf1c646161aa"`);
    await queryRunner.query(`ALTER TABLE "indicators" DROP CONSTRAINT "FK_6231c90d30600f3fadb6aaceb85"`);
    await queryRunner.query(`ALTER TABLE "fiscal_year_closes" DROP CONSTRAINT "FK_d4848f7eb9b3d6ad60f7d5b4fea"`);
    await queryRunner.query(`DROP INDEX "public"."ix_indicator_values_year"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_38ef602d236e9a0bf1c646161a"`);
    await queryRunner.query(`DROP TABLE "indicator_values"`);
    await queryRunner.query(`DROP INDEX "public"."uq_indicators_code"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6231c90d30600f3fadb6aaceb8"`);
    await queryRunner.query(`DROP TABLE "indicators"`);
    await queryRunner.query(`DROP INDEX "public"."uq_fiscal_year_closes_in_force"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d4848f7eb9b3d6ad60f7d5b4fe"`);
    await queryRunner.query(`DROP TABLE "fiscal_year_closes"`);
  }
}
