import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns that hold a client address: text until now, `inet` from here on. */
const ADDRESS_COLUMNS = ['audit_trail', 'auth_sessions', 'acknowledgement_duties'] as const;

/**
 * Sign-in hardening (issue 7):
 * - `sign_in_failures`: failed sign-ins counted per (sign-in name, client address);
 * - `refresh_tokens.issued_at` / `replaced_by_id`: a refresh token presented again within the
 *   grace answers the same successor pair;
 * - client addresses as `inet`, which holds any IPv6 address (a forged 66-character address no
 *   longer overflows `varchar(64)` and rolls the failed sign-in's record back).
 *
 * The conversion keeps every value PostgreSQL reads as an address and turns anything else (a forged
 * X-Forwarded-For left from before) into NULL; it never fails. `ALTER COLUMN … TYPE … USING`
 * rewrites the table without firing row triggers, so the audit trail's append-only trigger (BEFORE
 * UPDATE OR DELETE … FOR EACH ROW) lets it through. An audit-trail row whose stored text was not
 * already PostgreSQL's canonical form of an address (such a forged value) no longer matches its
 * hash: the chain check will name those rows; the warning below counts them. (The text form
 * compared is `abbrev(inet)`, which is what the inet output function, and so the application, reads;
 * `inet::text` would add the netmask.)
 */
export class HardenSignIn1796014047521 implements MigrationInterface {
  name = 'HardenSignIn1796014047521';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sign_in_failures" ("key" character(64) NOT NULL, "staff_id" uuid, "client_address" inet, "failures" integer NOT NULL DEFAULT '0', "last_failed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_9640f740c74e346a74259162542" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7087fcb0fcc458c81aeb96e5af" ON "sign_in_failures"  ("staff_id") `);
    await queryRunner.query(
      `ALTER TABLE "sign_in_failures" ADD CONSTRAINT "FK_7087fcb0fcc458c81aeb96e5af8" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "issued_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "replaced_by_id" uuid`);

    await queryRunner.query(`
      CREATE FUNCTION pg_temp.mamori_inet_or_null(value text) RETURNS inet LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN value::inet;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END
      $$`);
    const [changed] = (await queryRunner.query(
      `SELECT count(*)::int AS n FROM "audit_trail" WHERE "client_address" IS NOT NULL AND abbrev(pg_temp.mamori_inet_or_null("client_address")) IS DISTINCT FROM "client_address"`,
    )) as { n: number }[];
    if (changed && changed.n > 0) {
      console.warn(
        `HardenSignIn: ${changed.n} audit-trail row(s) held a client address that was not an address (or not in canonical form); now NULL or canonical`,
      );
    }
    for (const table of ADDRESS_COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "client_address" TYPE inet USING pg_temp.mamori_inet_or_null("client_address")`);
    }
    await queryRunner.query(`DROP FUNCTION pg_temp.mamori_inet_or_null(text)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ADDRESS_COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "client_address" TYPE character varying(64) USING abbrev("client_address")`);
    }
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "replaced_by_id"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "issued_at"`);
    await queryRunner.query(`ALTER TABLE "sign_in_failures" DROP CONSTRAINT "FK_7087fcb0fcc458c81aeb96e5af8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7087fcb0fcc458c81aeb96e5af"`);
    await queryRunner.query(`DROP TABLE "sign_in_failures"`);
  }
}
