import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRoleRequests1796013799734 implements MigrationInterface {
  name = 'AddRoleRequests1796013799734';

  /** role requests: at most one open per person and role (the partial unique index) */
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "role_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "change" character varying(8) NOT NULL, "role" character varying(32) NOT NULL, "reason" character varying(500) NOT NULL, "requested_by_id" uuid NOT NULL, "status" character varying(24) NOT NULL DEFAULT 'pending', "approved_by_id" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "closed_by_id" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, "rejection_reason" character varying(500), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_role_requests_role" CHECK ("role" IN ('admin', 'ciso', 'security_officer', 'csirt', 'auditor')), CONSTRAINT "ck_role_requests_change" CHECK ("change" IN ('grant', 'revoke')), CONSTRAINT "ck_role_requests_status" CHECK ("status" IN ('pending', 'awaiting_confirmation', 'approved', 'rejected', 'withdrawn', 'expired')), CONSTRAINT "PK_32873821a9e1122603cc2fb86a9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f0dfda5d4c3453220a570b7471" ON "role_requests"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ab0af2cabe1d67bb59fb888d75" ON "role_requests"  ("staff_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9b6e19a32fb4c0f6969573b861" ON "role_requests"  ("status") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_role_requests_open" ON "role_requests"  ("staff_id", "role") WHERE "status" IN ('pending', 'awaiting_confirmation')`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_requests" ADD CONSTRAINT "FK_f0dfda5d4c3453220a570b7471e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_requests" ADD CONSTRAINT "FK_ab0af2cabe1d67bb59fb888d755" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_requests" ADD CONSTRAINT "FK_3c79909a7dc3446b50673054f0c" FOREIGN KEY ("requested_by_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "role_requests" DROP CONSTRAINT "FK_3c79909a7dc3446b50673054f0c"`);
    await queryRunner.query(`ALTER TABLE "role_requests" DROP CONSTRAINT "FK_ab0af2cabe1d67bb59fb888d755"`);
    await queryRunner.query(`ALTER TABLE "role_requests" DROP CONSTRAINT "FK_f0dfda5d4c3453220a570b7471e"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_requests_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9b6e19a32fb4c0f6969573b861"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ab0af2cabe1d67bb59fb888d75"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f0dfda5d4c3453220a570b7471"`);
    await queryRunner.query(`DROP TABLE "role_requests"`);
  }
}
