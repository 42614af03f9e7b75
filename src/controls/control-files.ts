import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { load as loadYaml } from 'js-yaml';
import { canonicalJson } from '../common/canonical-json.js';
import { sha256 } from '../common/secrets.js';
import { ROLES } from '../common/roles.js';
import { check, lineOf, parseYaml, source, validateAs, type PolicyFileError } from '../policies/policy-files.js';
import { CONTROL_FREQUENCIES, FRAMEWORKS, type ControlMappings, type Framework } from './control.entity.js';

// ---------------------------------------------------------------- schemas (class-validator)

export class ControlMappingsSpec {
  @IsArray()
  @IsString({ each: true })
  iso27001!: string[];

  @IsArray()
  @IsString({ each: true })
  nistCsf!: string[];
}

/** One entry of `controls.yaml`. */
export class ControlSpec {
  @IsString()
  @Matches(/^[1-9]-\d{2}$/, { message: 'id must look like "5-02"' })
  id!: string;

  @IsInt()
  @Min(1)
  @Max(9)
  chapter!: number;

  @IsString()
  @Length(1, 300)
  title!: string;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  titleEn?: string;

  @IsString()
  @Length(1, 5000)
  description!: string;

  @IsOptional()
  @IsString()
  @Length(1, 5000)
  descriptionEn?: string;

  /** what an auditor asks (監査項目の問い); the checklist shows the title when there is none */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  auditQuestion?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  auditQuestionEn?: string;

  /** what shows the control is in place (証跡の例): a few short lines */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Matches(/^[^\r\n]*$/, { each: true, message: 'each evidence hint must be one line' })
  evidenceHints?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Matches(/^[^\r\n]*$/, { each: true, message: 'each evidence hint must be one line' })
  evidenceHintsEn?: string[];

  @IsIn(ROLES)
  ownerRole!: string;

  @IsIn(CONTROL_FREQUENCIES)
  frequency!: string;

  @IsBoolean()
  essential!: boolean;

  @IsBoolean()
  verified!: boolean;

  @ValidateNested()
  @Type(() => ControlMappingsSpec)
  mappings!: ControlMappingsSpec;
}

export class ControlsFile {
  @IsInt()
  @Min(1)
  version!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ControlSpec)
  controls!: ControlSpec[];
}

export class FrameworkEntrySpec {
  @IsString()
  @Length(1, 32)
  id!: string;

  @IsString()
  @Length(1, 300)
  title!: string;

  @IsOptional()
  @IsString()
  theme?: string;

  @IsOptional()
  @IsString()
  category?: string;

  @IsOptional()
  @IsString()
  function?: string;
}

export class FrameworkFile {
  @IsIn(FRAMEWORKS)
  framework!: string;

  @IsString()
  name!: string;

  @IsOptional()
  @IsString()
  version?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FrameworkEntrySpec)
  controls?: FrameworkEntrySpec[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FrameworkEntrySpec)
  functions?: FrameworkEntrySpec[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FrameworkEntrySpec)
  categories?: FrameworkEntrySpec[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FrameworkEntrySpec)
  subcategories?: FrameworkEntrySpec[];
}

// ---------------------------------------------------------------- loaded content

export interface ControlContent {
  code: string;
  chapter: number;
  title: string;
  titleEn: string | null;
  description: string;
  descriptionEn: string | null;
  auditQuestion: string | null;
  auditQuestionEn: string | null;
  /** the evidence hints, one per line */
  evidenceHints: string | null;
  evidenceHintsEn: string | null;
  ownerRole: string;
  frequency: string;
  essential: boolean;
  verified: boolean;
  mappings: ControlMappings;
  contentHash: string;
}

export interface ControlFiles {
  controls: ControlContent[];
  frameworkItems: FrameworkItemContent[];
}

export interface FrameworkItemContent {
  framework: Framework;
  code: string;
  title: string;
  /** ISO theme or CSF category */
  groupCode: string;
}

/**
 * The hash that tells a changed control from an unchanged one. The audit question and evidence
 * hints count only when given, so a catalogue without them hashes as it did before they existed.
 */
export function controlContentHash(control: Omit<ControlContent, 'contentHash'>): string {
  const { auditQuestion, auditQuestionEn, evidenceHints, evidenceHintsEn, ...rest } = control;
  const audit = { auditQuestion, auditQuestionEn, evidenceHints, evidenceHintsEn };
  // canonicalJson leaves out undefined keys
  const given = Object.fromEntries(Object.entries(audit).map(([key, value]) => [key, value ?? undefined]));
  return sha256(canonicalJson({ ...rest, ...given }));
}

// ---------------------------------------------------------------- loading

function readFrameworks(root: string, errors: PolicyFileError[]): Record<Framework, Set<string>> {
  const ids: Record<Framework, Set<string>> = { iso27001: new Set(), nistCsf: new Set() };
  const dir = join(root, 'frameworks');
  if (!existsSync(dir)) {
    errors.push({ file: 'frameworks/', line: null, field: '(folder)', message: 'the frameworks folder is missing' });
    return ids;
  }
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = `frameworks/${name}`;
    const src = source(file, readFileSync(join(dir, name), 'utf8'));
    const data = parseYaml(src, errors);
    if (data === undefined) continue;
    const framework = validateAs(src, FrameworkFile, data, errors);
    if (!framework) continue;
    const set = ids[framework.framework as Framework];
    for (const entry of [...(framework.controls ?? []), ...(framework.functions ?? []), ...(framework.categories ?? []), ...(framework.subcategories ?? [])])
      set.add(entry.id);
  }
  return ids;
}

function readControls(root: string, frameworks: Record<Framework, Set<string>>, errors: PolicyFileError[]): ControlContent[] {
  const file = 'controls.yaml';
  if (!existsSync(join(root, file))) {
    errors.push({ file, line: null, field: '(file)', message: 'controls.yaml is missing' });
    return [];
  }
  const src = source(file, readFileSync(join(root, file), 'utf8'));
  const data = parseYaml(src, errors);
  if (data === undefined) return [];
  const { instance: catalogue, valid } = check(src, ControlsFile, data, errors);
  if (!catalogue || !Array.isArray(catalogue.controls)) return [];
  const seen = new Set<string>();
  const controls: ControlContent[] = [];
  // the cross-checks run on invalid items too, so that one run reports every mistake
  catalogue.controls.forEach((c, index) => {
    if (!c || typeof c !== 'object') return;
    const at = (...path: (string | number)[]): number | null => lineOf(src, ['controls', index, ...path], data);
    if (typeof c.id === 'string') {
      if (seen.has(c.id)) errors.push({ file, line: at('id'), field: `controls[${index}].id`, message: `id "${c.id}" is used twice` });
      seen.add(c.id);
      if (Number.isInteger(c.chapter) && c.chapter >= 1 && c.chapter <= 9 && Number(c.id.split('-')[0]) !== c.chapter) {
        errors.push({ file, line: at('chapter'), field: `controls[${index}].chapter`, message: `chapter ${c.chapter} does not match id "${c.id}"` });
      }
    }
    for (const framework of FRAMEWORKS) {
      const ids: unknown = (c.mappings as Partial<ControlMappingsSpec> | undefined)?.[framework];
      if (!Array.isArray(ids)) continue;
      for (const id of ids) {
        if (typeof id === 'string' && !frameworks[framework].has(id)) {
          errors.push({
            file,
            line: at('mappings', framework),
            field: `controls[${index}].mappings.${framework}`,
            message: `"${id}" is not an id of the ${framework} framework file`,
          });
        }
      }
    }
    if (!valid) return;
    const content: Omit<ControlContent, 'contentHash'> = {
      code: c.id,
      chapter: c.chapter,
      title: c.title,
      titleEn: c.titleEn ?? null,
      description: c.description,
      descriptionEn: c.descriptionEn ?? null,
      auditQuestion: c.auditQuestion?.trim() ?? null,
      auditQuestionEn: c.auditQuestionEn?.trim() ?? null,
      evidenceHints: c.evidenceHints ? c.evidenceHints.map((hint) => hint.trim()).join('\n') : null,
      evidenceHintsEn: c.evidenceHintsEn ? c.evidenceHintsEn.map((hint) => hint.trim()).join('\n') : null,
      ownerRole: c.ownerRole,
      frequency: c.frequency,
      essential: c.essential,
      verified: c.verified,
      mappings: { iso27001: [...c.mappings.iso27001], nistCsf: [...c.mappings.nistCsf] },
    };
    controls.push({ ...content, contentHash: controlContentHash(content) });
  });
  return controls;
}

/**
 * Reads and validates `controls.yaml` and `frameworks/*.yaml` of the policies folder, adding every
 * mistake to `errors`; returns the controls and the framework items coverage counts.
 */
export function readControlFiles(root: string, errors: PolicyFileError[]): ControlFiles {
  const before = errors.length;
  const frameworks = readFrameworks(root, errors);
  const controls = readControls(root, frameworks, errors);
  return { controls, frameworkItems: errors.length === before ? readFrameworkItems(root) : [] };
}

/**
 * The items of `frameworks/*.yaml` that coverage counts: ISO/IEC 27001 Annex A controls (grouped by
 * theme) and NIST CSF subcategories (grouped by category). Call once the files are validated.
 */
function readFrameworkItems(root: string): FrameworkItemContent[] {
  const dir = join(root, 'frameworks');
  const items: FrameworkItemContent[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = loadYaml(readFileSync(join(dir, name), 'utf8')) as FrameworkFile;
    if (!(FRAMEWORKS as readonly string[]).includes(file.framework)) continue;
    const framework = file.framework as Framework;
    for (const c of file.controls ?? []) items.push({ framework, code: c.id, title: c.title, groupCode: c.theme ?? '' });
    for (const s of file.subcategories ?? []) items.push({ framework, code: s.id, title: s.title, groupCode: s.category ?? s.id.split('-')[0]! });
  }
  return items;
}
