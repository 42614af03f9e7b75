import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A department gets a head (課長・室長, a staff member) and is closed (closed_on) rather than deleted, so its history stays. */
export class GiveDepartmentsAHeadAndACloseDate1796101500000 implements MigrationInterface {
  name = 'GiveDepartmentsAHeadAndACloseDate1796101500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "departments" ADD "head_id" uuid`);
    await queryRunner.query(`ALTER TABLE "departments" ADD "closed_on" date`);
    await queryRunner.query(`CREATE INDEX "IDX_8a78ebfafe22243a64d0b91239" ON "departments" ("head_id")`);
    await queryRunner.query(
      `ALTER TABLE "departments" ADD CONSTRAINT "FK_8a78ebfafe22243a64d0b91239c" FOREIGN KEY ("head_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "departments" DROP CONSTRAINT "FK_8a78ebfafe22243a64d0b91239c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8a78ebfafe22243a64d0b91239"`);
    await queryRunner.query(`ALTER TABLE "departments" DROP COLUMN "closed_on"`);
    await queryRunner.query(`ALTER TABLE "departments" DROP COLUMN "head_id"`);
  }
}
