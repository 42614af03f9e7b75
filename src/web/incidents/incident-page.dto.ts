import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate, IsCalendarDateTime } from '../../common/validators.js';
import { RESPONSE_PHASES, TASK_STATUSES, type ResponsePhase, type TaskStatus } from '../../incidents/incident-task.entity.js';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  NETWORK_ZONES,
  REJECTION_REASONS,
  SEVERITIES,
  type IncidentCategory,
  type IncidentStatus,
  type NetworkZone,
  type RejectionReason,
  type Severity,
} from '../../incidents/incident.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** A number typed into a field: blank is none, full-width digits are read, anything else fails the integer check. */
const numberOrUndefined = ({ value }: { value: unknown }) =>
  typeof value !== 'string' ? value : value.trim() === '' ? undefined : Number(value.normalize('NFKC').replace(/[,，]/g, '').trim());
/** A text kept as typed (line ends included), trimmed only to decide whether it is empty. */
const textOrUndefined = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? undefined : value);

/** A `datetime-local` value (`2026-11-30T14:05`) as the moment it names in Asia/Tokyo. */
export function tokyoDateTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+09:00` : `${value}+09:00`;
}

/** Now in Asia/Tokyo as a `datetime-local` value, to the minute. */
export function tokyoNowLocal(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
}

/** The one-minute report form of /incidents/new (the files come as `attachments`). */
export class IncidentReportForm {
  /** made when the page was rendered: a double-clicked or resent form files one report */
  @IsUUID('all')
  formToken!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 200)
  title!: string;

  @Transform(textOrUndefined)
  @IsString()
  @Length(1, 10000)
  description!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDateTime()
  occurredAt?: string;

  @IsOptional()
  @IsIn(['true'])
  nearMiss?: 'true';

  @IsOptional()
  @IsIn(['true'])
  personalDataInvolved?: 'true';

  @IsOptional()
  @IsIn(['true'])
  myNumberInvolved?: 'true';

  @IsOptional()
  @Transform(numberOrUndefined)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  affectedPeople?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(200)
  system?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(NETWORK_ZONES)
  networkZone?: NetworkZone;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  departmentId?: string;
}

/** The board's GET filter form; empty fields mean "any". */
export class IncidentBoardQuery extends WebPageQuery {
  /** a state, or `open` for every state still being worked */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn([...INCIDENT_STATUSES, 'open'])
  status?: IncidentStatus | 'open';

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(SEVERITIES)
  severity?: Severity;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(INCIDENT_CATEGORIES)
  category?: IncidentCategory;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  department?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  from?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  to?: string;

  /** `only`: near misses only; `exclude`: incidents only */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['only', 'exclude'])
  nearMiss?: 'only' | 'exclude';

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 100)
  q?: string;

  /** `true`: every state still being worked (as `status=open`; the work queue links so) */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['true'])
  open?: 'true';

  /** `true`: open incidents nobody has acknowledged, near misses aside (what the work queue counts) */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['true'])
  unacknowledged?: 'true';
}

/** The transition form of the incident page: where to, why, and (going to 判定済み) the assessment. */
export class IncidentTransitionForm {
  @IsIn(INCIDENT_STATUSES)
  to!: IncidentStatus;

  @Transform(textOrUndefined)
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @IsOptional()
  @Transform(numberOrUndefined)
  @IsInt()
  @Min(1)
  version?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(SEVERITIES)
  severity?: Severity;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(INCIDENT_CATEGORIES)
  category?: IncidentCategory;

  @IsOptional()
  @IsIn(['true'])
  personalDataInvolved?: 'true';

  @IsOptional()
  @Transform(numberOrUndefined)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  affectedPeople?: number;

  @IsOptional()
  @IsIn(['true'])
  sensitive?: 'true';

  @IsOptional()
  @IsIn(['true'])
  myNumber?: 'true';

  @IsOptional()
  @IsIn(['true'])
  financialHarm?: 'true';

  @IsOptional()
  @IsIn(['true'])
  unlawfulPurpose?: 'true';

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  assigneeId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(REJECTION_REASONS)
  rejectionReason?: RejectionReason;

  /** the original's reference (INC-2026-0003), for a duplicate */
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^INC-\d{4}-\d{1,6}$/i)
  duplicateOf?: string;
}

/** 確認しました: the acknowledgement, with an optional note. */
export class IncidentAcknowledgeForm {
  @IsOptional()
  @Transform(textOrUndefined)
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** A task added by hand on the incident page. */
export class IncidentTaskForm {
  /** made when the page was rendered: a double-clicked or resent form saves once */
  @IsOptional()
  @IsUUID('all')
  formToken?: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 300)
  title!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(RESPONSE_PHASES)
  phase?: ResponsePhase;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  assigneeId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDateTime()
  dueAt?: string;
}

/** A task's buttons: done, skipped, or open again (with an optional note). */
export class IncidentTaskStatusForm {
  @IsIn(TASK_STATUSES)
  status!: TaskStatus;

  @IsOptional()
  @Transform(textOrUndefined)
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** A note, an action taken or a contact made, on the timeline. */
export class IncidentTimelineForm {
  /** made when the page was rendered: a double-clicked or resent form saves once */
  @IsOptional()
  @IsUUID('all')
  formToken?: string;

  @IsIn(['note', 'action', 'contact'])
  kind!: 'note' | 'action' | 'contact';

  @Transform(textOrUndefined)
  @IsString()
  @Length(1, 5000)
  text!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(200)
  contact?: string;
}
