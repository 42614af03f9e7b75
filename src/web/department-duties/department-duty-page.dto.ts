import { Transform } from 'class-transformer';
import { IsOptional, IsUUID } from 'class-validator';
import { blankToUndefined } from '../web-query.dto.js';

/** 催促する: one person (their row's button), or everyone of the department who owes something (no staffId). */
export class RemindForm {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  staffId?: string;
}
