import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateOrganizationsStaffAuthAuditTrailOutbox1795569905674 implements MigrationInterface {
    name = 'CreateOrganizationsStaffAuthAuditTrailOutbox1795569905674'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_7e27c3b62c681fbe3e2322535f2" UNIQUE ("code"), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "departments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" character varying(32) NOT NULL, "name" character varying(200) NOT NULL, "name_en" character varying(200), "parent_id" uuid, CONSTRAINT "PK_839517a681a86bb84cbcc6a1e9d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_71070628c130f2c9cd3cd5f082" ON "departments"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_departments_code" ON "departments"  ("organization_id", "code") `);
        await queryRunner.query(`CREATE TABLE "staff" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "employee_number" character varying(32) NOT NULL, "family_name" character varying(100) NOT NULL, "given_name" character varying(100) NOT NULL, "family_name_kana" character varying(100), "given_name_kana" character varying(100), "email" character varying(254) NOT NULL, "department_id" uuid, "roles" text array NOT NULL DEFAULT '{staff}', "status" character varying(16) NOT NULL DEFAULT 'active', "joined_on" date, "left_on" date, "locale" character varying(8) NOT NULL DEFAULT 'ja', "password_hash" text, "totp_secret" text, "totp_confirmed_at" TIMESTAMP WITH TIME ZONE, "totp_last_step" bigint, "failed_login_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_staff_status" CHECK ("status" IN ('active', 'on_leave', 'retired')), CONSTRAINT "PK_e4ee98bb552756c180aec1e854a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_f31b0fb22aad9920dd3aa509bf" ON "staff"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_51b371508b14db31bee80fded0" ON "staff"  ("department_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_staff_email" ON "staff"  ("email") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_staff_employee_number" ON "staff"  ("organization_id", "employee_number") `);
        await queryRunner.query(`CREATE TABLE "auth_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "mfa" boolean NOT NULL DEFAULT false, "channel" character varying(16) NOT NULL, "client_address" character varying(64), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e673041b9723dc97e7cf88d405" ON "auth_sessions"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_175cd6d068e4b1ed2ba27f16a5" ON "auth_sessions"  ("staff_id") `);
        await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "session_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_78a23ff687c363e19d1e69b1db" ON "refresh_tokens"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens"  ("session_id") `);
        await queryRunner.query(`CREATE TABLE "recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0723b9e53961e799027d7f7ba32" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_a29f49c6039daf8287a4cb03ee" ON "recovery_codes"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_7c49c527f83e3150fc43ad9689" ON "recovery_codes"  ("staff_id") `);
        await queryRunner.query(`CREATE TABLE "audit_trail" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "organization_id" uuid NOT NULL, "actor_id" uuid, "actor_label" character varying(254) NOT NULL, "action" character varying(64) NOT NULL, "entity_type" character varying(64) NOT NULL, "entity_id" character varying(64), "changes" jsonb NOT NULL DEFAULT '{}', "client_address" character varying(64), "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "previous_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "UQ_8165f10523786ade6faa9724326" UNIQUE ("seq"), CONSTRAINT "PK_91aade8e45ada93f7dc98ca7ced" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_125f2e2c1f70ff906f5db7c023" ON "audit_trail"  ("actor_id") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_trail_entity" ON "audit_trail"  ("organization_id", "entity_type", "entity_id") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_trail_chain" ON "audit_trail"  ("organization_id", "seq") `);
        await queryRunner.query(`CREATE TABLE "outbox_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "topic" character varying(64) NOT NULL, "dedupe_key" character varying(200) NOT NULL, "payload" jsonb NOT NULL, "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dispatched_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_8da64604028eb453ad6e1799b3" ON "outbox_messages"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "ix_outbox_pending" ON "outbox_messages"  ("available_at") WHERE dispatched_at IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_outbox_dedupe" ON "outbox_messages"  ("organization_id", "dedupe_key") `);
        await queryRunner.query(`CREATE TABLE "notification_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "outbox_message_id" uuid NOT NULL, "channel" character varying(16) NOT NULL, "recipient" character varying(254) NOT NULL, "subject" character varying(300) NOT NULL, "transport_message_id" character varying(200), "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_81daeff81f237bd384f7cfc4a4c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_fc17814bb38d81b288294bd8f9" ON "notification_deliveries"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_notification_deliveries_message" ON "notification_deliveries"  ("outbox_message_id") `);
        await queryRunner.query(`ALTER TABLE "departments" ADD CONSTRAINT "FK_71070628c130f2c9cd3cd5f082f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "departments" ADD CONSTRAINT "FK_700b0b13f494cb37b6ca929e79b" FOREIGN KEY ("parent_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "staff" ADD CONSTRAINT "FK_f31b0fb22aad9920dd3aa509bf6" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "staff" ADD CONSTRAINT "FK_51b371508b14db31bee80fded0a" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "auth_sessions" ADD CONSTRAINT "FK_e673041b9723dc97e7cf88d4052" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "auth_sessions" ADD CONSTRAINT "FK_175cd6d068e4b1ed2ba27f16a54" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_78a23ff687c363e19d1e69b1dbd" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4" FOREIGN KEY ("session_id") REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "recovery_codes" ADD CONSTRAINT "FK_a29f49c6039daf8287a4cb03ee7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "recovery_codes" ADD CONSTRAINT "FK_7c49c527f83e3150fc43ad96893" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "audit_trail" ADD CONSTRAINT "FK_b1e6c32944631808e9f88dbf302" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "outbox_messages" ADD CONSTRAINT "FK_8da64604028eb453ad6e1799b3c" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "notification_deliveries" ADD CONSTRAINT "FK_fc17814bb38d81b288294bd8f90" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP CONSTRAINT "FK_fc17814bb38d81b288294bd8f90"`);
        await queryRunner.query(`ALTER TABLE "outbox_messages" DROP CONSTRAINT "FK_8da64604028eb453ad6e1799b3c"`);
        await queryRunner.query(`ALTER TABLE "audit_trail" DROP CONSTRAINT "FK_b1e6c32944631808e9f88dbf302"`);
        await queryRunner.query(`ALTER TABLE "recovery_codes" DROP CONSTRAINT "FK_7c49c527f83e3150fc43ad96893"`);
        await queryRunner.query(`ALTER TABLE "recovery_codes" DROP CONSTRAINT "FK_a29f49c6039daf8287a4cb03ee7"`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4"`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_78a23ff687c363e19d1e69b1dbd"`);
        await queryRunner.query(`ALTER TABLE "auth_sessions" DROP CONSTRAINT "FK_175cd6d068e4b1ed2ba27f16a54"`);
        await queryRunner.query(`ALTER TABLE "auth_sessions" DROP CONSTRAINT "FK_e673041b9723dc97e7cf88d4052"`);
        await queryRunner.query(`ALTER TABLE "staff" DROP CONSTRAINT "FK_51b371508b14db31bee80fded0a"`);
        await queryRunner.query(`ALTER TABLE "staff" DROP CONSTRAINT "FK_f31b0fb22aad9920dd3aa509bf6"`);
        await queryRunner.query(`ALTER TABLE "departments" DROP CONSTRAINT "FK_700b0b13f494cb37b6ca929e79b"`);
        await queryRunner.query(`ALTER TABLE "departments" DROP CONSTRAINT "FK_71070628c130f2c9cd3cd5f082f"`);
        await queryRunner.query(`DROP INDEX "public"."uq_notification_deliveries_message"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_fc17814bb38d81b288294bd8f9"`);
        await queryRunner.query(`DROP TABLE "notification_deliveries"`);
        await queryRunner.query(`DROP INDEX "public"."uq_outbox_dedupe"`);
        await queryRunner.query(`DROP INDEX "public"."ix_outbox_pending"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_8da64604028eb453ad6e1799b3"`);
        await queryRunner.query(`DROP TABLE "outbox_messages"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_trail_chain"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_trail_entity"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_125f2e2c1f70ff906f5db7c023"`);
        await queryRunner.query(`DROP TABLE "audit_trail"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_7c49c527f83e3150fc43ad9689"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a29f49c6039daf8287a4cb03ee"`);
        await queryRunner.query(`DROP TABLE "recovery_codes"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_78a23ff687c363e19d1e69b1db"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_175cd6d068e4b1ed2ba27f16a5"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e673041b9723dc97e7cf88d405"`);
        await queryRunner.query(`DROP TABLE "auth_sessions"`);
        await queryRunner.query(`DROP INDEX "public"."uq_staff_employee_number"`);
        await queryRunner.query(`DROP INDEX "public"."uq_staff_email"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_51b371508b14db31bee80fded0"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f31b0fb22aad9920dd3aa509bf"`);
        await queryRunner.query(`DROP TABLE "staff"`);
        await queryRunner.query(`DROP INDEX "public"."uq_departments_code"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_71070628c130f2c9cd3cd5f082"`);
        await queryRunner.query(`DROP TABLE "departments"`);
        await queryRunner.query(`DROP TABLE "organizations"`);
    }

}
