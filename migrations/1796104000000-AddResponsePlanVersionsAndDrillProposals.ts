import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddResponsePlanVersionsAndDrillProposals1796104000000 implements MigrationInterface {
  name = 'AddResponsePlanVersionsAndDrillProposals1796104000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "response_plan_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'draft', "body" text NOT NULL, "front_matter" jsonb NOT NULL DEFAULT '{}', "body_hash" character(64) NOT NULL, "source_hash" character(64), "scenario_revisions" jsonb NOT NULL DEFAULT '{}', "change_note" text, "drafted_by" uuid, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "superseded_at" TIMESTAMP WITH TIME ZONE, "next_review_due" date, CONSTRAINT "ck_response_plan_versions_status" CHECK ("status" IN ('draft', 'approved', 'superseded')), CONSTRAINT "PK_e7576605bbba40a1a32114dca0a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_dd756be671922a5ed725ed7378" ON "response_plan_versions"  ("organization_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_response_plan_versions_one_draft" ON "response_plan_versions"  ("organization_id") WHERE "status" = 'draft'`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_response_plan_versions_version" ON "response_plan_versions"  ("organization_id", "version") `);
    await queryRunner.query(
      `CREATE TABLE "drill_proposals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "drill_id" uuid NOT NULL, "scenario_id" uuid NOT NULL, "position" integer NOT NULL, "target_minutes" integer, "action" text, "reason" text NOT NULL, "proposed_by" uuid NOT NULL, "plan_version" integer NOT NULL, "scenario_revision" integer NOT NULL, CONSTRAINT "PK_876793c696e26105c7b29d56f93" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_e12402b9f190725926d36f64fd" ON "drill_proposals"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "ix_drill_proposals_drill" ON "drill_proposals"  ("organization_id", "drill_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "response_scenarios" ADD "latest_revision" integer NOT NULL DEFAULT '1'`);
    // every revision written so far was put in force by the sync: the newest is the one in force
    await queryRunner.query(`UPDATE "response_scenarios" SET "latest_revision" = "revision"`);
    await queryRunner.query(
      `ALTER TABLE "response_plan_versions" ADD CONSTRAINT "FK_dd756be671922a5ed725ed7378e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "drill_proposals" ADD CONSTRAINT "FK_e12402b9f190725926d36f64fd5" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "drill_proposals" DROP CONSTRAINT "FK_e12402b9f190725926d36f64fd5"`);
    await queryRunner.query(`ALTER TABLE "response_plan_versions" DROP CONSTRAINT "FK_dd756be671922a5ed725ed7378e"`);
    await queryRunner.query(`ALTER TABLE "response_scenarios" DROP COLUMN "latest_revision"`);
    await queryRunner.query(`DROP INDEX "public"."ix_drill_proposals_drill"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e12402b9f190725926d36f64fd"`);
    await queryRunner.query(`DROP TABLE "drill_proposals"`);
    await queryRunner.query(`DROP INDEX "public"."uq_response_plan_versions_version"`);
    await queryRunner.query(`DROP INDEX "public"."uq_response_plan_versions_one_draft"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dd756be671922a5ed725ed7378"`);
    await queryRunner.query(`DROP TABLE "response_plan_versions"`);
  }
}
