import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../../common/roles.js';
import { IsCalendarDate } from '../../common/validators.js';
import { DRILL_KINDS, type DrillKind } from '../../response-plan/drill.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** Checkboxes: absent when none is ticked, a string for one, a list for several. */
const asList = ({ value }: { value: unknown }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);

/** The drill calendar's fiscal year (absent: the current one). */
export class DrillCalendarQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^\d{4}$/)
  fiscalYear?: string;
}

/** 訓練を予定する: the form of /drills/new (the day and the times of Tokyo; people invited by e-mail, one a line). */
export class DrillScheduleForm {
  @Transform(blankToUndefined)
  @IsUUID('all')
  scenarioId!: string;

  @Transform(blankToUndefined)
  @IsIn(DRILL_KINDS)
  kind!: DrillKind;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 200)
  title!: string;

  @Transform(blankToUndefined)
  @IsCalendarDate()
  date!: string;

  @Transform(blankToUndefined)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  startTime!: string;

  @Transform(blankToUndefined)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  endTime!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(200)
  location?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  onlineUrl?: string;

  @Transform(blankToUndefined)
  @IsUUID('all')
  facilitatorId!: string;

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  inviteRoles: Role[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  inviteDepartmentIds: string[] = [];

  /** people by e-mail address, one a line (or separated by commas or spaces) */
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  inviteEmails?: string;
}

/** 中止する: the reason is required. */
export class DrillCancelForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

/** 完了: a step done now, with a note. */
export class DrillStepForm {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** 出欠を保存: the people ticked are present. */
export class DrillAttendanceForm {
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  presentStaffIds: string[] = [];
}

/** 状況付与 or 課題. */
export class DrillEventForm {
  @IsIn(['inject', 'problem'])
  kind!: 'inject' | 'problem';

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 2000)
  text!: string;
}

/** 訓練を終了する, with the lessons. */
export class DrillFinishForm {
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  lessons?: string;
}
