import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import type { Actor } from '../common/actor.js';
import { systemActor } from '../common/actor.js';
import type { CliCommand } from '../common/features/feature.js';
import type { Role } from '../common/roles.js';
import { projectRoot } from '../database/project-root.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { formatPolicyFileError, parseYaml, PolicyFilesInvalidError, source, type PolicyFileError, type Source } from '../policies/policy-files.js';
import { ESCALATION_KEY, ESCALATION_LIMITS, ESCALATION_ROLES, normalizedLevel, WEBHOOK_URL_OPTIONS } from './escalation-policies.dto.js';
import { EscalationPoliciesService, escalationPolicyProblems, type EscalationPolicyData, type EscalationPolicyWrite } from './escalation-policies.service.js';
import { ESCALATION_CHANNELS, ESCALATION_TRIGGERS, EscalationPolicy, type EscalationChannel, type EscalationTrigger } from './escalation-policy.entity.js';

/** The file, relative to the policies folder. */
export const ESCALATION_FILE = 'escalation.yaml';

// ---------------------------------------------------------------- the file's shape (class-validator)

class RecipientsFile {
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ESCALATION_ROLES, { each: true })
  roles?: Role[];

  /** people by e-mail address; the sync resolves them to staff ids */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ESCALATION_LIMITS.staffPerLevel)
  @IsEmail({}, { each: true })
  staffEmails?: string[];

  @IsOptional()
  @IsBoolean()
  reporterManager?: boolean;
}

class LevelFile {
  @ValidateNested()
  @Type(() => RecipientsFile)
  recipients!: RecipientsFile;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ESCALATION_CHANNELS, { each: true })
  channels!: EscalationChannel[];

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(ESCALATION_LIMITS.timeoutMinutes.max)
  timeoutMinutes!: number;

  @IsInt()
  @Min(ESCALATION_LIMITS.repeat.min)
  @Max(ESCALATION_LIMITS.repeat.max)
  repeat!: number;
}

class PolicyFile {
  @IsString()
  @Matches(ESCALATION_KEY, { message: 'key must be lower-case letters, digits, - and _ (up to 60)' })
  key!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameEn?: string;

  @IsArray()
  @ArrayUnique()
  @IsIn(ESCALATION_TRIGGERS, { each: true })
  triggers!: EscalationTrigger[];

  @IsOptional()
  @IsString()
  @MaxLength(ESCALATION_LIMITS.webhookUrlLength)
  @IsUrl(WEBHOOK_URL_OPTIONS, { message: 'webhookUrl must be an http or https address' })
  webhookUrl?: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsArray()
  @ArrayMinSize(ESCALATION_LIMITS.levels.min)
  @ArrayMaxSize(ESCALATION_LIMITS.levels.max)
  @ValidateNested({ each: true })
  @Type(() => LevelFile)
  levels!: LevelFile[];
}

class EscalationFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PolicyFile)
  policies!: PolicyFile[];
}

// ---------------------------------------------------------------- lines

type Path = (string | number)[];

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const indentOf = (line: string): number => /^\s*/.exec(line)![0].length;
const blank = (line: string): boolean => /^\s*(#.*)?$/.test(line);

/**
 * The 1-based line of a path (`['policies', 2, 'levels', 1, 'timeoutMinutes']`) in a block-style
 * YAML text: each key is looked for inside the block of the one before it, each index among the
 * items of the list there. A key written inline (`recipients: { roles: [csirt] }`) gives the line of
 * the nearest key found.
 */
export function lineOfPath(src: Source, path: Path): number | null {
  const lines = src.lines;
  let from = 0;
  let to = lines.length;
  let at = -1;
  for (const part of path) {
    if (typeof part === 'number') {
      const items: number[] = [];
      let indent: number | null = null;
      for (let i = at + 1; i < to; i++) {
        const m = /^(\s*)-(\s|$)/.exec(lines[i]!);
        if (!m) continue;
        indent ??= m[1]!.length;
        if (m[1]!.length === indent) items.push(i);
      }
      const start = items[part];
      if (start === undefined) break;
      [from, to, at] = [start, items[part + 1] ?? to, start];
    } else {
      const re = new RegExp(`^(\\s*(?:-\\s+)?)["']?${escapeRegExp(part)}["']?\\s*:`);
      let found = -1;
      let column = 0;
      for (let i = from; i < to; i++) {
        const m = re.exec(lines[i]!);
        if (m) {
          found = i;
          column = m[1]!.length;
          break;
        }
      }
      if (found < 0) break;
      let end = found + 1;
      while (end < to && (blank(lines[end]!) || indentOf(lines[end]!) > column)) end++;
      [from, to, at] = [found, end, found];
    }
  }
  return at >= 0 ? at + 1 + src.offset : null;
}

/** `policies[2].levels[1].timeoutMinutes` */
const fieldOf = (path: Path): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function validationErrors(src: Source, errors: ValidationError[], prefix: Path = []): PolicyFileError[] {
  return errors.flatMap((error) => {
    const path: Path = [...prefix, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const own = Object.values(error.constraints ?? {}).map((message) => ({ file: src.file, line: lineOfPath(src, path), field: fieldOf(path), message }));
    return [...own, ...validationErrors(src, error.children ?? [], path)];
  });
}

/** An API field (`levels.0.recipients`) of the i-th policy, as a path of the file. */
const filePath = (index: number, field: string): Path => ['policies', index, ...field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))];

// ---------------------------------------------------------------- reading

/** A policy of the file, checked, with its people still named by e-mail address. */
export interface EscalationFileEntry {
  index: number;
  policy: Omit<EscalationPolicyData, 'levels'> & { levels: (ReturnType<typeof normalizedLevel> & { staffEmails: string[] })[] };
}

/**
 * Reads and checks `escalation.yaml` of the policies folder: its shape, each policy's levels (a
 * recipient each, a webhook address for a webhook level), keys used once and each trigger taken by
 * one active policy. Every mistake is added to `errors` with its line.
 */
export function readEscalationFile(root: string, errors: PolicyFileError[]): { src: Source; entries: EscalationFileEntry[] } | null {
  const path = join(root, ESCALATION_FILE);
  if (!existsSync(path)) {
    errors.push({ file: ESCALATION_FILE, line: null, field: '(file)', message: `${ESCALATION_FILE} is missing` });
    return null;
  }
  const src = source(ESCALATION_FILE, readFileSync(path, 'utf8'));
  const data = parseYaml(src, errors);
  if (data === undefined) return null;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    errors.push({ file: ESCALATION_FILE, line: 1, field: '(root)', message: 'must be a mapping with a list of policies' });
    return null;
  }
  const file = plainToInstance(EscalationFile, data);
  const found = validationErrors(src, validateSync(file, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false }));
  errors.push(...found);
  if (found.length) return null;
  const entries: EscalationFileEntry[] = file.policies.map((p, index) => ({
    index,
    policy: {
      key: p.key,
      name: p.name,
      nameEn: p.nameEn ?? null,
      triggers: p.triggers,
      webhookUrl: p.webhookUrl ?? null,
      active: p.active ?? true,
      levels: p.levels.map((level) => ({
        ...normalizedLevel({ ...level, recipients: { roles: level.recipients.roles, reporterManager: level.recipients.reporterManager } }),
        staffEmails: (level.recipients.staffEmails ?? []).map((email) => email.toLowerCase()),
      })),
    },
  }));
  const at = (index: number, field: string): PolicyFileError['line'] => lineOfPath(src, filePath(index, field));
  const keys = new Map<string, number>();
  const triggers = new Map<string, number>();
  for (const { index, policy } of entries) {
    const other = keys.get(policy.key);
    if (other !== undefined)
      errors.push({
        file: src.file,
        line: at(index, 'key'),
        field: fieldOf(filePath(index, 'key')),
        message: `key "${policy.key}" is also used by policies[${other}]`,
      });
    keys.set(policy.key, index);
    if (policy.active) {
      for (const trigger of policy.triggers) {
        const taken = triggers.get(trigger);
        if (taken !== undefined)
          errors.push({
            file: src.file,
            line: at(index, 'triggers'),
            field: fieldOf(filePath(index, 'triggers')),
            message: `${trigger} is also a trigger of policies[${taken}]`,
          });
        triggers.set(trigger, index);
      }
    }
    // a level naming people by address has recipients even before they are resolved
    const levels = policy.levels.map((level) => ({ ...level, recipients: { ...level.recipients, staffIds: level.staffEmails } }));
    for (const problem of escalationPolicyProblems({ levels, webhookUrl: policy.webhookUrl })) {
      for (const message of problem.messages)
        errors.push({ file: src.file, line: at(index, problem.field), field: fieldOf(filePath(index, problem.field)), message });
    }
  }
  return { src, entries };
}

// ---------------------------------------------------------------- the sync

export interface EscalationSyncResult {
  dryRun: boolean;
  file: string;
  policies: Record<EscalationPolicyWrite, number>;
  /** policies of the organisation the file does not name (made in the app): left as they are */
  notInFile: string[];
}

class DryRunRollback extends Error {
  constructor(readonly result: EscalationSyncResult) {
    super('dry run');
  }
}

/**
 * Loads `policies/escalation.yaml` into the organisation: each policy upserted by its key (a change
 * of its levels, triggers, webhook or activity is a new revision), people named by e-mail resolved to
 * staff, every write audited. All or nothing: any mistake, in the file or against the database (an
 * address that is not active staff, a trigger held by an active policy the file does not name), is
 * reported as `file:line: field: message` and nothing is written. A second run changes nothing.
 */
@Injectable()
export class EscalationPoliciesSync {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly policies: EscalationPoliciesService,
  ) {}

  static defaultRoot(): string {
    return join(projectRoot(), 'policies');
  }

  async sync(actor: Actor, options: { dryRun?: boolean; root?: string } = {}): Promise<EscalationSyncResult> {
    const errors: PolicyFileError[] = [];
    const read = readEscalationFile(options.root ?? EscalationPoliciesSync.defaultRoot(), errors);
    if (!read || errors.length) throw new PolicyFilesInvalidError(errors);
    const dryRun = options.dryRun ?? false;
    try {
      return await this.uow.run(actor, async (tx) => {
        await this.policies.lock(tx);
        const result: EscalationSyncResult = { dryRun, file: ESCALATION_FILE, policies: { created: 0, revised: 0, renamed: 0, unchanged: 0 }, notInFile: [] };
        const resolved = await this.resolve(tx, read.src, read.entries, errors);
        if (errors.length) throw new PolicyFilesInvalidError(errors);
        const repo = tx.manager.getRepository(EscalationPolicy);
        for (const data of resolved) {
          const existing = await repo.findOne({ where: { organizationId: tx.actor.organizationId, key: data.key }, lock: { mode: 'pessimistic_write' } });
          const { outcome } = await this.policies.write(tx, existing, data, { checkStaff: false, checkTriggers: false, context: { file: ESCALATION_FILE } });
          result.policies[outcome]++;
        }
        const named = new Set(resolved.map((policy) => policy.key));
        result.notInFile = (await repo.find({ where: { organizationId: tx.actor.organizationId }, order: { key: 'ASC' } }))
          .map((policy) => policy.key)
          .filter((key) => !named.has(key));
        if (dryRun) throw new DryRunRollback(result);
        return result;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result;
      throw error;
    }
  }

  /** The file's policies with people as staff ids; what the database refuses is added to `errors`. */
  private async resolve(tx: Transaction, src: Source, entries: EscalationFileEntry[], errors: PolicyFileError[]): Promise<EscalationPolicyData[]> {
    const org = tx.actor.organizationId;
    const emails = [...new Set(entries.flatMap((entry) => entry.policy.levels.flatMap((level) => level.staffEmails)))];
    const rows = emails.length
      ? ((await tx.manager.query(
          `SELECT id, lower(email) AS email FROM staff WHERE organization_id = $1 AND lower(email) = ANY($2::text[]) AND status = 'active'`,
          [org, emails],
        )) as { id: string; email: string }[])
      : [];
    const idOf = new Map(rows.map((row) => [row.email, row.id]));
    const keys = entries.map((entry) => entry.policy.key);
    // the policies the file names are replaced by its versions: only the others may hold a trigger the file claims
    const named = (
      (await tx.manager.query(`SELECT id FROM escalation_policies WHERE organization_id = $1 AND key = ANY($2::text[])`, [org, keys])) as { id: string }[]
    ).map((row) => row.id);
    const resolved: EscalationPolicyData[] = [];
    for (const { index, policy } of entries) {
      const levels = policy.levels.map((level, i) => {
        const unknown = level.staffEmails.filter((email) => !idOf.has(email));
        if (unknown.length) {
          const field = `levels.${i}.recipients.staffEmails`;
          errors.push({
            file: src.file,
            line: lineOfPath(src, filePath(index, field)),
            field: fieldOf(filePath(index, field)),
            message: `not active members of staff: ${unknown.join(', ')}`,
          });
        }
        const { staffEmails, ...rest } = level;
        return { ...rest, recipients: { ...rest.recipients, staffIds: staffEmails.flatMap((email) => idOf.get(email) ?? []) } };
      });
      if (policy.active) {
        const clash = await this.policies.triggerTaken(tx, policy.triggers, named);
        if (clash) {
          errors.push({
            file: src.file,
            line: lineOfPath(src, filePath(index, 'triggers')),
            field: fieldOf(filePath(index, 'triggers')),
            message: `${clash.trigger} is taken by the active policy "${clash.key}" (made in the app); deactivate it or name it in the file`,
          });
        }
      }
      resolved.push({ ...policy, levels });
    }
    return resolved;
  }
}

/**
 * `escalation:sync [--dry-run] [--root DIR]`: loads DIR/escalation.yaml (default `policies/`) for the
 * first organisation and prints the counts as JSON. Exit 1 with `file:line: field: message` lines
 * on stderr when the file is refused (nothing is written then).
 */
export async function runEscalationSync(app: INestApplicationContext, args: string[]): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? args[rootAt + 1] : undefined;
  const unknown = args.filter((a, i) => a !== '--dry-run' && a !== '--root' && !(rootAt >= 0 && i === rootAt + 1));
  if ((rootAt >= 0 && !root) || unknown.length) {
    process.stderr.write(
      `escalation:sync: ${unknown.length ? `unknown argument(s): ${unknown.join(' ')}` : '--root needs a folder'}\nusage: ${ESCALATION_SYNC_COMMAND.usage}\n`,
    );
    return 2;
  }
  const organization = await app.get(OrganizationsService, { strict: false }).home();
  if (!organization) {
    process.stderr.write('escalation:sync: there is no organisation yet; create one first (e.g. the bootstrap or seed:demo command)\n');
    return 1;
  }
  try {
    const result = await app.get(EscalationPoliciesSync, { strict: false }).sync(systemActor(organization.id, 'cli'), { dryRun, root });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PolicyFilesInvalidError) {
      for (const e of error.errors) process.stderr.write(`${formatPolicyFileError(e)}\n`);
      process.stderr.write(`escalation:sync: ${error.errors.length} error(s); nothing was written\n`);
      return 1;
    }
    throw error;
  }
}

/** `npm run cli -- escalation:sync`, declared by the incidents feature. */
export const ESCALATION_SYNC_COMMAND: CliCommand = {
  name: 'escalation:sync',
  usage: 'escalation:sync [--dry-run] [--root DIR]',
  description: 'load policies/escalation.yaml (the escalation policies) by key; a changed policy gets a new revision',
  run: runEscalationSync,
};
