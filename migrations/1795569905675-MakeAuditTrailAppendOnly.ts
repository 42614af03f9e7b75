import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE on it,
 * whoever asks. (Written by hand: triggers are not part of the entity model.)
 */
export class MakeAuditTrailAppendOnly1795569905675 implements MigrationInterface {
  name = 'MakeAuditTrailAppendOnly1795569905675';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_trail_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON "audit_trail" FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON "audit_trail" FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_trail_no_truncate ON "audit_trail"`);
    await queryRunner.query(`DROP TRIGGER audit_trail_append_only ON "audit_trail"`);
    await queryRunner.query(`DROP FUNCTION audit_trail_refuse_change()`);
  }
}
