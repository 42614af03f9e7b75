import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { FINDING_SEVERITIES, type FindingSeverity } from '../../findings/finding.entity.js';
import { blankToUndefined } from '../web-query.dto.js';

/** A text kept as typed (line ends included), trimmed only to decide whether it is empty. */
const textOrUndefined = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? undefined : value);
/** Checkboxes and repeated fields: absent when none is sent, a string for one, a list for several. */
const asList = ({ value }: { value: unknown }) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The same, without the blank choices (a walk-in select left at 「選んでください」). */
const nonBlankList = ({ value }: { value: unknown }) => (asList({ value }) as unknown[]).filter((v) => v !== '');

/** The most rows of injects and problems the paper form sends. */
export const PAPER_EVENT_ROWS = 5;

/** The selects for people present without an invitation. */
export const PAPER_WALK_IN_ROWS = 3;

/** 教訓を保存: the lessons of a finished drill (blank clears them). */
export class DrillLessonsForm {
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  lessons?: string;
}

/** 指摘事項を登録: a finding raised from the drill's record. */
export class DrillFindingForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 300)
  title!: string;

  @IsOptional()
  @Transform(textOrUndefined)
  @IsString()
  @MaxLength(10000)
  description?: string;

  @IsIn(FINDING_SEVERITIES)
  severity!: FindingSeverity;

  @Transform(blankToUndefined)
  @IsUUID('all')
  ownerDepartmentId!: string;

  /** empty: by severity */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  dueDate?: string;
}

/**
 * The paper sheet entered afterwards, as a browser sends it (urlencoded, flat): the date and the
 * start and finish times; the people present (checkboxes, and selects for those not invited); per step, in the playbook's order, its
 * position, time (`HH:MM`, blank: not done) and note; per row of injects and problems its kind, time
 * and text (blank rows are left out); the lessons. The page service checks the times.
 */
export class DrillPaperForm {
  @IsOptional()
  @IsString()
  @MaxLength(20)
  date?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  startTime?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  endTime?: string;

  /** the invitees ticked, and the people present without an invitation chosen in the walk-in selects (blank ones left out) */
  @Transform(nonBlankList)
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  present: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(5, { each: true })
  stepPosition: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  stepTime: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  stepNote: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(PAPER_EVENT_ROWS)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  eventKind: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(PAPER_EVENT_ROWS)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  eventTime: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(PAPER_EVENT_ROWS)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  eventText: string[] = [];

  @IsOptional()
  @IsString()
  @MaxLength(20000)
  lessons?: string;
}

/** A whole number typed in a form (full-width digits too): blank → absent, digits → the number, anything else kept to be refused. */
const wholeNumberOrUndefined = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const text = value.trim().replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
  if (text === '') return undefined;
  return /^\d{1,9}$/.test(text) ? Number(text) : text;
};

/** The longest target a proposal may set (90 days, as the playbook files). */
export const PROPOSAL_MAX_TARGET_MINUTES = 60 * 24 * 90;

/**
 * 手順の変更を提案: one step of the drill's playbook, a new target (minutes from the start) and/or a
 * new wording, and why (what the drill showed). The service refuses neither, and a target out of order.
 */
export class DrillProposalForm {
  /** the step's position in the scenario's newest playbook */
  @Transform(wholeNumberOrUndefined)
  @IsInt()
  @Min(1)
  @Max(100)
  position!: number;

  @IsOptional()
  @Transform(wholeNumberOrUndefined)
  @IsInt()
  @Min(0)
  @Max(PROPOSAL_MAX_TARGET_MINUTES)
  targetMinutes?: number;

  /** blank: the wording unchanged */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 300)
  action?: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
