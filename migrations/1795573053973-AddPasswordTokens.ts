import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddPasswordTokens1795573053973 implements MigrationInterface {
    name = 'AddPasswordTokens1795573053973'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "password_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "purpose" character varying(16) NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_password_tokens_purpose" CHECK ("purpose" IN ('invitation', 'reset')), CONSTRAINT "PK_816120c39410c02dabd34b8672b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_ac088cb0bbbfb204baed269c20" ON "password_tokens"  ("organization_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_409520b56c321c69d9c941fd36" ON "password_tokens"  ("staff_id") `);
        await queryRunner.query(`ALTER TABLE "password_tokens" ADD CONSTRAINT "FK_ac088cb0bbbfb204baed269c20f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "password_tokens" ADD CONSTRAINT "FK_409520b56c321c69d9c941fd363" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "password_tokens" DROP CONSTRAINT "FK_409520b56c321c69d9c941fd363"`);
        await queryRunner.query(`ALTER TABLE "password_tokens" DROP CONSTRAINT "FK_ac088cb0bbbfb204baed269c20f"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_409520b56c321c69d9c941fd36"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_ac088cb0bbbfb204baed269c20"`);
        await queryRunner.query(`DROP TABLE "password_tokens"`);
    }

}
