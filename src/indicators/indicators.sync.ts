import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { Transaction } from '../database/unit-of-work.js';
import { PolicyFilesPart, type PolicyFilesPartHandler, type SyncResult } from '../policies/policy-files-part.js';
import { lineOf, parseYaml, source, validateAs, type PolicyFileError } from '../policies/policy-files.js';
import { COMPUTED_SOURCES } from './computed-sources.js';
import { INDICATOR_DIRECTIONS, INDICATOR_UNITS, Indicator, type IndicatorDirection, type IndicatorTarget, type IndicatorUnit } from './indicator.entity.js';

declare module '../policies/policy-files-part.js' {
  interface SyncResult {
    indicators: { created: number; updated: number; unchanged: number; retired: number };
  }
}

/** The file, relative to the policies folder. */
export const INDICATORS_FILE = 'indicators.yaml';

const YEAR = { min: 2000, max: 2100 };

class TargetFile {
  @IsOptional()
  @IsInt()
  @Min(YEAR.min)
  @Max(YEAR.max)
  fiscalYear?: number;

  @IsOptional()
  @IsInt()
  @Min(YEAR.min)
  @Max(YEAR.max)
  from?: number;

  @IsOptional()
  @IsInt()
  @Min(YEAR.min)
  @Max(YEAR.max)
  to?: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e12)
  value!: number;
}

class BaselineFile {
  @IsInt()
  @Min(1990)
  @Max(YEAR.max)
  fiscalYear!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  value!: number;
}

class IndicatorFile {
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,63}$/, { message: 'code must be lower-case letters, digits and _ (2–64)' })
  code!: string;

  @IsString()
  @Length(1, 200)
  title!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  titleEn?: string;

  @IsString()
  @Length(1, 2000)
  definition!: string;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  definitionEn?: string;

  @IsIn(INDICATOR_UNITS)
  unit!: IndicatorUnit;

  @IsIn(INDICATOR_DIRECTIONS)
  direction!: IndicatorDirection;

  @IsString()
  @Matches(/^(manual|computed:[a-z_]+)$/, { message: 'source must be manual or computed:<name>' })
  source!: string;

  @IsString()
  @Length(1, 32)
  planItem!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => BaselineFile)
  baseline?: BaselineFile;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TargetFile)
  targets?: TargetFile[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  updateEveryMonths?: number;
}

class IndicatorsFile {
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => IndicatorFile)
  indicators!: IndicatorFile[];
}

/** An indicator of the file, checked, as stored. */
export type IndicatorContent = Pick<
  Indicator,
  | 'code'
  | 'title'
  | 'titleEn'
  | 'definition'
  | 'definitionEn'
  | 'unit'
  | 'direction'
  | 'source'
  | 'planItem'
  | 'baseline'
  | 'targets'
  | 'updateEveryMonths'
  | 'position'
  | 'contentHash'
>;

/**
 * Reads and checks `indicators.yaml`: its shape, codes used once, a known computed source, targets
 * as one year or a range (years not set twice), manual indicators with how often they are updated.
 * A folder without the file has no indicators (nothing to sync).
 */
export function readIndicatorsFile(root: string, errors: PolicyFileError[]): IndicatorContent[] | null {
  const path = join(root, INDICATORS_FILE);
  if (!existsSync(path)) return null;
  const src = source(INDICATORS_FILE, readFileSync(path, 'utf8').replace(/\r\n/g, '\n'));
  const data = parseYaml(src, errors);
  if (data === undefined) return null;
  const file = validateAs(src, IndicatorsFile, data, errors);
  if (!file) return null;
  const at = (index: number, ...path: (string | number)[]): number | null => lineOf(src, ['indicators', index, ...path], data);
  const field = (index: number, name: string): string => `indicators[${index}].${name}`;
  const seen = new Map<string, number>();
  const out: IndicatorContent[] = [];
  file.indicators.forEach((item, index) => {
    const other = seen.get(item.code);
    if (other !== undefined)
      errors.push({
        file: src.file,
        line: at(index, 'code'),
        field: field(index, 'code'),
        message: `code "${item.code}" is also used by indicators[${other}]`,
      });
    seen.set(item.code, index);
    if (item.source.startsWith('computed:') && !COMPUTED_SOURCES[item.source.slice('computed:'.length)])
      errors.push({
        file: src.file,
        line: at(index, 'source'),
        field: field(index, 'source'),
        message: `unknown computed source; known: ${Object.keys(COMPUTED_SOURCES).join(', ')}`,
      });
    if (item.source === 'manual' && item.updateEveryMonths === undefined)
      errors.push({
        file: src.file,
        line: at(index, 'source'),
        field: field(index, 'updateEveryMonths'),
        message: 'a manual indicator needs updateEveryMonths',
      });
    const targets: IndicatorTarget[] = [];
    (item.targets ?? []).forEach((t, i) => {
      const line = at(index, 'targets', i);
      const name = `indicators[${index}].targets[${i}]`;
      if ((t.fiscalYear === undefined) === (t.from === undefined)) {
        errors.push({ file: src.file, line, field: name, message: 'give either fiscalYear (one year) or from (and to)' });
        return;
      }
      if (t.fiscalYear !== undefined && t.to !== undefined)
        errors.push({ file: src.file, line, field: `${name}.to`, message: 'to goes with from, not with fiscalYear' });
      const target: IndicatorTarget =
        t.fiscalYear !== undefined ? { from: t.fiscalYear, to: t.fiscalYear, value: t.value } : { from: t.from!, to: t.to ?? null, value: t.value };
      if (target.to !== null && target.to < target.from) errors.push({ file: src.file, line, field: `${name}.to`, message: 'to is before from' });
      if (item.unit === 'percent' && target.value > 100) errors.push({ file: src.file, line, field: `${name}.value`, message: 'a percentage is at most 100' });
      if (item.unit === 'yes_no' && target.value !== 0 && target.value !== 1)
        errors.push({ file: src.file, line, field: `${name}.value`, message: 'a yes/no target is 1 (yes) or 0 (no)' });
      const clash = targets.find((o) => o.from <= (target.to ?? Infinity) && target.from <= (o.to ?? Infinity));
      if (clash)
        errors.push({ file: src.file, line, field: name, message: `overlaps the target from ${clash.from}${clash.to === null ? ' on' : ` to ${clash.to}`}` });
      targets.push(target);
    });
    const content = {
      code: item.code,
      title: item.title,
      titleEn: item.titleEn ?? null,
      definition: item.definition.trim(),
      definitionEn: item.definitionEn?.trim() ?? null,
      unit: item.unit,
      direction: item.direction,
      source: item.source,
      planItem: item.planItem,
      baseline: item.baseline ? { fiscalYear: item.baseline.fiscalYear, value: item.baseline.value } : null,
      targets: targets.sort((a, b) => a.from - b.from),
      updateEveryMonths: item.source === 'manual' ? (item.updateEveryMonths ?? null) : null,
      position: index,
    };
    out.push({ ...content, contentHash: createHash('sha256').update(JSON.stringify(content)).digest('hex') });
  });
  return out;
}

/**
 * The indicators' part of `policies:sync` (`indicators.yaml`): upserted by code, retired (never
 * deleted) when they leave the file, so closed years keep naming them. Values entered by hand and
 * year closes are records of the application and are never touched by the sync.
 */
@Injectable()
@PolicyFilesPart(40)
export class IndicatorsSync implements PolicyFilesPartHandler<IndicatorContent[] | null> {
  load(root: string, errors: PolicyFileError[]): IndicatorContent[] | null {
    return readIndicatorsFile(root, errors);
  }

  emptyResult(): Partial<SyncResult> {
    return { indicators: { created: 0, updated: 0, unchanged: 0, retired: 0 } };
  }

  async apply(tx: Transaction, loaded: IndicatorContent[] | null, result: SyncResult): Promise<void> {
    if (loaded === null) return;
    const repo = tx.manager.getRepository(Indicator);
    const existing = new Map(
      (await repo.find({ where: { organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_write' } })).map((i) => [i.code, i]),
    );
    for (const item of loaded) {
      const current = existing.get(item.code);
      if (!current) {
        await tx.create(Indicator, { ...item, retiredAt: null }, { action: 'indicator.create', entityType: 'indicator' });
        result.indicators.created++;
      } else if (current.contentHash !== item.contentHash || current.retiredAt !== null) {
        await tx.update(current, { ...item, retiredAt: null }, { action: 'indicator.update', entityType: 'indicator', context: { file: INDICATORS_FILE } });
        result.indicators.updated++;
      } else {
        result.indicators.unchanged++;
      }
    }
    const named = new Set(loaded.map((item) => item.code));
    for (const indicator of existing.values()) {
      if (named.has(indicator.code) || indicator.retiredAt) continue;
      await tx.update(
        indicator,
        { retiredAt: new Date() },
        { action: 'indicator.retire', entityType: 'indicator', context: { reason: `no longer in ${INDICATORS_FILE}` } },
      );
      result.indicators.retired++;
    }
  }
}
