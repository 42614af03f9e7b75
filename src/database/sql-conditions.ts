/**
 * The WHERE clause of a hand-written read, built condition by condition with numbered parameters
 * (`$1`, `$2`, …) for a prepared statement: `?` is the condition's next value, `?1` its first one
 * again, and every value given is bound.
 *
 * ```ts
 * const where = new SqlConditions().add('s.organization_id = ?', org).add('s.email ILIKE ?1 OR s.name ILIKE ?1', `%${q}%`);
 * preparedQuery(ds, `SELECT … WHERE ${where.sql()} LIMIT $${where.next()}`, [...where.values, 50]);
 * ```
 */
export class SqlConditions {
  readonly values: unknown[] = [];
  private readonly parts: string[] = [];

  add(condition: string, ...values: unknown[]): this {
    const first = this.values.length + 1;
    let n = first;
    this.parts.push(`(${condition.replace(/\?(1)?/g, (_, again: string | undefined) => (again ? `$${first}` : `$${n++}`))})`);
    this.values.push(...values);
    return this;
  }

  sql(): string {
    return this.parts.length ? this.parts.join(' AND ') : 'true';
  }

  /** the number of the next parameter */
  next(): number {
    return this.values.length + 1;
  }
}
