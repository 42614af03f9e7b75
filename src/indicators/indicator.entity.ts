import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

export const INDICATOR_UNITS = ['percent', 'count', 'yes_no'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];

export const INDICATOR_DIRECTIONS = ['higher', 'lower'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

/** A target over fiscal years: `from` … `to` inclusive, `to` null for every year from `from` on. */
export interface IndicatorTarget {
  from: number;
  to: number | null;
  value: number;
}

/** The figure the plan started from (FY2017's 84% training completion). */
export interface IndicatorBaseline {
  fiscalYear: number;
  value: number;
}

/**
 * An indicator of the plan (指標, DESIGN.md §3 "Indicators"): a yearly figure with a target per
 * fiscal year, computed from the records (`computed:<name>`) or entered by hand with a source note
 * (`manual`). Loaded from `policies/indicators.yaml` by its code; never deleted (retired when the
 * file drops it), so closed years keep naming it.
 */
@Entity('indicators')
@Index('uq_indicators_code', ['organizationId', 'code'], { unique: true })
@Check('ck_indicators_unit', `"unit" IN ('percent', 'count', 'yes_no')`)
@Check('ck_indicators_direction', `"direction" IN ('higher', 'lower')`)
export class Indicator extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  titleEn!: string | null;

  @Column({ type: 'text' })
  definition!: string;

  @Column({ type: 'text', nullable: true })
  definitionEn!: string | null;

  @Column({ type: 'varchar', length: 16 })
  unit!: IndicatorUnit;

  @Column({ type: 'varchar', length: 8 })
  direction!: IndicatorDirection;

  /** `computed:<name>` or `manual` */
  @Column({ type: 'varchar', length: 64 })
  source!: string;

  /** the plan's measure, e.g. `III-2` */
  @Column({ type: 'varchar', length: 32 })
  planItem!: string;

  @Column({ type: 'jsonb', nullable: true })
  baseline!: IndicatorBaseline | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  targets!: IndicatorTarget[];

  /** manual indicators: a value older than this many months is stale */
  @Column({ type: 'int', nullable: true })
  updateEveryMonths!: number | null;

  /** order in the file (the dashboard's and the report's order) */
  @Column({ type: 'int' })
  position!: number;

  /** sha256 (hex) of the file's fields, to detect changes */
  @Column({ type: 'char', length: 64 })
  contentHash!: string;

  /** set when the file no longer names it */
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}

/** The target of a fiscal year, or null when the plan sets none for it. */
export function targetOf(indicator: Pick<Indicator, 'targets'>, fiscalYear: number): number | null {
  const found = indicator.targets.find((t) => t.from <= fiscalYear && (t.to === null || fiscalYear <= t.to));
  return found ? found.value : null;
}
