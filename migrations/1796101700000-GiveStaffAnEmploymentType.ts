import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 雇用形態: each person is a regular member of staff (正規職員, everyone until now), a fiscal-year
 * appointee (会計年度任用職員), temporary (臨時職員) or a contractor's employee (委託先職員).
 */
export class GiveStaffAnEmploymentType1796101700000 implements MigrationInterface {
  name = 'GiveStaffAnEmploymentType1796101700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff" ADD "employment_type" character varying(32) NOT NULL DEFAULT 'regular'`);
    await queryRunner.query(
      `ALTER TABLE "staff" ADD CONSTRAINT "ck_staff_employment_type" CHECK ("employment_type" IN ('regular', 'fiscal_year_appointed', 'temporary', 'contractor'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff" DROP CONSTRAINT "ck_staff_employment_type"`);
    await queryRunner.query(`ALTER TABLE "staff" DROP COLUMN "employment_type"`);
  }
}
