import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreatePoliciesAndControls1795570602713 implements MigrationInterface {
    name = 'CreatePoliciesAndControls1795570602713'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "key" character varying(64) NOT NULL, "kind" character varying(32) NOT NULL, "title" character varying(200) NOT NULL, "title_en" character varying(200), "owner_role" character varying(32) NOT NULL, "review_interval_months" integer NOT NULL, "classification" character varying(32) NOT NULL, CONSTRAINT "PK_603e09f183df0108d8695c57e28" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_99014cc37299138c942ad2db5b" ON "policies"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_policies_key" ON "policies"  ("organization_id", "key") `);
        await queryRunner.query(`CREATE TABLE "policy_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "policy_id" uuid NOT NULL, "version" integer NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'draft', "content_hash" character(64) NOT NULL, "body" text NOT NULL, "front_matter" jsonb NOT NULL, "diff" text, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_125d2970fc66a316f84af16812e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_ec60d77d2e7f087a5d1a2feb30" ON "policy_versions"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_b39b765ed67f82c6b52d880713" ON "policy_versions"  ("policy_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_policy_versions_version" ON "policy_versions"  ("organization_id", "policy_id", "version") `);
        await queryRunner.query(`CREATE TABLE "controls" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" character varying(16) NOT NULL, "chapter" smallint NOT NULL, "title" character varying(300) NOT NULL, "title_en" character varying(300), "description" text NOT NULL, "description_en" text, "owner_role" character varying(32) NOT NULL, "frequency" character varying(16) NOT NULL, "essential" boolean NOT NULL DEFAULT false, "verified" boolean NOT NULL DEFAULT true, "mappings" jsonb NOT NULL, "status" character varying(32) NOT NULL DEFAULT 'not_implemented', "retired_at" TIMESTAMP WITH TIME ZONE, "content_hash" character(64) NOT NULL, CONSTRAINT "PK_caab9cdc105919cae31de77f61e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0228cf5a4eeaa4015680b42155" ON "controls"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_controls_code" ON "controls"  ("organization_id", "code") `);
        await queryRunner.query(`ALTER TABLE "policies" ADD CONSTRAINT "FK_99014cc37299138c942ad2db5b0" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "policy_versions" ADD CONSTRAINT "FK_ec60d77d2e7f087a5d1a2feb30e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "policy_versions" ADD CONSTRAINT "FK_b39b765ed67f82c6b52d880713e" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "controls" ADD CONSTRAINT "FK_0228cf5a4eeaa4015680b42155b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "controls" DROP CONSTRAINT "FK_0228cf5a4eeaa4015680b42155b"`);
        await queryRunner.query(`ALTER TABLE "policy_versions" DROP CONSTRAINT "FK_b39b765ed67f82c6b52d880713e"`);
        await queryRunner.query(`ALTER TABLE "policy_versions" DROP CONSTRAINT "FK_ec60d77d2e7f087a5d1a2feb30e"`);
        await queryRunner.query(`ALTER TABLE "policies" DROP CONSTRAINT "FK_99014cc37299138c942ad2db5b0"`);
        await queryRunner.query(`DROP INDEX "public"."uq_controls_code"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0228cf5a4eeaa4015680b42155"`);
        await queryRunner.query(`DROP TABLE "controls"`);
        await queryRunner.query(`DROP INDEX "public"."uq_policy_versions_version"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_b39b765ed67f82c6b52d880713"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_ec60d77d2e7f087a5d1a2feb30"`);
        await queryRunner.query(`DROP TABLE "policy_versions"`);
        await queryRunner.query(`DROP INDEX "public"."uq_policies_key"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_99014cc37299138c942ad2db5b"`);
        await queryRunner.query(`DROP TABLE "policies"`);
    }

}
