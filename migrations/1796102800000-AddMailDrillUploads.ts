import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Targeted-mail drills (issue 9): the results files checked on the drill page and waiting, for at
 * most an hour, for their uploader to confirm the import (only the rows the import reads: who and
 * the five yes/no results; never Gophish's addresses, places or times).
 */
export class AddMailDrillUploads1796102800000 implements MigrationInterface {
  name = 'AddMailDrillUploads1796102800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_drill_uploads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "uploaded_by_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "sha256" character(64) NOT NULL, "format" character varying(16) NOT NULL, "key_column" character varying(16) NOT NULL, "rows" jsonb NOT NULL, "preview" jsonb NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_be82633196b82b031b7af8105c3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7652e0e5d4332a96b42ff36d31" ON "mail_drill_uploads"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_0dc67c06c6312746c68b2310b4" ON "mail_drill_uploads"  ("course_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_efc1d47265bda686ee98fa90a6" ON "mail_drill_uploads"  ("expires_at") `);
    await queryRunner.query(
      `ALTER TABLE "mail_drill_uploads" ADD CONSTRAINT "FK_7652e0e5d4332a96b42ff36d31f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_drill_uploads" ADD CONSTRAINT "FK_0dc67c06c6312746c68b2310b40" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_drill_uploads" ADD CONSTRAINT "FK_61dd8096aa30908dcd78d77f454" FOREIGN KEY ("uploaded_by_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_drill_uploads" DROP CONSTRAINT "FK_61dd8096aa30908dcd78d77f454"`);
    await queryRunner.query(`ALTER TABLE "mail_drill_uploads" DROP CONSTRAINT "FK_0dc67c06c6312746c68b2310b40"`);
    await queryRunner.query(`ALTER TABLE "mail_drill_uploads" DROP CONSTRAINT "FK_7652e0e5d4332a96b42ff36d31f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_efc1d47265bda686ee98fa90a6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0dc67c06c6312746c68b2310b4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7652e0e5d4332a96b42ff36d31"`);
    await queryRunner.query(`DROP TABLE "mail_drill_uploads"`);
  }
}
