import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, validateSync, type ValidationError } from 'class-validator';
import { load as loadYaml } from 'js-yaml';
import { ROLES } from '../common/roles.js';
import { canonicalJson } from '../common/canonical-json.js';
import { sha256 } from '../common/secrets.js';
import { CLASSIFICATIONS, POLICY_KINDS } from './policy.entity.js';

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

// ---------------------------------------------------------------- loaded content

export interface PolicyFileContent {
  file: string;
  frontMatter: PolicyFrontMatter;
  /** the front matter as written (plain data), stored with the version */
  frontMatterData: Record<string, unknown>;
  body: string;
  contentHash: string;
}

export function policyContentHash(frontMatter: Record<string, unknown>, body: string): string {
  return sha256(canonicalJson({ frontMatter, body }));
}

// ---------------------------------------------------------------- line lookup

/** A YAML text and where it starts in its file (front matter starts after the `---` line). */
export interface Source {
  file: string;
  text: string;
  lines: string[];
  /** number of file lines before the text */
  offset: number;
}

export function source(file: string, text: string, offset = 0): Source {
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
export function lineOf(src: Source, path: (string | number)[], data: unknown): number | null {
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

export function parseYaml(src: Source, errors: PolicyFileError[]): unknown {
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
export function check<T extends object>(src: Source, cls: new () => T, data: unknown, errors: PolicyFileError[]): { instance: T | null; valid: boolean } {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    errors.push({ file: src.file, line: 1 + src.offset, field: '(root)', message: 'must be a mapping' });
    return { instance: null, valid: false };
  }
  const instance = plainToInstance(cls, data);
  const found = validateSync(instance, { forbidNonWhitelisted: true, whitelist: true, forbidUnknownValues: false });
  errors.push(...validationErrors(src, found, data));
  return { instance, valid: found.length === 0 };
}

export function validateAs<T extends object>(src: Source, cls: new () => T, data: unknown, errors: PolicyFileError[]): T | null {
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

/**
 * Reads and validates the policy texts of `policies/` (`*.md` but the README), adding every mistake
 * to `errors` (file, line, field). The other files of the folder belong to other features
 * (`PolicyFilesPart`).
 */
export function readPolicyTexts(root: string, errors: PolicyFileError[]): PolicyFileContent[] {
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
  return policies;
}

/** Paths of errors relative to the folder, as `file:line` shows them. */
export function relativeErrors(root: string, errors: PolicyFileError[]): PolicyFileError[] {
  return errors.map((e) => ({ ...e, file: e.file.startsWith('/') ? relative(root, e.file) || e.file : e.file }));
}
