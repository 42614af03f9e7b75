import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { MamoriConfig } from '../config/configuration.js';

/**
 * What the app's own database role can do beyond what it needs, each a way round the audit trail's
 * protection: a superuser can switch the triggers off (`session_replication_role = replica`), an
 * owner can drop them, and UPDATE, DELETE or TRUNCATE on the trail rewrite history.
 */
export async function excessPrivileges(dataSource: DataSource): Promise<string[]> {
  const [row] = (await dataSource.query(
    `SELECT r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owns_audit_trail,
            has_table_privilege(c.oid, 'UPDATE') AS can_update,
            has_table_privilege(c.oid, 'DELETE') AS can_delete,
            has_table_privilege(c.oid, 'TRUNCATE') AS can_truncate,
            coalesce(has_table_privilege(to_regclass('audit_trail_checkpoints'), 'UPDATE, DELETE, TRUNCATE'), false) AS can_change_checkpoints,
            has_schema_privilege('public', 'CREATE') AS can_create
       FROM pg_roles r, pg_class c
      WHERE r.rolname = current_user AND c.oid = 'audit_trail'::regclass`,
  )) as Record<string, boolean>[];
  if (!row) return ['the audit trail table is missing'];
  const problems: string[] = [];
  if (row.superuser) problems.push('is a superuser');
  if (row.bypass_rls) problems.push('bypasses row-level security');
  if (row.owns_audit_trail) problems.push('owns the audit trail table');
  if (row.can_update || row.can_delete || row.can_truncate) problems.push('may UPDATE, DELETE or TRUNCATE the audit trail');
  if (row.can_change_checkpoints) problems.push("may UPDATE, DELETE or TRUNCATE the audit trail's checkpoints");
  if (row.can_create) problems.push('may create tables');
  return problems;
}

/** Migrations compiled into this build that the database has not applied. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const known = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
  if (known.length === 0) return [];
  const applied = new Set(
    ((await dataSource.query(`SELECT name FROM ${dataSource.options.migrationsTableName ?? 'migrations'}`).catch(() => [])) as { name: string }[]).map(
      (m) => m.name,
    ),
  );
  return known.filter((name) => !applied.has(name));
}

/**
 * At start-up: the schema is migrated (migrations run as the owner, `npm run cli -- migrate`, never
 * by the app's role), and the app's role holds no more than it needs. In production an excess
 * privilege stops the start; elsewhere it is a warning.
 */
@Injectable()
export class DatabaseStartupCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<MamoriConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const pending = await pendingMigrations(this.dataSource);
    if (pending.length) {
      throw new Error(
        `The database lacks ${pending.length} migration(s) (${pending.join(', ')}): run \`node dist/src/cli.js migrate\` with DATABASE_OWNER_URL first`,
      );
    }
    const problems = await excessPrivileges(this.dataSource);
    if (!problems.length) return;
    const message = `DATABASE_URL's role ${problems.join(', ')}: give the app a login role that is a member of mamori_app only (SECURITY.md)`;
    if (this.config.get('app', { infer: true }).env === 'production') throw new Error(message);
    this.logger.warn(message);
  }
}
