import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The board's filter columns, held in the urgency index beside its keys. */
const BOARD_COLUMNS = `"status", "severity", "acknowledged_at", "category", "department_id", "reporter_department_id", "reporter_id", "near_miss", "fiscal_year"`;

/**
 * The incident board sorted by urgency (IncidentsService.list) without a sort of every match:
 * - `incident_urgency(status, severity, acknowledged_at)`: open before closed or rejected, then L3,
 *   L2, L1, untriaged, L0, then unacknowledged first, as one small number (0–19);
 * - `ix_incidents_urgency`: (organization, urgency, reported_at DESC, id DESC), the order of the
 *   board, with the columns the board filters on included, so that a page's ids are read from the
 *   index alone (an index-only scan; a deep page skips index entries rather than rows) and the rows
 *   of the page only are fetched.
 * A function and an expression index rather than a generated column: TypeORM keeps a generated
 * column's expression in a table keyed by the database's name, which a copied or restored database
 * does not match (as SearchStaffNamesAcrossKanaScriptsAndSpaces).
 */
export class IndexTheIncidentBoardByUrgency1796103500000 implements MigrationInterface {
  name = 'IndexTheIncidentBoardByUrgency1796103500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION incident_urgency(status varchar, severity varchar, acknowledged_at timestamptz) RETURNS smallint
         LANGUAGE sql IMMUTABLE PARALLEL SAFE
         RETURN (CASE WHEN status IN ('closed', 'rejected') THEN 10 ELSE 0 END
                 + 2 * CASE severity WHEN 'L3' THEN 0 WHEN 'L2' THEN 1 WHEN 'L1' THEN 2 WHEN 'L0' THEN 4 ELSE 3 END
                 + CASE WHEN acknowledged_at IS NULL THEN 0 ELSE 1 END)::smallint`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_incidents_urgency" ON "incidents"
         ("organization_id", incident_urgency("status", "severity", "acknowledged_at"), "reported_at" DESC, "id" DESC) INCLUDE (${BOARD_COLUMNS})`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_incidents_urgency"`);
    await queryRunner.query(`DROP FUNCTION incident_urgency(varchar, varchar, timestamptz)`);
  }
}
