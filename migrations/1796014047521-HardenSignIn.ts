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
 * X-Forwarded-For left from before) into NULL; it never fails. The audit trail is hash-chained, so
 * its rows keep what they were sealed with: where `inet` will not read the stored text back
 * unchanged (not an address, or an address in another spelling such as `192.0.2.1/32`), the text is
 * first copied to `client_address_legacy`, which the row's hash then covers in place of the address
 * (`entryHash`): those rows verify as before, and a forged value stays as evidence. That copy is the
 * one UPDATE ever made to the trail: the append-only row trigger is disabled around it, inside this
 * migration's transaction (run as the table's owner), so nothing else can slip through meanwhile.
 * (The text form compared is `abbrev(inet)`, which is what the inet output function, and so the
 * application, reads; `inet::text` would add the netmask.)
 *
 * `mamori_inet_or_null(text)` stays: verify uses it to check that the address of a row with legacy
 * text is the one this conversion derived from that text (the hash covers only the text).
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
      CREATE FUNCTION mamori_inet_or_null(value text) RETURNS inet LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN value::inet;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`ALTER TABLE "audit_trail" ADD "client_address_legacy" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "audit_trail" DISABLE TRIGGER "audit_trail_append_only"`);
    const [kept] = (await queryRunner.query(
      `WITH kept AS (
         UPDATE "audit_trail" SET "client_address_legacy" = "client_address"
         WHERE "client_address" IS NOT NULL AND abbrev(mamori_inet_or_null("client_address")) IS DISTINCT FROM "client_address"
         RETURNING 1
       ) SELECT count(*)::int AS n FROM kept`,
    )) as { n: number }[];
    await queryRunner.query(`ALTER TABLE "audit_trail" ENABLE TRIGGER "audit_trail_append_only"`);
    if (kept && kept.n > 0) {
      console.warn(
        `HardenSignIn: ${kept.n} audit-trail row(s) held a client address that was not an address (or not in canonical form); the text is kept in client_address_legacy`,
      );
    }
    for (const table of ADDRESS_COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "client_address" TYPE inet USING mamori_inet_or_null("client_address")`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the audit trail gets back the very text its rows were sealed with
    await queryRunner.query(
      `ALTER TABLE "audit_trail" ALTER COLUMN "client_address" TYPE character varying(64) USING coalesce("client_address_legacy", abbrev("client_address"))`,
    );
    await queryRunner.query(`ALTER TABLE "audit_trail" DROP COLUMN "client_address_legacy"`);
    for (const table of ADDRESS_COLUMNS.filter((name) => name !== 'audit_trail')) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "client_address" TYPE character varying(64) USING abbrev("client_address")`);
    }
    await queryRunner.query(`DROP FUNCTION mamori_inet_or_null(text)`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "replaced_by_id"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "issued_at"`);
    await queryRunner.query(`ALTER TABLE "sign_in_failures" DROP CONSTRAINT "FK_7087fcb0fcc458c81aeb96e5af8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7087fcb0fcc458c81aeb96e5af"`);
    await queryRunner.query(`DROP TABLE "sign_in_failures"`);
  }
}
