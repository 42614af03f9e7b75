import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddResidentAcknowledgementNumbers1796103400000 implements MigrationInterface {
  name = 'AddResidentAcknowledgementNumbers1796103400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "resident_acknowledgements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "incident_id" uuid NOT NULL, "number" character varying(20) NOT NULL, "fiscal_year" integer NOT NULL, CONSTRAINT "PK_329cad34ec58dcf7cc2733095cb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_c1ad7ba5a00413f8a412612ecb" ON "resident_acknowledgements"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_resident_acknowledgements_incident" ON "resident_acknowledgements"  ("incident_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_resident_acknowledgements_number" ON "resident_acknowledgements"  ("organization_id", "number") `);
    await queryRunner.query(
      `ALTER TABLE "resident_acknowledgements" ADD CONSTRAINT "FK_c1ad7ba5a00413f8a412612ecba" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resident_acknowledgements" DROP CONSTRAINT "FK_c1ad7ba5a00413f8a412612ecba"`);
    await queryRunner.query(`DROP INDEX "public"."uq_resident_acknowledgements_number"`);
    await queryRunner.query(`DROP INDEX "public"."uq_resident_acknowledgements_incident"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c1ad7ba5a00413f8a412612ecb"`);
    await queryRunner.query(`DROP TABLE "resident_acknowledgements"`);
  }
}
