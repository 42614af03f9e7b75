import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A policy version written in the app carries the security office's change note and who drafted it (both null for versions loaded from policies/). */
export class LetTheSecurityOfficeDraftPolicyRevisions1796101900000 implements MigrationInterface {
  name = 'LetTheSecurityOfficeDraftPolicyRevisions1796101900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policy_versions" ADD "change_note" text`);
    await queryRunner.query(`ALTER TABLE "policy_versions" ADD "drafted_by" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policy_versions" DROP COLUMN "drafted_by"`);
    await queryRunner.query(`ALTER TABLE "policy_versions" DROP COLUMN "change_note"`);
  }
}
