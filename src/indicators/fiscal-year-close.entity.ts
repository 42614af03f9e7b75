import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** One indicator as frozen by a year close (the indicator row of the API, without `frozen`). */
export interface FrozenIndicator {
  code: string;
  title: string;
  titleEn: string | null;
  unit: string;
  direction: string;
  planItem: string;
  source: 'computed' | 'manual';
  target: number | null;
  value: number | null;
  status: string;
  numerator: number | null;
  denominator: number | null;
  sourceNote: string | null;
}

/**
 * A year close (年度の締め): the CISO freezes a fiscal year's figures in a snapshot that carries the
 * audit trail's head at that moment (seq and hash), so later changes to old records do not move the
 * year. Reopening (with a reason) ends the close; closing again makes a new one. At most one close
 * of a year is in force.
 */
@Entity('fiscal_year_closes')
@Index('uq_fiscal_year_closes_in_force', ['organizationId', 'fiscalYear'], { unique: true, where: '"reopened_at" IS NULL' })
export class FiscalYearClose extends OrganizationScopedEntity {
  @Column({ type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'timestamptz' })
  closedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  closedById!: string | null;

  /** the day the frozen figures were taken as of */
  @Column({ type: 'date' })
  asOf!: string;

  /** the audit trail's head when the year was closed */
  @Column({ type: 'bigint', nullable: true })
  auditTrailSeq!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  auditTrailHash!: string | null;

  @Column({ type: 'jsonb' })
  indicators!: FrozenIndicator[];

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  reopenedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  reopenedById!: string | null;

  @Column({ type: 'text', nullable: true })
  reopenReason!: string | null;
}
