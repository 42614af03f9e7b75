import { MigrationInterface, QueryRunner } from "typeorm";

export class AddIncidentsEscalationAndFindings1796103000000 implements MigrationInterface {
    name = 'AddIncidentsEscalationAndFindings1796103000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "reference_counters" ("organization_id" uuid NOT NULL, "series" character varying(8) NOT NULL, "fiscal_year" integer NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_9a95fd9a23e6fa334febf179899" PRIMARY KEY ("organization_id", "series", "fiscal_year"))`);
        await queryRunner.query(`CREATE TABLE "corrective_actions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finding_id" uuid NOT NULL, "description" text NOT NULL, "assignee_id" uuid, "due_date" date NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'planned', "done_at" TIMESTAMP WITH TIME ZONE, "done_note" text, "verified_at" TIMESTAMP WITH TIME ZONE, "verified_by_id" uuid, "verify_note" text, CONSTRAINT "ck_corrective_actions_status" CHECK ("status" IN ('planned', 'done', 'verified', 'reopened')), CONSTRAINT "PK_b1382eccccc5ca8d821e3688ade" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3709d6a9bf213a9f9561ad4be1" ON "corrective_actions"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_corrective_actions_due" ON "corrective_actions"  ("organization_id", "status", "due_date") `);
        await queryRunner.query(`CREATE INDEX "ix_corrective_actions_finding" ON "corrective_actions"  ("finding_id") `);
        await queryRunner.query(`CREATE TABLE "findings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reference" character varying(20) NOT NULL, "fiscal_year" integer NOT NULL, "source" character varying(12) NOT NULL, "source_id" uuid, "title" character varying(300) NOT NULL, "description" text NOT NULL DEFAULT '', "severity" character varying(8) NOT NULL, "owner_department_id" uuid, "due_date" date NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "control_ids" uuid array NOT NULL DEFAULT '{}', "raised_by_id" uuid, "verified_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_findings_status" CHECK ("status" IN ('open', 'action_planned', 'in_progress', 'done', 'verified', 'reopened')), CONSTRAINT "ck_findings_severity" CHECK ("severity" IN ('low', 'medium', 'high')), CONSTRAINT "PK_ae9807d6293c23c13ff8804d09c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_4ea1d05beea31f0e838609b3b0" ON "findings"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_findings_status" ON "findings"  ("organization_id", "status", "due_date") `);
        await queryRunner.query(`CREATE INDEX "ix_findings_source" ON "findings"  ("organization_id", "source", "source_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_findings_reference" ON "findings"  ("organization_id", "reference") `);
        await queryRunner.query(`CREATE TABLE "escalation_climbs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "incident_id" uuid NOT NULL, "policy" jsonb NOT NULL, "trigger" character varying(10) NOT NULL, "start_reason" character varying(20) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "next_level" integer, "next_attempt" integer, "next_due_at" TIMESTAMP WITH TIME ZONE, "stopped_at" TIMESTAMP WITH TIME ZONE, "stop_reason" character varying(20), "stopped_by_id" uuid, CONSTRAINT "PK_d903b4241ad70c215b791f69225" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_7b35c3ce7f095e5f10f1b190eb" ON "escalation_climbs"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_escalation_climbs_due" ON "escalation_climbs"  ("next_due_at") WHERE stopped_at IS NULL AND next_due_at IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_escalation_climbs_running" ON "escalation_climbs"  ("incident_id") WHERE stopped_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "escalation_firings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "climb_id" uuid NOT NULL, "incident_id" uuid NOT NULL, "level" integer NOT NULL, "attempt" integer NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fired_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recipient_ids" uuid array NOT NULL DEFAULT '{}', "channels" jsonb NOT NULL DEFAULT '[]', "webhook_status" character varying(8), "webhook_claimed_at" TIMESTAMP WITH TIME ZONE, "webhook_sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_cf8a9238c6f34a333cb0933cb3b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_b4dd91714c186fb4c7d25ea7de" ON "escalation_firings"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_escalation_firings_incident" ON "escalation_firings"  ("incident_id", "fired_at") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_escalation_firings_attempt" ON "escalation_firings"  ("climb_id", "level", "attempt") `);
        await queryRunner.query(`CREATE TABLE "escalation_policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "key" character varying(60) NOT NULL, "name" character varying(200) NOT NULL, "name_en" character varying(200), "triggers" jsonb NOT NULL DEFAULT '[]', "levels" jsonb NOT NULL DEFAULT '[]', "webhook_url" character varying(500), "revision" integer NOT NULL DEFAULT '1', "active" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_aea3f30839009e0efd350e4cbc7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_f6c873469cef0e8549fbbc67eb" ON "escalation_policies"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_escalation_policies_key" ON "escalation_policies"  ("organization_id", "key") `);
        await queryRunner.query(`CREATE TABLE "external_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "incident_id" uuid NOT NULL, "recipient" character varying(20) NOT NULL, "kind" character varying(12) NOT NULL, "triggers" jsonb NOT NULL DEFAULT '[]', "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, "sent_to" character varying(300), "sent_via" character varying(100), "note" text, "sent_by_id" uuid, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a469f2075cc07e5eadc53cbd5bf" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_148fc7c29f5e6fdf565b0527b9" ON "external_reports"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_external_reports_due" ON "external_reports"  ("organization_id", "due_at") WHERE sent_at IS NULL AND cancelled_at IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_external_reports_kind" ON "external_reports"  ("incident_id", "recipient", "kind") `);
        await queryRunner.query(`CREATE TABLE "incident_attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "incident_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "content_type" character varying(100) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "content" bytea, "storage_path" character varying(500), "uploaded_by_id" uuid, CONSTRAINT "PK_c4cdf0dc167f160d5a997fbbbd6" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_8b4af8bacbeae2a96053ae4689" ON "incident_attachments"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_incident_attachments_incident" ON "incident_attachments"  ("incident_id") `);
        await queryRunner.query(`CREATE TABLE "incident_submissions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "submitter" character varying(60) NOT NULL, "idempotency_key" character varying(200) NOT NULL, "request_hash" character varying(64) NOT NULL, "incident_id" uuid NOT NULL, CONSTRAINT "PK_8305a9f7556db0e81addcf30aa3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_4ac6b0f387bbd553af29bd67e5" ON "incident_submissions"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_incident_submissions_key" ON "incident_submissions"  ("organization_id", "submitter", "idempotency_key") `);
        await queryRunner.query(`CREATE TABLE "incident_tasks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "incident_id" uuid NOT NULL, "position" integer NOT NULL, "title" character varying(300) NOT NULL, "phase" character varying(20), "role" character varying(32), "assignee_id" uuid, "due_at" TIMESTAMP WITH TIME ZONE, "status" character varying(8) NOT NULL DEFAULT 'open', "done_at" TIMESTAMP WITH TIME ZONE, "done_by_id" uuid, "source" character varying(16) NOT NULL DEFAULT 'manual', "playbook_step_id" uuid, CONSTRAINT "ck_incident_tasks_status" CHECK ("status" IN ('open', 'done', 'skipped')), CONSTRAINT "PK_6d07c9a8d6f44b580e4d759c975" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_05f7de948f7608149bfe56a3bc" ON "incident_tasks"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_incident_tasks_incident" ON "incident_tasks"  ("incident_id", "position") `);
        await queryRunner.query(`CREATE TABLE "incident_timeline" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "incident_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" character varying(20) NOT NULL, "actor_id" uuid, "actor_label" character varying(254) NOT NULL, "from_status" character varying(16), "to_status" character varying(16), "text" text, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_33df8cb278555db4bf53065ab01" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_4ceec9b91a17db4653009d86d5" ON "incident_timeline"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_incident_timeline_incident" ON "incident_timeline"  ("incident_id", "at") `);
        await queryRunner.query(`CREATE TABLE "incidents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reference" character varying(20) NOT NULL, "fiscal_year" integer NOT NULL, "source" character varying(16) NOT NULL DEFAULT 'staff', "title" character varying(200) NOT NULL, "description" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reporter_id" uuid, "reporter_department_id" uuid, "resident_contact" jsonb, "department_id" uuid, "system" character varying(200), "network_zone" character varying(16), "near_miss" boolean NOT NULL DEFAULT false, "personal_data_suspected" boolean NOT NULL DEFAULT false, "my_number_suspected" boolean NOT NULL DEFAULT false, "affected_people" integer, "status" character varying(16) NOT NULL DEFAULT 'reported', "severity" character varying(2), "category" character varying(32), "affected_systems" jsonb NOT NULL DEFAULT '[]', "personal_data" jsonb, "assignee_id" uuid, "rejection_reason" character varying(20), "duplicate_of_id" uuid, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by_id" uuid, "triaged_at" TIMESTAMP WITH TIME ZONE, "contained_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', CONSTRAINT "ck_incidents_status" CHECK ("status" IN ('reported', 'triaged', 'contained', 'eradicated', 'recovered', 'closed', 'rejected', 'reopened')), CONSTRAINT "ck_incidents_severity" CHECK ("severity" IS NULL OR "severity" IN ('L0', 'L1', 'L2', 'L3')), CONSTRAINT "PK_ccb34c01719889017e2246469f9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_fbabc7192bfdb38bb6c2d0f777" ON "incidents"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_incidents_department" ON "incidents"  ("organization_id", "reporter_department_id", "reported_at") `);
        await queryRunner.query(`CREATE INDEX "ix_incidents_reporter" ON "incidents"  ("organization_id", "reporter_id", "reported_at") `);
        await queryRunner.query(`CREATE INDEX "ix_incidents_fiscal_year" ON "incidents"  ("organization_id", "fiscal_year", "severity") `);
        await queryRunner.query(`CREATE INDEX "ix_incidents_board" ON "incidents"  ("organization_id", "status", "severity", "reported_at") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_incidents_reference" ON "incidents"  ("organization_id", "reference") `);
        await queryRunner.query(`CREATE TABLE "post_incident_reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "incident_id" uuid NOT NULL, "cause" text NOT NULL, "what_worked" text NOT NULL, "what_did_not" text NOT NULL, "lessons" text NOT NULL, "reviewed_by_id" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1fe0e62499f0161f015f8c4df02" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e26f038ab9340aac406e3dcb73" ON "post_incident_reviews"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_post_incident_reviews_incident" ON "post_incident_reviews"  ("incident_id") `);
        await queryRunner.query(`ALTER TABLE "corrective_actions" ADD CONSTRAINT "FK_3709d6a9bf213a9f9561ad4be1e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "findings" ADD CONSTRAINT "FK_4ea1d05beea31f0e838609b3b00" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "escalation_climbs" ADD CONSTRAINT "FK_7b35c3ce7f095e5f10f1b190eb8" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "escalation_firings" ADD CONSTRAINT "FK_b4dd91714c186fb4c7d25ea7de0" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "escalation_policies" ADD CONSTRAINT "FK_f6c873469cef0e8549fbbc67eb3" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "external_reports" ADD CONSTRAINT "FK_148fc7c29f5e6fdf565b0527b96" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident_attachments" ADD CONSTRAINT "FK_8b4af8bacbeae2a96053ae46891" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident_submissions" ADD CONSTRAINT "FK_4ac6b0f387bbd553af29bd67e5f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident_tasks" ADD CONSTRAINT "FK_05f7de948f7608149bfe56a3bc3" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident_timeline" ADD CONSTRAINT "FK_4ceec9b91a17db4653009d86d58" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incidents" ADD CONSTRAINT "FK_fbabc7192bfdb38bb6c2d0f7775" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "post_incident_reviews" ADD CONSTRAINT "FK_e26f038ab9340aac406e3dcb73a" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        // the timeline is append-only: a correction is a new entry
        await queryRunner.query(
            `CREATE FUNCTION incident_timeline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'incident_timeline is append-only'; END $$`,
        );
        await queryRunner.query(
            `CREATE TRIGGER incident_timeline_append_only BEFORE UPDATE OR DELETE ON "incident_timeline" FOR EACH ROW EXECUTE FUNCTION incident_timeline_refuse_change()`,
        );
        await queryRunner.query(`REVOKE UPDATE, DELETE ON incident_timeline FROM mamori_app`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER incident_timeline_append_only ON "incident_timeline"`);
        await queryRunner.query(`DROP FUNCTION incident_timeline_refuse_change()`);
        await queryRunner.query(`ALTER TABLE "post_incident_reviews" DROP CONSTRAINT "FK_e26f038ab9340aac406e3dcb73a"`);
        await queryRunner.query(`ALTER TABLE "incidents" DROP CONSTRAINT "FK_fbabc7192bfdb38bb6c2d0f7775"`);
        await queryRunner.query(`ALTER TABLE "incident_timeline" DROP CONSTRAINT "FK_4ceec9b91a17db4653009d86d58"`);
        await queryRunner.query(`ALTER TABLE "incident_tasks" DROP CONSTRAINT "FK_05f7de948f7608149bfe56a3bc3"`);
        await queryRunner.query(`ALTER TABLE "incident_submissions" DROP CONSTRAINT "FK_4ac6b0f387bbd553af29bd67e5f"`);
        await queryRunner.query(`ALTER TABLE "incident_attachments" DROP CONSTRAINT "FK_8b4af8bacbeae2a96053ae46891"`);
        await queryRunner.query(`ALTER TABLE "external_reports" DROP CONSTRAINT "FK_148fc7c29f5e6fdf565b0527b96"`);
        await queryRunner.query(`ALTER TABLE "escalation_policies" DROP CONSTRAINT "FK_f6c873469cef0e8549fbbc67eb3"`);
        await queryRunner.query(`ALTER TABLE "escalation_firings" DROP CONSTRAINT "FK_b4dd91714c186fb4c7d25ea7de0"`);
        await queryRunner.query(`ALTER TABLE "escalation_climbs" DROP CONSTRAINT "FK_7b35c3ce7f095e5f10f1b190eb8"`);
        await queryRunner.query(`ALTER TABLE "findings" DROP CONSTRAINT "FK_4ea1d05beea31f0e838609b3b00"`);
        await queryRunner.query(`ALTER TABLE "corrective_actions" DROP CONSTRAINT "FK_3709d6a9bf213a9f9561ad4be1e"`);
        await queryRunner.query(`DROP INDEX "public"."uq_post_incident_reviews_incident"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e26f038ab9340aac406e3dcb73"`);
        await queryRunner.query(`DROP TABLE "post_incident_reviews"`);
        await queryRunner.query(`DROP INDEX "public"."uq_incidents_reference"`);
        await queryRunner.query(`DROP INDEX "public"."ix_incidents_board"`);
        await queryRunner.query(`DROP INDEX "public"."ix_incidents_fiscal_year"`);
        await queryRunner.query(`DROP INDEX "public"."ix_incidents_reporter"`);
        await queryRunner.query(`DROP INDEX "public"."ix_incidents_department"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_fbabc7192bfdb38bb6c2d0f777"`);
        await queryRunner.query(`DROP TABLE "incidents"`);
        await queryRunner.query(`DROP INDEX "public"."ix_incident_timeline_incident"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4ceec9b91a17db4653009d86d5"`);
        await queryRunner.query(`DROP TABLE "incident_timeline"`);
        await queryRunner.query(`DROP INDEX "public"."ix_incident_tasks_incident"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_05f7de948f7608149bfe56a3bc"`);
        await queryRunner.query(`DROP TABLE "incident_tasks"`);
        await queryRunner.query(`DROP INDEX "public"."uq_incident_submissions_key"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4ac6b0f387bbd553af29bd67e5"`);
        await queryRunner.query(`DROP TABLE "incident_submissions"`);
        await queryRunner.query(`DROP INDEX "public"."ix_incident_attachments_incident"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_8b4af8bacbeae2a96053ae4689"`);
        await queryRunner.query(`DROP TABLE "incident_attachments"`);
        await queryRunner.query(`DROP INDEX "public"."uq_external_reports_kind"`);
        await queryRunner.query(`DROP INDEX "public"."ix_external_reports_due"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_148fc7c29f5e6fdf565b0527b9"`);
        await queryRunner.query(`DROP TABLE "external_reports"`);
        await queryRunner.query(`DROP INDEX "public"."uq_escalation_policies_key"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f6c873469cef0e8549fbbc67eb"`);
        await queryRunner.query(`DROP TABLE "escalation_policies"`);
        await queryRunner.query(`DROP INDEX "public"."uq_escalation_firings_attempt"`);
        await queryRunner.query(`DROP INDEX "public"."ix_escalation_firings_incident"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_b4dd91714c186fb4c7d25ea7de"`);
        await queryRunner.query(`DROP TABLE "escalation_firings"`);
        await queryRunner.query(`DROP INDEX "public"."uq_escalation_climbs_running"`);
        await queryRunner.query(`DROP INDEX "public"."ix_escalation_climbs_due"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_7b35c3ce7f095e5f10f1b190eb"`);
        await queryRunner.query(`DROP TABLE "escalation_climbs"`);
        await queryRunner.query(`DROP INDEX "public"."uq_findings_reference"`);
        await queryRunner.query(`DROP INDEX "public"."ix_findings_source"`);
        await queryRunner.query(`DROP INDEX "public"."ix_findings_status"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4ea1d05beea31f0e838609b3b0"`);
        await queryRunner.query(`DROP TABLE "findings"`);
        await queryRunner.query(`DROP INDEX "public"."ix_corrective_actions_finding"`);
        await queryRunner.query(`DROP INDEX "public"."ix_corrective_actions_due"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3709d6a9bf213a9f9561ad4be1"`);
        await queryRunner.query(`DROP TABLE "corrective_actions"`);
        await queryRunner.query(`DROP TABLE "reference_counters"`);
    }

}
