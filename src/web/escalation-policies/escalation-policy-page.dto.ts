import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** checkboxes and repeated fields: absent when none is sent, a string for one, a list for several */
const asList = ({ value }: { value: unknown }) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The most level rows a form sends (the policy's limit). */
export const LEVEL_ROWS_MAX = 10;

/**
 * The form of /escalation-policies/new and …/:id/edit, as a browser sends it (urlencoded, flat).
 * Each level is a row of fields sent in the same order (`timeoutMinutes`, `repeat`, `staffEmails`:
 * one value per row, blank rows too); its checkboxes carry the row: `roles=0:csirt`,
 * `channels=1:email`, `reporterManager=2`. The service checks what the rows say.
 */
export class EscalationPolicyForm {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  key?: string;

  @IsOptional()
  @IsString()
  @MaxLength(400)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(400)
  nameEn?: string;

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  triggers: string[] = [];

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  webhookUrl?: string;

  @IsOptional()
  @IsIn(['1'])
  active?: string;

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(LEVEL_ROWS_MAX * 10)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  roles: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(LEVEL_ROWS_MAX)
  @IsString({ each: true })
  @MaxLength(4, { each: true })
  reporterManager: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(LEVEL_ROWS_MAX)
  @IsString({ each: true })
  @MaxLength(5000, { each: true })
  staffEmails: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(LEVEL_ROWS_MAX * 3)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  channels: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(LEVEL_ROWS_MAX)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  timeoutMinutes: string[] = [];

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(LEVEL_ROWS_MAX)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  repeat: string[] = [];
}
