import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anchors the audit trail: audit-trail rows name the key that sealed them (`key_id`; rows written
 * before have none), and signed checkpoints of each organisation's chain head are kept beside the
 * chain, append-only like it (the trigger is written by hand: triggers are not part of the entity model).
 */
export class AnchorAuditTrailWithCheckpointsAndKeyIds1796013631249 implements MigrationInterface {
  name = 'AnchorAuditTrailWithCheckpointsAndKeyIds1796013631249';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_trail" ADD "key_id" character varying(16)`);
    await queryRunner.query(
      `CREATE TABLE "audit_trail_checkpoints" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "seq" bigint NOT NULL, "hash" character(64) NOT NULL, "key_id" character varying(16) NOT NULL, "signature" character(64) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_bee7962a030844c28d553971a06" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_audit_trail_checkpoints_head" ON "audit_trail_checkpoints"  ("organization_id", "seq") `);
    await queryRunner.query(
      `ALTER TABLE "audit_trail_checkpoints" ADD CONSTRAINT "FK_16f7f2cfce1db0ad6c3e78ffd68" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`
      CREATE FUNCTION audit_trail_checkpoints_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_trail_checkpoints is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_trail_checkpoints_append_only BEFORE UPDATE OR DELETE ON "audit_trail_checkpoints" FOR EACH ROW EXECUTE FUNCTION audit_trail_checkpoints_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_trail_checkpoints_no_truncate BEFORE TRUNCATE ON "audit_trail_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_checkpoints_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_trail_checkpoints_no_truncate ON "audit_trail_checkpoints"`);
    await queryRunner.query(`DROP TRIGGER audit_trail_checkpoints_append_only ON "audit_trail_checkpoints"`);
    await queryRunner.query(`DROP FUNCTION audit_trail_checkpoints_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "audit_trail_checkpoints" DROP CONSTRAINT "FK_16f7f2cfce1db0ad6c3e78ffd68"`);
    await queryRunner.query(`DROP INDEX "public"."ux_audit_trail_checkpoints_head"`);
    await queryRunner.query(`DROP TABLE "audit_trail_checkpoints"`);
    await queryRunner.query(`ALTER TABLE "audit_trail" DROP COLUMN "key_id"`);
  }
}
