import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A value of a manual indicator for a fiscal year, entered by hand with its source note (where the
 * figure comes from). Entries are kept: a new one for the same year supersedes the one before, and
 * the history shows both.
 */
@Entity('indicator_values')
@Index('ix_indicator_values_year', ['organizationId', 'indicatorId', 'fiscalYear', 'enteredAt'])
export class IndicatorValue extends OrganizationScopedEntity {
  @Column('uuid')
  indicatorId!: string;

  @Column({ type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  value!: number;

  /** where the figure comes from (a document, a system's screen, a published table) */
  @Column({ type: 'text' })
  sourceNote!: string;

  /** the day the figure refers to (default: the year's last day, or the day entered when earlier) */
  @Column({ type: 'date' })
  measuredOn!: string;

  @Column({ type: 'uuid', nullable: true })
  enteredById!: string | null;

  @Column({ type: 'timestamptz' })
  enteredAt!: Date;
}
