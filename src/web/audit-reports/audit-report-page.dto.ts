import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { AUDIT_KINDS, type AuditKind } from '../../audits/audit.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** A text kept as typed (line ends included), trimmed only to decide whether it is empty. */
const textOrUndefined = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? undefined : value);

export const ACCEPTANCE_DECISIONS = ['accept', 'return'] as const;
export type AcceptanceDecision = (typeof ACCEPTANCE_DECISIONS)[number];

/** The CISO's answer on the report page: accept (the audit closes) or return it with a note saying what to do. */
export class AcceptanceForm {
  @IsIn(ACCEPTANCE_DECISIONS)
  decision!: AcceptanceDecision;

  @IsOptional()
  @Transform(textOrUndefined)
  @IsString()
  @MaxLength(5000)
  note?: string;
}

/** The trend page's GET form: one kind, or every kind. */
export class TrendPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(AUDIT_KINDS)
  kind?: AuditKind;
}
