import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { load as loadYaml } from 'js-yaml';
import { ROLES } from '../auth/roles.js';
import { canonicalJson } from '../common/canonical-json.js';
import { CLASSIFICATIONS, POLICY_KINDS } from './policy.entity.js';
import { CONTROL_FREQUENCIES, FRAMEWORKS, type ControlMappings, type Framework } from './control.entity.js';

/** One mistake in a file of `policies/`, located as precisely as we can. */
export interface PolicyFileError {
  /** path relative to the policies folder, e.g. `controls.yaml` */
  file: string;
  /** 1-based line, or null when the whole file is at fault */
  line: number | null;
  /** dotted field path, e.g. `controls[2].chapter`, or `yaml` for a syntax error */
  field: string;
  message: string;
}

export class PolicyFilesInvalidError extends Error {
  constructor(readonly errors: PolicyFileError[]) {
    super(`policies/ has ${errors.length} error(s):\n` + errors.map(formatPolicyFileError).join('\n'));
    this.name = 'PolicyFilesInvalidError';
  }
}

export function formatPolicyFileError(error: PolicyFileError): string {
  return `${error.file}:${error.line ?? 1}: ${error.field}: ${error.message}`;
}

// ---------------------------------------------------------------- schemas (class-validator)

/** Front matter of `basic-policy.md`, `standards.md`. */
export class PolicyFrontMatter {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'id must be lower-case letters, digits and dashes' })
  id!: string;

  @IsIn(POLICY_KINDS)
  kind!: string;

  @IsString()
  @Length(1, 200)
  title!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  titleEn?: string;

  @IsIn(ROLES)
  owner!: string;

  @IsInt()
  @Min(1)
  @Max(120)
  reviewIntervalMonths!: number;

  @IsIn(CLASSIFICATIONS)
  classification!: string;
}

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

export interface PolicyFileContent {
  file: string;
  frontMatter: PolicyFrontMatter;
  /** the front matter as written (plain data), stored with the version */
  frontMatterData: Record<string, unknown>;
  body: string;
  contentHash: string;
}

export interface ControlContent {
  code: string;
  chapter: number;
  title: string;
  titleEn: string | null;
  description: string;
  descriptionEn: string | null;
  ownerRole: string;
  frequency: string;
  essential: boolean;
  verified: boolean;
  mappings: ControlMappings;
  contentHash: string;
}

export interface PolicyFiles {
  policies: PolicyFileContent[];
  controls: ControlContent[];
  frameworks: Record<Framework, Set<string>>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function policyContentHash(frontMatter: Record<string, unknown>, body: string): string {
  return sha256(canonicalJson({ frontMatter, body }));
}

export function controlContentHash(control: Omit<ControlContent, 'contentHash'>): string {
  return sha256(canonicalJson(control));
}

// ---------------------------------------------------------------- line lookup

/** A YAML text and where it starts in its file (front matter starts after the `---` line). */
interface Source {
  file: string;
  text: string;
  lines: string[];
  /** number of file lines before the text */
  offset: number;
}

function source(file: string, text: string, offset = 0): Source {
  return { file, text, lines: text.split(/\r?\n/), offset };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** index (0-based) of the first line in [from, to) whose key is `key`, or -1 */
function findKey(lines: string[], key: string, from = 0, to = lines.length): number {
  const re = new RegExp(`^\\s*(?:-\\s+)?["']?${escapeRegExp(key)}["']?\\s*:`);
  for (let i = from; i < to; i++) if (re.test(lines[i]!)) return i;
  return -1;
}

/** [start, end) line range of the n-th item of the top-level sequence under `listKey` */
function itemRange(lines: string[], listKey: string, index: number, id?: unknown): [number, number] | null {
  const listLine = findKey(lines, listKey);
  if (listLine < 0) return null;
  const starts: number[] = [];
  let indent: number | null = null;
  for (let i = listLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S/.test(line) && !line.startsWith('#')) break; // next top-level key
    const m = /^(\s*)-\s/.exec(line);
    if (!m) continue;
    indent ??= m[1]!.length;
    if (m[1]!.length === indent) starts.push(i);
  }
  let n = index;
  if (typeof id === 'string' || typeof id === 'number') {
    const re = new RegExp(`^\\s*-\\s+id:\\s*["']?${escapeRegExp(String(id))}["']?\\s*(#.*)?$`);
    const found = starts.findIndex((s) => re.test(lines[s]!));
    if (found >= 0) n = found;
  }
  const start = starts[n];
  if (start === undefined) return null;
  return [start, starts[n + 1] ?? lines.length];
}

/** 1-based file line of `path` (e.g. ['controls', 3, 'mappings', 'iso27001']) in the source */
function lineOf(src: Source, path: (string | number)[], data: unknown): number | null {
  let from = 0;
  let to = src.lines.length;
  let at = -1;
  let node: unknown = data;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (typeof part === 'number') {
      const listKey = path[i - 1];
      const item = Array.isArray(node) ? (node[part] as Record<string, unknown> | undefined) : undefined;
      if (typeof listKey === 'string') {
        const range = itemRange(src.lines.slice(0, to), listKey, part, item?.id);
        if (range && range[0] >= from) {
          [from, to] = range;
          at = from;
        }
      }
      node = item;
    } else {
      const found = findKey(src.lines, part, from, to);
      if (found >= 0) {
        at = found;
        from = found;
      }
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }
  }
  return at >= 0 ? at + 1 + src.offset : null;
}

function parseYaml(src: Source, errors: PolicyFileError[]): unknown {
  try {
    return loadYaml(src.text);
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    errors.push({ file: src.file, line: mark?.line !== undefined ? mark.line + 1 + src.offset : null, field: 'yaml', message: reason });
    return undefined;
  }
}

/** class-validator errors → file errors, with paths like `controls[2].mappings.iso27001` */
function validationErrors(src: Source, errors: ValidationError[], data: unknown, prefix: (string | number)[] = []): PolicyFileError[] {
  const out: PolicyFileError[] = [];
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? Number(error.property) : error.property;
    const path = [...prefix, key];
    if (error.constraints) {
      const field = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
      for (const message of Object.values(error.constraints)) {
        out.push({ file: src.file, line: lineOf(src, path, data), field, message });
      }
    }
    if (error.children?.length) out.push(...validationErrors(src, error.children, data, path));
  }
  return out;
}

/** Validates `data` as `cls`, adding errors; returns the instance (even when invalid) and whether it was valid. */
function check<T extends object>(src: Source, cls: new () => T, data: unknown, errors: PolicyFileError[]): { instance: T | null; valid: boolean } {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    errors.push({ file: src.file, line: 1 + src.offset, field: '(root)', message: 'must be a mapping' });
    return { instance: null, valid: false };
  }
  const instance = plainToInstance(cls, data);
  const found = validateSync(instance, { forbidNonWhitelisted: true, whitelist: true, forbidUnknownValues: false });
  errors.push(...validationErrors(src, found, data));
  return { instance, valid: found.length === 0 };
}

function validateAs<T extends object>(src: Source, cls: new () => T, data: unknown, errors: PolicyFileError[]): T | null {
  const { instance, valid } = check(src, cls, data, errors);
  return valid ? instance : null;
}

// ---------------------------------------------------------------- loading

function readMarkdown(root: string, name: string, errors: PolicyFileError[]): PolicyFileContent | null {
  const text = readFileSync(join(root, name), 'utf8').replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!match) {
    errors.push({ file: name, line: 1, field: 'front matter', message: 'the file must start with YAML front matter between --- lines' });
    return null;
  }
  const src = source(name, match[1]!, 1);
  const data = parseYaml(src, errors);
  if (data === undefined) return null;
  const frontMatter = validateAs(src, PolicyFrontMatter, data, errors);
  if (!frontMatter) return null;
  const frontMatterData = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  const body = text.slice(match[0].length);
  return { file: name, frontMatter, frontMatterData, body, contentHash: policyContentHash(frontMatterData, body) };
}

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
 * Reads and validates the whole `policies/` folder. Throws {@link PolicyFilesInvalidError} with
 * every mistake found (file, line, field) when anything is wrong; nothing partial is returned.
 */
export function loadPolicyFiles(root: string): PolicyFiles {
  const errors: PolicyFileError[] = [];
  if (!existsSync(root)) throw new PolicyFilesInvalidError([{ file: root, line: null, field: '(folder)', message: 'the policies folder does not exist' }]);
  const policies: PolicyFileContent[] = [];
  for (const name of readdirSync(root)
    .filter((f) => f.endsWith('.md') && basename(f).toLowerCase() !== 'readme.md')
    .sort()) {
    const policy = readMarkdown(root, name, errors);
    if (policy) policies.push(policy);
  }
  const keys = new Map<string, string>();
  for (const p of policies) {
    const other = keys.get(p.frontMatter.id);
    if (other) errors.push({ file: p.file, line: 2, field: 'id', message: `id "${p.frontMatter.id}" is also used by ${other}` });
    keys.set(p.frontMatter.id, p.file);
  }
  const frameworks = readFrameworks(root, errors);
  const controls = readControls(root, frameworks, errors);
  if (errors.length) throw new PolicyFilesInvalidError(errors.map((e) => ({ ...e, file: e.file.startsWith('/') ? relative(root, e.file) || e.file : e.file })));
  return { policies, controls, frameworks };
}
