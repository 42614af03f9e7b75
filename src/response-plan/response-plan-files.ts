import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { canonicalJson } from '../common/canonical-json.js';
import { ROLES } from '../common/roles.js';
import { INCIDENT_CATEGORIES } from '../incidents/incident.entity.js';
import { RESPONSE_PHASES } from '../incidents/incident-task.entity.js';
import { check, lineOf, parseYaml, source, validateAs, type PolicyFileError } from '../policies/policy-files.js';
import { CONTACT_KINDS, type ContactKind } from './response-contact.entity.js';

/** The folder of the plan, relative to `policies/`. */
export const RESPONSE_PLAN_FOLDER = 'response-plan';

// ---------------------------------------------------------------- the files' shapes (class-validator)

class StepReportFile {
  @IsString()
  @Length(1, 200)
  to!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  toEn?: string;

  @IsString()
  @Length(1, 1000)
  what!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  whatEn?: string;
}

class StepFile {
  @IsIn(RESPONSE_PHASES)
  phase!: string;

  @IsString()
  @Length(1, 300)
  action!: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  actionEn?: string;

  @IsIn(ROLES)
  role!: string;

  @IsInt()
  @Min(0)
  @Max(60 * 24 * 90)
  targetMinutes!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => StepReportFile)
  report?: StepReportFile;
}

export class ScenarioFile {
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'key must be lower-case letters, digits and -' })
  key!: string;

  @IsString()
  @Length(1, 200)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  titleEn?: string;

  @IsArray()
  @ArrayUnique()
  @IsIn(INCIDENT_CATEGORIES, { each: true })
  categories!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summaryEn?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => StepFile)
  steps!: StepFile[];
}

class ContactFile {
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'key must be lower-case letters, digits and -' })
  key!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameEn?: string;

  @IsIn(CONTACT_KINDS)
  kind!: ContactKind;

  @IsOptional()
  @Matches(/^[0-9+\-() ]{3,40}$/, { message: 'phone must be digits, spaces, + - ( )' })
  phone?: string;

  @IsOptional()
  @Matches(/^[0-9+\-() ]{3,40}$/, { message: 'outOfHoursPhone must be digits, spaces, + - ( )' })
  outOfHoursPhone?: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

class ContactsFile {
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ContactFile)
  contacts!: ContactFile[];
}

// ---------------------------------------------------------------- reading

/** A scenario as read from its file: the validated content and its hash. */
export interface ScenarioContent {
  file: string;
  scenario: ScenarioFile;
  contentHash: string;
}

/** plan.md: its front matter (as written) and its body (the text without the front matter). */
export interface PlanContent {
  file: string;
  frontMatter: Record<string, unknown>;
  body: string;
  /** months between reviews of the plan (front matter `reviewIntervalMonths`, default 12) */
  reviewIntervalMonths: number;
}

export interface ResponsePlanFiles {
  scenarios: ScenarioContent[];
  contacts: ContactFile[];
  /** plan.md, when the folder has one */
  plan: PlanContent | null;
}

/** Months between the plan's reviews when plan.md does not say. */
export const DEFAULT_PLAN_REVIEW_MONTHS = 12;

/** The fields of a playbook step the order rules look at. */
export interface StepOrderFacts {
  phase: string;
  targetMinutes: number;
}

/** A rule of the playbook's order broken at a step (index from 0). */
export interface PlaybookOrderProblem {
  index: number;
  field: 'phase' | 'targetMinutes' | 'steps';
  message: string;
}

/**
 * The rules of a playbook's order, the same for the files and for a playbook edited in the app:
 * its phases never go back and its target minutes never decrease; with `allPhases`, every one of
 * the six phases has a step (the app asks it of an edited playbook).
 */
export function playbookOrderProblems(steps: readonly StepOrderFacts[], options: { allPhases?: boolean } = {}): PlaybookOrderProblem[] {
  const problems: PlaybookOrderProblem[] = [];
  steps.forEach((step, i) => {
    const before = steps[i - 1];
    if (!before) return;
    if (RESPONSE_PHASES.indexOf(step.phase as never) < RESPONSE_PHASES.indexOf(before.phase as never))
      problems.push({ index: i, field: 'phase', message: `goes back from ${before.phase} to ${step.phase}` });
    if (typeof step.targetMinutes === 'number' && typeof before.targetMinutes === 'number' && step.targetMinutes < before.targetMinutes)
      problems.push({ index: i, field: 'targetMinutes', message: `${step.targetMinutes} is earlier than the step before (${before.targetMinutes})` });
  });
  if (options.allPhases) {
    const missing = RESPONSE_PHASES.filter((phase) => !steps.some((step) => step.phase === phase));
    if (missing.length) problems.push({ index: -1, field: 'steps', message: `every phase needs a step; missing: ${missing.join(', ')}` });
  }
  return problems;
}

/** Reads plan.md (front matter between --- lines, then the text); a missing file is no plan. */
export function readPlanFile(folder: string, errors: PolicyFileError[]): PlanContent | null {
  const path = join(folder, 'plan.md');
  if (!existsSync(path)) return null;
  const file = `${RESPONSE_PLAN_FOLDER}/plan.md`;
  const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!match) return { file, frontMatter: {}, body: text, reviewIntervalMonths: DEFAULT_PLAN_REVIEW_MONTHS };
  const src = source(file, match[1]!, 1);
  const data = parseYaml(src, errors);
  if (data === undefined) return null;
  const frontMatter = (data && typeof data === 'object' && !Array.isArray(data) ? JSON.parse(JSON.stringify(data)) : {}) as Record<string, unknown>;
  const months = frontMatter.reviewIntervalMonths ?? DEFAULT_PLAN_REVIEW_MONTHS;
  if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > 120) {
    errors.push({
      file,
      line: lineOf(src, ['reviewIntervalMonths'], data),
      field: 'reviewIntervalMonths',
      message: 'must be a whole number of months from 1 to 120',
    });
    return null;
  }
  return { file, frontMatter, body: text.slice(match[0].length), reviewIntervalMonths: months };
}

/**
 * Reads and validates `policies/response-plan/` (the scenarios and the contacts), adding every
 * mistake to `errors` as file:line: field: message (files relative to `policies/`). Beyond the
 * shapes: the file name is the key; a playbook's phases never go back and its target minutes never
 * decrease; an incident category belongs to one scenario only; keys are unique.
 */
export function readResponsePlanFiles(root: string, errors: PolicyFileError[]): ResponsePlanFiles {
  const folder = join(root, RESPONSE_PLAN_FOLDER);
  const result: ResponsePlanFiles = { scenarios: [], contacts: [], plan: null };
  if (!existsSync(folder)) return result;
  result.plan = readPlanFile(folder, errors);
  const scenarioFolder = join(folder, 'scenarios');
  const names = existsSync(scenarioFolder)
    ? readdirSync(scenarioFolder)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
    : [];
  const categoryOwner = new Map<string, string>();
  for (const name of names) {
    const file = `${RESPONSE_PLAN_FOLDER}/scenarios/${name}`;
    const src = source(file, readFileSync(join(scenarioFolder, name), 'utf8').replace(/\r\n/g, '\n'));
    const data = parseYaml(src, errors);
    if (data === undefined) continue;
    // the shape first; the order of the steps is checked too, so one run names every mistake
    const { instance: scenario, valid } = check(src, ScenarioFile, data, errors);
    if (!scenario || !Array.isArray(scenario.steps) || !Array.isArray(scenario.categories)) continue;
    const at = (path: (string | number)[]) => lineOf(src, path, data);
    if (scenario.key !== name.replace(/\.ya?ml$/, '')) errors.push({ file, line: at(['key']), field: 'key', message: `must be the file's name (${name})` });
    for (const problem of playbookOrderProblems(scenario.steps))
      errors.push({ file, line: at(['steps', problem.index, problem.field]), field: `steps[${problem.index}].${problem.field}`, message: problem.message });
    for (const category of scenario.categories) {
      const other = categoryOwner.get(category);
      if (other) errors.push({ file, line: at(['categories']), field: 'categories', message: `${category} is covered by ${other} too` });
      categoryOwner.set(category, file);
    }
    if (!valid) continue;
    const plain = JSON.parse(JSON.stringify(data)) as object;
    result.scenarios.push({ file, scenario, contentHash: createHash('sha256').update(canonicalJson(plain)).digest('hex') });
  }
  const contactsPath = join(folder, 'contacts.yaml');
  if (existsSync(contactsPath)) {
    const file = `${RESPONSE_PLAN_FOLDER}/contacts.yaml`;
    const src = source(file, readFileSync(contactsPath, 'utf8').replace(/\r\n/g, '\n'));
    const data = parseYaml(src, errors);
    const contacts = data === undefined ? null : validateAs(src, ContactsFile, data, errors);
    if (contacts) {
      const seen = new Set<string>();
      contacts.contacts.forEach((contact, i) => {
        if (seen.has(contact.key))
          errors.push({ file, line: lineOf(src, ['contacts', i, 'key'], data), field: `contacts[${i}].key`, message: `${contact.key} twice` });
        seen.add(contact.key);
      });
      result.contacts = contacts.contacts;
    }
  }
  return result;
}
