import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddControlStatusEvidenceReviewsAndAcknowledgements1795570985391 implements MigrationInterface {
    name = 'AddControlStatusEvidenceReviewsAndAcknowledgements1795570985391'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "control_evidence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "control_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "content_type" character varying(100) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "content" bytea, "storage_path" character varying(500), "note" text, "uploaded_by_id" uuid, CONSTRAINT "PK_5d30dffc27d915345d0dcbac9c0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_b7ab4737e20122328ea76f7bd7" ON "control_evidence"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_5b30c3ee6f8c8779f41dab5a0c" ON "control_evidence"  ("control_id") `);
        await queryRunner.query(`CREATE TABLE "framework_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "framework" character varying(16) NOT NULL, "code" character varying(32) NOT NULL, "title" character varying(300) NOT NULL, "group_code" character varying(32) NOT NULL, CONSTRAINT "PK_6ecb1838216f0740424565f5aaf" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_270e734e23bdc6dfe1ea10e2b7" ON "framework_items"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_framework_items_code" ON "framework_items"  ("organization_id", "framework", "code") `);
        await queryRunner.query(`CREATE TABLE "policy_reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "policy_id" uuid NOT NULL, "policy_version_id" uuid, "outcome" character varying(16) NOT NULL, "notes" text NOT NULL, "reviewed_by_id" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_on" date, CONSTRAINT "PK_1387c882817e624e8f2fddfa6e8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0e4755d35c32b11926b695c32c" ON "policy_reviews"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_edd4724e3c8f4badd5246d2012" ON "policy_reviews"  ("policy_id") `);
        await queryRunner.query(`CREATE TABLE "acknowledgement_duties" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "policy_version_id" uuid NOT NULL, "due_on" date NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "client_address" character varying(64), CONSTRAINT "PK_81b3f3c77c295f2c1ef31ebcf88" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_7c041c1c5bf91f59e0209c8bdc" ON "acknowledgement_duties"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_928b6ef7400b29c74ba89724e2" ON "acknowledgement_duties"  ("policy_version_id") `);
        await queryRunner.query(`CREATE INDEX "ix_acknowledgement_duties_open" ON "acknowledgement_duties"  ("organization_id", "staff_id") WHERE acknowledged_at IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_acknowledgement_duties" ON "acknowledgement_duties"  ("staff_id", "policy_version_id") `);
        await queryRunner.query(`ALTER TABLE "policies" ADD "next_review_due" date`);
        await queryRunner.query(`ALTER TABLE "policies" ADD "last_reviewed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "policies" ADD "revision_requested" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "policy_versions" ADD "acknowledgement_required" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "policy_versions" ADD "superseded_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "controls" ADD "status_reason" text`);
        await queryRunner.query(`ALTER TABLE "controls" ADD "status_changed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "controls" ADD "status_changed_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "controls" ADD "last_checked_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "controls" ADD "next_check_due" date`);
        await queryRunner.query(`ALTER TABLE "controls" ADD "owner_department_id" uuid`);
        await queryRunner.query(`CREATE INDEX "IDX_19003405cb263a6f918160c8f3" ON "policies"  ("next_review_due") `);
        await queryRunner.query(`CREATE INDEX "IDX_430a681428c1b1dd7301b84162" ON "controls"  ("next_check_due") `);
        await queryRunner.query(`CREATE INDEX "IDX_1ebc93be7513c201f8dbf72002" ON "controls"  ("owner_department_id") `);
        await queryRunner.query(`ALTER TABLE "controls" ADD CONSTRAINT "FK_1ebc93be7513c201f8dbf72002c" FOREIGN KEY ("owner_department_id") REFERENCES "departments"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "control_evidence" ADD CONSTRAINT "FK_b7ab4737e20122328ea76f7bd73" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "control_evidence" ADD CONSTRAINT "FK_5b30c3ee6f8c8779f41dab5a0c3" FOREIGN KEY ("control_id") REFERENCES "controls"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "framework_items" ADD CONSTRAINT "FK_270e734e23bdc6dfe1ea10e2b7b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "policy_reviews" ADD CONSTRAINT "FK_0e4755d35c32b11926b695c32ca" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "policy_reviews" ADD CONSTRAINT "FK_edd4724e3c8f4badd5246d2012a" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "acknowledgement_duties" ADD CONSTRAINT "FK_7c041c1c5bf91f59e0209c8bdc1" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "acknowledgement_duties" ADD CONSTRAINT "FK_e184284bd764f4ce2e896b572c1" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "acknowledgement_duties" ADD CONSTRAINT "FK_928b6ef7400b29c74ba89724e27" FOREIGN KEY ("policy_version_id") REFERENCES "policy_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "acknowledgement_duties" DROP CONSTRAINT "FK_928b6ef7400b29c74ba89724e27"`);
        await queryRunner.query(`ALTER TABLE "acknowledgement_duties" DROP CONSTRAINT "FK_e184284bd764f4ce2e896b572c1"`);
        await queryRunner.query(`ALTER TABLE "acknowledgement_duties" DROP CONSTRAINT "FK_7c041c1c5bf91f59e0209c8bdc1"`);
        await queryRunner.query(`ALTER TABLE "policy_reviews" DROP CONSTRAINT "FK_edd4724e3c8f4badd5246d2012a"`);
        await queryRunner.query(`ALTER TABLE "policy_reviews" DROP CONSTRAINT "FK_0e4755d35c32b11926b695c32ca"`);
        await queryRunner.query(`ALTER TABLE "framework_items" DROP CONSTRAINT "FK_270e734e23bdc6dfe1ea10e2b7b"`);
        await queryRunner.query(`ALTER TABLE "control_evidence" DROP CONSTRAINT "FK_5b30c3ee6f8c8779f41dab5a0c3"`);
        await queryRunner.query(`ALTER TABLE "control_evidence" DROP CONSTRAINT "FK_b7ab4737e20122328ea76f7bd73"`);
        await queryRunner.query(`ALTER TABLE "controls" DROP CONSTRAINT "FK_1ebc93be7513c201f8dbf72002c"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1ebc93be7513c201f8dbf72002"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_430a681428c1b1dd7301b84162"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_19003405cb263a6f918160c8f3"`);
        await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "owner_department_id"`);
        await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "next_check_due"`);
        await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "last_checked_at"`);
        await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "status_changed_by_id"`);
        await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "status_changed_at"`);
        await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "status_reason"`);
        await queryRunner.query(`ALTER TABLE "policy_versions" DROP COLUMN "superseded_at"`);
        await queryRunner.query(`ALTER TABLE "policy_versions" DROP COLUMN "acknowledgement_required"`);
        await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "revision_requested"`);
        await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "last_reviewed_at"`);
        await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "next_review_due"`);
        await queryRunner.query(`DROP INDEX "public"."uq_acknowledgement_duties"`);
        await queryRunner.query(`DROP INDEX "public"."ix_acknowledgement_duties_open"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_928b6ef7400b29c74ba89724e2"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_7c041c1c5bf91f59e0209c8bdc"`);
        await queryRunner.query(`DROP TABLE "acknowledgement_duties"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_edd4724e3c8f4badd5246d2012"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0e4755d35c32b11926b695c32c"`);
        await queryRunner.query(`DROP TABLE "policy_reviews"`);
        await queryRunner.query(`DROP INDEX "public"."uq_framework_items_code"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_270e734e23bdc6dfe1ea10e2b7"`);
        await queryRunner.query(`DROP TABLE "framework_items"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5b30c3ee6f8c8779f41dab5a0c"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_b7ab4737e20122328ea76f7bd7"`);
        await queryRunner.query(`DROP TABLE "control_evidence"`);
    }

}
