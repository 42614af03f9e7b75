import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training (issue 9): courses of a fiscal year with their statement versions and attachments;
 * enrolments (one per person and course, credited to a department, with the times the figures read
 * as of any date) and the index that answers a year's figures by department on its own; quiz
 * attempts; the daily reminders already sent (one per enrolment, rule and day); the results of
 * targeted-mail drills.
 */
export class AddTrainingCoursesAndEnrolments1796102200000 implements MigrationInterface {
  name = 'AddTrainingCoursesAndEnrolments1796102200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "courses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "fiscal_year" integer NOT NULL, "kind" character varying(32) NOT NULL, "title" character varying(200) NOT NULL, "title_en" character varying(200), "body" text, "body_en" text, "audience" jsonb NOT NULL DEFAULT '{"all": true}', "opens_on" date NOT NULL, "due_on" date NOT NULL, "quiz" jsonb, "statement" text NOT NULL, "statement_en" text, "statement_version" integer NOT NULL DEFAULT '1', "status" character varying(16) NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP WITH TIME ZONE, "published_by_id" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, "reminders" jsonb NOT NULL DEFAULT '{"onDueDate": true, "daysBefore": [7, 1], "managerWeekly": true, "overdueDailyLimit": 5, "securityOfficeAfterDays": 14}', "template_id" uuid, "follow_up_course_id" uuid, "policy_version_id" uuid, "created_by_id" uuid, CONSTRAINT "ck_courses_dates" CHECK (opens_on <= due_on), CONSTRAINT "ck_courses_status" CHECK (status IN ('draft', 'published', 'closed')), CONSTRAINT "ck_courses_kind" CHECK (kind IN ('e_learning', 'classroom', 'policy_acknowledgement', 'targeted_mail_drill', 'new_hire')), CONSTRAINT "PK_3f70a487cc718ad8eda4e6d58c9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_67f82e354e6446e87e18d8c08e" ON "courses"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_courses_policy_version" ON "courses"  ("policy_version_id") WHERE policy_version_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_courses_fiscal_year" ON "courses"  ("organization_id", "fiscal_year", "status") `);
    await queryRunner.query(
      `CREATE TABLE "course_attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "content_type" character varying(100) NOT NULL, "size" bigint NOT NULL, "sha256" character(64) NOT NULL, "content" bytea, "storage_path" character varying(500), "uploaded_by_id" uuid, CONSTRAINT "PK_0d48dcb5d28afb1d24bf5bb9715" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f59fbe67400d470c0d4eec3dc7" ON "course_attachments"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_f2621f2021a02bcca6d8399184" ON "course_attachments"  ("course_id") `);
    await queryRunner.query(
      `CREATE TABLE "course_statements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "version" integer NOT NULL, "text" text NOT NULL, "text_en" text, CONSTRAINT "PK_c68132b8cb8b6a74ac54f354dc9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_956316bc214b07f9b2593fe28a" ON "course_statements"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_course_statements" ON "course_statements"  ("course_id", "version") `);
    await queryRunner.query(
      `CREATE TABLE "enrolments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "fiscal_year" integer NOT NULL, "staff_id" uuid NOT NULL, "department_id" uuid, "source" character varying(16) NOT NULL, "enrolled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "due_on" date NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "completed_late" boolean NOT NULL DEFAULT false, "completed_via" character varying(16), "completed_by_id" uuid, "statement_version" integer, "client_address" inet, "score" integer, "quiz_attempts" integer NOT NULL DEFAULT '0', "exempt_at" TIMESTAMP WITH TIME ZONE, "exemption_kind" character varying(16), "exemption_reason" text, "exempted_by_id" uuid, "withdrawn_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_enrolments_exemption" CHECK ((exempt_at IS NULL) = (exemption_reason IS NULL)), CONSTRAINT "PK_6e79971fbd26967c4da9ed52770" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_4aea660a2e744284b4f5040b40" ON "enrolments"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_7f2f2672c923081a7912565520" ON "enrolments"  ("staff_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_staff_open" ON "enrolments"  ("organization_id", "staff_id") WHERE completed_at IS NULL AND exempt_at IS NULL AND withdrawn_at IS NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_enrolments_course_staff" ON "enrolments"  ("course_id", "staff_id") `);
    await queryRunner.query(
      `CREATE TABLE "mail_drill_results" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "department_id" uuid, "sent" boolean NOT NULL DEFAULT false, "opened" boolean NOT NULL DEFAULT false, "clicked" boolean NOT NULL DEFAULT false, "submitted_data" boolean NOT NULL DEFAULT false, "reported" boolean NOT NULL DEFAULT false, "imported_by_id" uuid, CONSTRAINT "PK_a216e4de6489c5b150f0d0dbaef" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_e5d9357e2bf501e0c1d4d0f7a5" ON "mail_drill_results"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_5ce787e98cc902259b0ed235c8" ON "mail_drill_results"  ("staff_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_mail_drill_results" ON "mail_drill_results"  ("course_id", "staff_id") `);
    await queryRunner.query(
      `CREATE TABLE "quiz_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enrolment_id" uuid NOT NULL, "attempt" integer NOT NULL, "answers" jsonb NOT NULL, "score" integer NOT NULL, "passed" boolean NOT NULL, CONSTRAINT "PK_a84a93fb092359516dc5b325b90" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a9ec5359a13d826d9c91a8ef8b" ON "quiz_attempts"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_quiz_attempts" ON "quiz_attempts"  ("enrolment_id", "attempt") `);
    await queryRunner.query(
      `CREATE TABLE "training_reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enrolment_id" uuid NOT NULL, "rule" character varying(16) NOT NULL, "sent_on" date NOT NULL, "recipient_id" uuid, CONSTRAINT "PK_0b8fd986aa61ca99230d480af2a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6502bc3072d048d85afc94add1" ON "training_reminders"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_training_reminders" ON "training_reminders"  ("enrolment_id", "rule", "sent_on") `);
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "FK_67f82e354e6446e87e18d8c08e6" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "FK_ed8e140aba554237a9af5323afc" FOREIGN KEY ("template_id") REFERENCES "courses"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "FK_50e23c648a7021a8b2971e02dae" FOREIGN KEY ("follow_up_course_id") REFERENCES "courses"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "course_attachments" ADD CONSTRAINT "FK_f59fbe67400d470c0d4eec3dc72" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "course_attachments" ADD CONSTRAINT "FK_f2621f2021a02bcca6d83991840" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "course_statements" ADD CONSTRAINT "FK_956316bc214b07f9b2593fe28a1" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "course_statements" ADD CONSTRAINT "FK_a05377029642ae252c01aa6099f" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "FK_4aea660a2e744284b4f5040b407" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "FK_88e4829cd9da8e01cc305788db5" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "FK_7f2f2672c923081a79125655209" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "FK_ececd9e94bb86d770f06cf7452f" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_drill_results" ADD CONSTRAINT "FK_e5d9357e2bf501e0c1d4d0f7a59" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_drill_results" ADD CONSTRAINT "FK_60069913448839b54d3aa3dcf13" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quiz_attempts" ADD CONSTRAINT "FK_a9ec5359a13d826d9c91a8ef8b4" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quiz_attempts" ADD CONSTRAINT "FK_1c3561d478515b27ed46e2924ff" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_figures" ON "enrolments" ("organization_id", "fiscal_year", "department_id") INCLUDE ("course_id", "enrolled_at", "completed_at", "exempt_at", "withdrawn_at")`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_reminders" ADD CONSTRAINT "FK_6502bc3072d048d85afc94add1f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "training_reminders" DROP CONSTRAINT "FK_6502bc3072d048d85afc94add1f"`);
    await queryRunner.query(`ALTER TABLE "quiz_attempts" DROP CONSTRAINT "FK_1c3561d478515b27ed46e2924ff"`);
    await queryRunner.query(`ALTER TABLE "quiz_attempts" DROP CONSTRAINT "FK_a9ec5359a13d826d9c91a8ef8b4"`);
    await queryRunner.query(`ALTER TABLE "mail_drill_results" DROP CONSTRAINT "FK_60069913448839b54d3aa3dcf13"`);
    await queryRunner.query(`ALTER TABLE "mail_drill_results" DROP CONSTRAINT "FK_e5d9357e2bf501e0c1d4d0f7a59"`);
    await queryRunner.query(`ALTER TABLE "enrolments" DROP CONSTRAINT "FK_ececd9e94bb86d770f06cf7452f"`);
    await queryRunner.query(`ALTER TABLE "enrolments" DROP CONSTRAINT "FK_7f2f2672c923081a79125655209"`);
    await queryRunner.query(`ALTER TABLE "enrolments" DROP CONSTRAINT "FK_88e4829cd9da8e01cc305788db5"`);
    await queryRunner.query(`ALTER TABLE "enrolments" DROP CONSTRAINT "FK_4aea660a2e744284b4f5040b407"`);
    await queryRunner.query(`ALTER TABLE "course_statements" DROP CONSTRAINT "FK_a05377029642ae252c01aa6099f"`);
    await queryRunner.query(`ALTER TABLE "course_statements" DROP CONSTRAINT "FK_956316bc214b07f9b2593fe28a1"`);
    await queryRunner.query(`ALTER TABLE "course_attachments" DROP CONSTRAINT "FK_f2621f2021a02bcca6d83991840"`);
    await queryRunner.query(`ALTER TABLE "course_attachments" DROP CONSTRAINT "FK_f59fbe67400d470c0d4eec3dc72"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP CONSTRAINT "FK_50e23c648a7021a8b2971e02dae"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP CONSTRAINT "FK_ed8e140aba554237a9af5323afc"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP CONSTRAINT "FK_67f82e354e6446e87e18d8c08e6"`);
    await queryRunner.query(`DROP INDEX "public"."uq_training_reminders"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6502bc3072d048d85afc94add1"`);
    await queryRunner.query(`DROP TABLE "training_reminders"`);
    await queryRunner.query(`DROP INDEX "public"."uq_quiz_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a9ec5359a13d826d9c91a8ef8b"`);
    await queryRunner.query(`DROP TABLE "quiz_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."uq_mail_drill_results"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5ce787e98cc902259b0ed235c8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e5d9357e2bf501e0c1d4d0f7a5"`);
    await queryRunner.query(`DROP TABLE "mail_drill_results"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_figures"`);
    await queryRunner.query(`DROP INDEX "public"."uq_enrolments_course_staff"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_staff_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7f2f2672c923081a7912565520"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4aea660a2e744284b4f5040b40"`);
    await queryRunner.query(`DROP TABLE "enrolments"`);
    await queryRunner.query(`DROP INDEX "public"."uq_course_statements"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_956316bc214b07f9b2593fe28a"`);
    await queryRunner.query(`DROP TABLE "course_statements"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f2621f2021a02bcca6d8399184"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f59fbe67400d470c0d4eec3dc7"`);
    await queryRunner.query(`DROP TABLE "course_attachments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_courses_fiscal_year"`);
    await queryRunner.query(`DROP INDEX "public"."uq_courses_policy_version"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_67f82e354e6446e87e18d8c08e"`);
    await queryRunner.query(`DROP TABLE "courses"`);
  }
}
