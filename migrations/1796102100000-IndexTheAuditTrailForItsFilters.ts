import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit-trail page and its CSV export list an organisation's rows newest first (occurred_at,
 * then seq) and filter them by period, by who acted and by what they did. One index for each, led by
 * organization_id (every query is scoped by it) and ending in the order of the list, so a page is
 * read from the index in order, whatever the filter, and stops after its rows:
 * (organization_id, occurred_at, seq) for the whole trail and a period; (organization_id, actor_id,
 * occurred_at, seq) for a person (and the list of people in the trail); (organization_id, action,
 * occurred_at, seq) for an action. A record's history keeps ix_audit_trail_entity. The index on
 * actor_id alone goes: the new one covers it within an organisation, and every query names one.
 */
export class IndexTheAuditTrailForItsFilters1796102100000 implements MigrationInterface {
  name = 'IndexTheAuditTrailForItsFilters1796102100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_125f2e2c1f70ff906f5db7c023"`);
    await queryRunner.query(`CREATE INDEX "ix_audit_trail_occurred" ON "audit_trail" ("organization_id", "occurred_at", "seq")`);
    await queryRunner.query(`CREATE INDEX "ix_audit_trail_actor" ON "audit_trail" ("organization_id", "actor_id", "occurred_at", "seq")`);
    await queryRunner.query(`CREATE INDEX "ix_audit_trail_action" ON "audit_trail" ("organization_id", "action", "occurred_at", "seq")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_audit_trail_action"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_trail_actor"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_trail_occurred"`);
    await queryRunner.query(`CREATE INDEX "IDX_125f2e2c1f70ff906f5db7c023" ON "audit_trail" ("actor_id")`);
  }
}
