import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAuditsChecklistsAndReminders1796103600000 implements MigrationInterface {
  name = 'AddAuditsChecklistsAndReminders1796103600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "corrective_action_reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "corrective_action_id" uuid NOT NULL, "rule" character varying(16) NOT NULL, "due_date" date NOT NULL, "sent_on" date NOT NULL, CONSTRAINT "PK_5485cd8b445dd5e1651255b3f3e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_1fe2b66c1cba560822d01f66ee" ON "corrective_action_reminders"  ("organization_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_corrective_action_reminders" ON "corrective_action_reminders"  ("corrective_action_id", "rule", "due_date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_sign_offs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "audit_id" uuid NOT NULL, "department_id" uuid NOT NULL, "signed_by_id" uuid NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "note" text, CONSTRAINT "PK_e3301eb12ae836a9743afd149de" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_779fea69d5a79b78c925766101" ON "audit_sign_offs"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_audit_sign_offs" ON "audit_sign_offs"  ("audit_id", "department_id") `);
    await queryRunner.query(
      `CREATE TABLE "audits" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reference" character varying(20) NOT NULL, "fiscal_year" integer NOT NULL, "kind" character varying(16) NOT NULL, "title" character varying(200) NOT NULL, "scope" jsonb NOT NULL, "department_ids" uuid array NOT NULL DEFAULT '{}', "lead_auditor_id" uuid NOT NULL, "auditor_ids" uuid array NOT NULL DEFAULT '{}', "planned_start" date NOT NULL, "planned_end" date NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'planned', "started_at" TIMESTAMP WITH TIME ZONE, "reported_at" TIMESTAMP WITH TIME ZONE, "summary" text NOT NULL DEFAULT '', "accepted_at" TIMESTAMP WITH TIME ZONE, "accepted_by_id" uuid, "acceptance_note" text, "planned_by_id" uuid, CONSTRAINT "ck_audits_dates" CHECK ("planned_end" >= "planned_start"), CONSTRAINT "ck_audits_status" CHECK ("status" IN ('planned', 'in_progress', 'reporting', 'closed')), CONSTRAINT "ck_audits_kind" CHECK ("kind" IN ('internal_audit', 'external_audit', 'self_inspection')), CONSTRAINT "PK_b2d7a2089999197dc7024820f28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_abde505f056e2f46c5df2c1249" ON "audits"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "ix_audits_fiscal_year" ON "audits"  ("organization_id", "fiscal_year", "planned_start") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_audits_reference" ON "audits"  ("organization_id", "reference") `);
    await queryRunner.query(
      `CREATE TABLE "audit_checklist_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "audit_id" uuid NOT NULL, "control_id" uuid NOT NULL, "control_code" character varying(16) NOT NULL, "chapter" smallint NOT NULL, "department_id" uuid NOT NULL, "department_code" character varying(32) NOT NULL, "result" character varying(24), "note" text, "answered_by_id" uuid, "answered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_audit_checklist_items_result" CHECK ("result" IS NULL OR "result" IN ('conformant', 'observation', 'minor_nonconformity', 'major_nonconformity', 'not_applicable')), CONSTRAINT "PK_9f51b4540cd712fade2a7160c76" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_9b301d742fe5b83669f14ace43" ON "audit_checklist_items"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_checklist_items_department" ON "audit_checklist_items"  ("audit_id", "department_id", "control_code") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_checklist_items_order" ON "audit_checklist_items"  ("audit_id", "control_code", "department_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_audit_checklist_items" ON "audit_checklist_items"  ("audit_id", "control_id", "department_id") `);
    await queryRunner.query(
      `CREATE TABLE "audit_checklist_evidence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "audit_id" uuid NOT NULL, "checklist_item_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "content_type" character varying(100) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "content" bytea, "storage_path" character varying(500), "uploaded_by_id" uuid, CONSTRAINT "PK_a03bbc4741ea2d6b5a838c00fbf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_dda7d9201a7e70e1fb78e6c39f" ON "audit_checklist_evidence"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_checklist_evidence_item" ON "audit_checklist_evidence"  ("checklist_item_id") `);
    await queryRunner.query(`ALTER TABLE "controls" ADD "audit_question" text`);
    await queryRunner.query(`ALTER TABLE "controls" ADD "audit_question_en" text`);
    await queryRunner.query(`ALTER TABLE "controls" ADD "evidence_hints" text`);
    await queryRunner.query(`ALTER TABLE "controls" ADD "evidence_hints_en" text`);
    await queryRunner.query(`ALTER TABLE "findings" ADD "checklist_item_id" uuid`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_findings_checklist_item" ON "findings"  ("checklist_item_id") WHERE "checklist_item_id" IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "corrective_action_reminders" ADD CONSTRAINT "FK_1fe2b66c1cba560822d01f66ee3" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_sign_offs" ADD CONSTRAINT "FK_779fea69d5a79b78c9257661017" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audits" ADD CONSTRAINT "FK_abde505f056e2f46c5df2c12491" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_checklist_items" ADD CONSTRAINT "FK_9b301d742fe5b83669f14ace430" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_checklist_evidence" ADD CONSTRAINT "FK_dda7d9201a7e70e1fb78e6c39f7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_checklist_evidence" DROP CONSTRAINT "FK_dda7d9201a7e70e1fb78e6c39f7"`);
    await queryRunner.query(`ALTER TABLE "audit_checklist_items" DROP CONSTRAINT "FK_9b301d742fe5b83669f14ace430"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP CONSTRAINT "FK_abde505f056e2f46c5df2c12491"`);
    await queryRunner.query(`ALTER TABLE "audit_sign_offs" DROP CONSTRAINT "FK_779fea69d5a79b78c9257661017"`);
    await queryRunner.query(`ALTER TABLE "corrective_action_reminders" DROP CONSTRAINT "FK_1fe2b66c1cba560822d01f66ee3"`);
    await queryRunner.query(`DROP INDEX "public"."uq_findings_checklist_item"`);
    await queryRunner.query(`ALTER TABLE "findings" DROP COLUMN "checklist_item_id"`);
    await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "evidence_hints_en"`);
    await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "evidence_hints"`);
    await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "audit_question_en"`);
    await queryRunner.query(`ALTER TABLE "controls" DROP COLUMN "audit_question"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_checklist_evidence_item"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dda7d9201a7e70e1fb78e6c39f"`);
    await queryRunner.query(`DROP TABLE "audit_checklist_evidence"`);
    await queryRunner.query(`DROP INDEX "public"."uq_audit_checklist_items"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_checklist_items_order"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_checklist_items_department"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9b301d742fe5b83669f14ace43"`);
    await queryRunner.query(`DROP TABLE "audit_checklist_items"`);
    await queryRunner.query(`DROP INDEX "public"."uq_audits_reference"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audits_fiscal_year"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_abde505f056e2f46c5df2c1249"`);
    await queryRunner.query(`DROP TABLE "audits"`);
    await queryRunner.query(`DROP INDEX "public"."uq_audit_sign_offs"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_779fea69d5a79b78c925766101"`);
    await queryRunner.query(`DROP TABLE "audit_sign_offs"`);
    await queryRunner.query(`DROP INDEX "public"."uq_corrective_action_reminders"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1fe2b66c1cba560822d01f66ee"`);
    await queryRunner.query(`DROP TABLE "corrective_action_reminders"`);
  }
}
