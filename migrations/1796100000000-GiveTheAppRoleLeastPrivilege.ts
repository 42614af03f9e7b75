import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app logs in as a member of `mamori_app` and may do only what it needs: read and write the
 * tables, never TRUNCATE, never change the schema, and only INSERT and SELECT on the audit trail and its checkpoints
 * (the append-only triggers stay as a second wall). Migrations run as the owner. Tables created by
 * later migrations get the same table privileges by default; a later append-only table revokes
 * UPDATE and DELETE itself. (Written by hand: privileges are not part of the entity model.)
 */
export class GiveTheAppRoleLeastPrivilege1796100000000 implements MigrationInterface {
  name = 'GiveTheAppRoleLeastPrivilege1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // `db:create` (or the database administrator, SECURITY.md) normally made it already
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mamori_app') THEN
          CREATE ROLE mamori_app NOLOGIN;
        END IF;
      END $$`);
    await queryRunner.query(`DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO mamori_app', current_database()); END $$`);
    await queryRunner.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO mamori_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mamori_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO mamori_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO mamori_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO mamori_app`);
    // history is written once and read; the app sees which migrations ran but cannot record one
    await queryRunner.query(`REVOKE UPDATE, DELETE ON audit_trail, audit_trail_checkpoints FROM mamori_app`);
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM mamori_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM mamori_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM mamori_app`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM mamori_app`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM mamori_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM mamori_app`);
    await queryRunner.query(`DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM mamori_app', current_database()); END $$`);
    // CREATE on the schema is not given back to PUBLIC: PostgreSQL 15 and later do not grant it either
  }
}
