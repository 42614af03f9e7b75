import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddResponsePlanScenariosAndContacts1796103700000 implements MigrationInterface {
  name = 'AddResponsePlanScenariosAndContacts1796103700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "response_contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "key" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "name_en" character varying(200), "kind" character varying(20) NOT NULL, "phone" character varying(40), "out_of_hours_phone" character varying(40), "email" character varying(200), "note" text, "position" integer NOT NULL DEFAULT '0', "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b01cf24eeba4d7e9e5f8e235279" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_715ae61a17a459f9ef52dcbeb6" ON "response_contacts"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_response_contacts_key" ON "response_contacts"  ("organization_id", "key") `);
    await queryRunner.query(
      `CREATE TABLE "response_scenarios" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "key" character varying(64) NOT NULL, "title" character varying(200) NOT NULL, "title_en" character varying(200), "categories" character varying array NOT NULL DEFAULT '{}', "summary" text NOT NULL DEFAULT '', "summary_en" text, "revision" integer NOT NULL DEFAULT '1', "content_hash" character(64) NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_fdac375626a6f77855297513be9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_72d764c98b7b6b317373443001" ON "response_scenarios"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_response_scenarios_key" ON "response_scenarios"  ("organization_id", "key") `);
    await queryRunner.query(
      `CREATE TABLE "playbook_steps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "scenario_id" uuid NOT NULL, "revision" integer NOT NULL, "position" integer NOT NULL, "phase" character varying(20) NOT NULL, "action" text NOT NULL, "action_en" text, "role" character varying(32) NOT NULL, "target_minutes" integer NOT NULL, "report" jsonb, CONSTRAINT "PK_88e391c95cfdc803d485383ce5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_32e6ac64c1e10f9c1180bd4f8d" ON "playbook_steps"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_playbook_steps" ON "playbook_steps"  ("scenario_id", "revision", "position") `);
    await queryRunner.query(
      `ALTER TABLE "response_contacts" ADD CONSTRAINT "FK_715ae61a17a459f9ef52dcbeb6a" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "response_scenarios" ADD CONSTRAINT "FK_72d764c98b7b6b317373443001f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "playbook_steps" ADD CONSTRAINT "FK_32e6ac64c1e10f9c1180bd4f8d3" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "playbook_steps" DROP CONSTRAINT "FK_32e6ac64c1e10f9c1180bd4f8d3"`);
    await queryRunner.query(`ALTER TABLE "response_scenarios" DROP CONSTRAINT "FK_72d764c98b7b6b317373443001f"`);
    await queryRunner.query(`ALTER TABLE "response_contacts" DROP CONSTRAINT "FK_715ae61a17a459f9ef52dcbeb6a"`);
    await queryRunner.query(`DROP INDEX "public"."uq_playbook_steps"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_32e6ac64c1e10f9c1180bd4f8d"`);
    await queryRunner.query(`DROP TABLE "playbook_steps"`);
    await queryRunner.query(`DROP INDEX "public"."uq_response_scenarios_key"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_72d764c98b7b6b317373443001"`);
    await queryRunner.query(`DROP TABLE "response_scenarios"`);
    await queryRunner.query(`DROP INDEX "public"."uq_response_contacts_key"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_715ae61a17a459f9ef52dcbeb6"`);
    await queryRunner.query(`DROP TABLE "response_contacts"`);
  }
}
