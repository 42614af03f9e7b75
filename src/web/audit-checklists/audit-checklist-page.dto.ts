import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CHECKLIST_RESULTS, type ChecklistResult } from '../../audits/checklist-item.entity.js';
import { CHECKLIST_FILTERS, type ChecklistFilter } from '../../audits/dto/audit.dto.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** How many items a page of the checklist shows (the checklist can hold 100,000). */
export const CHECKLIST_PAGE_SIZE = 50;

const toChapter = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined);

/** The checklist's GET filter form; empty fields mean "any". */
export class ChecklistPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  departmentId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(CHECKLIST_FILTERS)
  result?: ChecklistFilter;

  @IsOptional()
  @Transform(toChapter)
  @IsInt()
  @Min(1)
  @Max(9)
  chapter?: number;
}

/** The filter a checklist page shows, read again from the address of the page a form was on. */
export interface ChecklistFilterState {
  departmentId?: string;
  result?: ChecklistFilter;
  chapter?: number;
  page: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filter of a checklist page's address (a refused form shows that page again); anything unknown is dropped. */
export function filterOfUrl(url: string | undefined): ChecklistFilterState {
  const params = new URL(url ?? '/', 'http://mamori.invalid').searchParams;
  const departmentId = params.get('departmentId') ?? '';
  const result = params.get('result') ?? '';
  const chapter = Number(params.get('chapter'));
  const page = Number(params.get('page'));
  return {
    ...(UUID.test(departmentId) ? { departmentId } : {}),
    ...((CHECKLIST_FILTERS as readonly string[]).includes(result) ? { result: result as ChecklistFilter } : {}),
    ...(Number.isInteger(chapter) && chapter >= 1 && chapter <= 9 ? { chapter } : {}),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/** One item's answer form (on the checklist and on the item's page). */
export class ChecklistAnswerForm {
  @IsIn(CHECKLIST_RESULTS)
  result!: ChecklistResult;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

/** The manager's sign-off of their department's self-inspection (課長確認). */
export class ChecklistSignOffForm {
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}
