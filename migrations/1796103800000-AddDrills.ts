import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDrills1796103800000 implements MigrationInterface {
  name = 'AddDrills1796103800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "drills" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "scenario_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "title" character varying(200) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "location" character varying(200), "online_url" character varying(500), "facilitator_id" uuid NOT NULL, "invitees" jsonb NOT NULL DEFAULT '{}', "status" character varying(16) NOT NULL DEFAULT 'scheduled', "sequence" integer NOT NULL DEFAULT '0', "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" text, "fiscal_year" integer NOT NULL, CONSTRAINT "ck_drills_times" CHECK ("ends_at" > "starts_at"), CONSTRAINT "ck_drills_status" CHECK ("status" IN ('scheduled', 'running', 'completed', 'cancelled')), CONSTRAINT "ck_drills_kind" CHECK ("kind" IN ('tabletop', 'functional', 'full_scale')), CONSTRAINT "PK_21a05ff68e78209b76f3dcf8da1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_70755ee6ccc3d61e3865855a12" ON "drills"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "ix_drills_fiscal_year" ON "drills"  ("organization_id", "fiscal_year", "starts_at") `);
    await queryRunner.query(
      `ALTER TABLE "drills" ADD CONSTRAINT "FK_70755ee6ccc3d61e3865855a121" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "drills" DROP CONSTRAINT "FK_70755ee6ccc3d61e3865855a121"`);
    await queryRunner.query(`DROP INDEX "public"."ix_drills_fiscal_year"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_70755ee6ccc3d61e3865855a12"`);
    await queryRunner.query(`DROP TABLE "drills"`);
  }
}
