import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The characters of a Unicode range, `from` to `to` inclusive. */
const range = (from: number, to: number): string => String.fromCodePoint(...Array.from({ length: to - from + 1 }, (_, i) => from + i));

/** ぁ…ゖ and ゝゞ, and the katakana they are written as in a search (ァ…ヶ, ヽヾ). */
const HIRAGANA = `${range(0x3041, 0x3096)}ゝゞ`;
const KATAKANA = `${range(0x30a1, 0x30f6)}ヽヾ`;

const KEY_COLUMNS = `"family_name", "given_name", "family_name_kana", "given_name_kana", "email", "employee_number"`;

/**
 * The staff list's name search finds kana in either script (たなか finds タナカ) and ignores spaces
 * (half and full width) in the search and in the names:
 * - `staff_search_text(text)`: NFKC (full-width letters and half-width katakana folded), lower case,
 *   hiragana written as katakana, spaces removed (translate drops what has no counterpart);
 * - `staff_search_key(…)`: a person's name, kana, e-mail address and employee number, each so
 *   folded, joined by a space, which a folded search never holds (so no match spans two of them);
 * - `staff.search_key` holds it, set by a trigger whenever one of those columns is written (and
 *   whenever anything writes search_key itself), with a trigram index (pg_trgm, GIN) so that
 *   `LIKE '%…%'` is answered from the index and a scan reads a stored value.
 * A trigger rather than a generated column: TypeORM keeps a generated column's expression in a
 * table keyed by the database's name, which a copied or restored database does not match.
 */
export class SearchStaffNamesAcrossKanaScriptsAndSpaces1796101700001 implements MigrationInterface {
  name = 'SearchStaffNamesAcrossKanaScriptsAndSpaces1796101700001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE FUNCTION staff_search_text(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
         RETURN translate(lower(normalize(value, NFKC)), '${HIRAGANA} \u3000', '${KATAKANA}')`,
    );
    await queryRunner.query(
      `CREATE FUNCTION staff_search_key(family_name text, given_name text, family_name_kana text, given_name_kana text, email text, employee_number text)
         RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
         RETURN staff_search_text(family_name || given_name) || ' ' || staff_search_text(coalesce(family_name_kana, '') || coalesce(given_name_kana, ''))
           || ' ' || staff_search_text(email) || ' ' || staff_search_text(employee_number)`,
    );
    await queryRunner.query(
      `CREATE FUNCTION staff_set_search_key() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.search_key := staff_search_key(NEW.family_name, NEW.given_name, NEW.family_name_kana, NEW.given_name_kana, NEW.email, NEW.employee_number);
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(`ALTER TABLE "staff" ADD "search_key" text`);
    await queryRunner.query(`UPDATE "staff" SET "search_key" = staff_search_key(${KEY_COLUMNS})`);
    await queryRunner.query(`ALTER TABLE "staff" ALTER COLUMN "search_key" SET NOT NULL`);
    await queryRunner.query(
      `CREATE TRIGGER "staff_search_key" BEFORE INSERT OR UPDATE OF ${KEY_COLUMNS}, "search_key" ON "staff" FOR EACH ROW EXECUTE FUNCTION staff_set_search_key()`,
    );
    await queryRunner.query(`CREATE INDEX "ix_staff_search_key" ON "staff" USING gin ("search_key" gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_staff_search_key"`);
    await queryRunner.query(`DROP TRIGGER "staff_search_key" ON "staff"`);
    await queryRunner.query(`ALTER TABLE "staff" DROP COLUMN "search_key"`);
    await queryRunner.query(`DROP FUNCTION staff_set_search_key()`);
    await queryRunner.query(`DROP FUNCTION staff_search_key(text, text, text, text, text, text)`);
    await queryRunner.query(`DROP FUNCTION staff_search_text(text)`);
    await queryRunner.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
