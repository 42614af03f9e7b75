import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last number given per organisation, series and fiscal year (INC-2022-0007, FND-2022-0003,
 * resident acknowledgements). Taken with `UPDATE … RETURNING` inside the transaction that uses it:
 * concurrent reports queue on the row, and a rolled-back one gives its number back, so there are no gaps.
 */
@Entity('reference_counters')
export class ReferenceCounter {
  @PrimaryColumn('uuid')
  organizationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  series!: string;

  @PrimaryColumn({ type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'int' })
  last!: number;
}
