import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The HR files uploaded on the staff import page, kept between the preview and the confirmation
 * (at most an hour; the bytes go when the file is imported, the row when it expires).
 */
export class AddStaffImportUploads1796101800000 implements MigrationInterface {
  name = 'AddStaffImportUploads1796101800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "staff_import_uploads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "uploaded_by_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "sha256" character(64) NOT NULL, "size" integer NOT NULL, "content" bytea, "rows" integer NOT NULL, "created" integer NOT NULL, "updated" integer NOT NULL, "unchanged" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_42584dd913ba4cc1d5889b6d901" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_60626f9c61afaea792abe249c4" ON "staff_import_uploads" ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6b0d5a50db047cc6b439da1d1a" ON "staff_import_uploads" ("uploaded_by_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_85cfeff521b0729543e00802ad" ON "staff_import_uploads" ("expires_at") `);
    await queryRunner.query(
      `ALTER TABLE "staff_import_uploads" ADD CONSTRAINT "FK_60626f9c61afaea792abe249c49" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_import_uploads" ADD CONSTRAINT "FK_6b0d5a50db047cc6b439da1d1ab" FOREIGN KEY ("uploaded_by_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_import_uploads" DROP CONSTRAINT "FK_6b0d5a50db047cc6b439da1d1ab"`);
    await queryRunner.query(`ALTER TABLE "staff_import_uploads" DROP CONSTRAINT "FK_60626f9c61afaea792abe249c49"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_85cfeff521b0729543e00802ad"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6b0d5a50db047cc6b439da1d1a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_60626f9c61afaea792abe249c4"`);
    await queryRunner.query(`DROP TABLE "staff_import_uploads"`);
  }
}
