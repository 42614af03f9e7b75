import type { EntityManager } from 'typeorm';

/**
 * The next number of a series in a fiscal year, e.g. `nextReference(manager, org, 'INC', 2022)` →
 * `INC-2022-0007`. Gapless: the counter row is locked until the transaction ends and rolled back
 * with it.
 */
export async function nextReference(
  manager: EntityManager,
  organizationId: string,
  series: string,
  fiscalYear: number,
): Promise<{ reference: string; number: number }> {
  const rows = (await manager.query(
    `INSERT INTO reference_counters (organization_id, series, fiscal_year, last) VALUES ($1, $2, $3, 1)
     ON CONFLICT (organization_id, series, fiscal_year) DO UPDATE SET last = reference_counters.last + 1
     RETURNING last`,
    [organizationId, series, fiscalYear],
  )) as { last: number }[];
  const number = rows[0]!.last;
  return { reference: `${series}-${fiscalYear}-${String(number).padStart(4, '0')}`, number };
}
