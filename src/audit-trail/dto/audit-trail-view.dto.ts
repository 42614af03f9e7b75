import { ApiProperty } from '@nestjs/swagger';

/** One field's change, `{before?, after?}`, any JSON values; secrets show as "[redacted]" (only the fact that they changed is kept). */
const FIELD_CHANGE = {
  type: 'object',
  properties: {
    before: { description: 'the value before (absent on create); any JSON value' },
    after: { description: 'the value after (absent on delete); any JSON value' },
  },
} as const;

export interface FieldChangeView {
  before?: unknown;
  after?: unknown;
}

/** 操作ログ: one row of the append-only, hash-chained audit trail (the entity's columns). */
export class AuditTrailEntryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, pattern: '^[0-9]+$', example: '1042', description: 'position in the sequence (a 64-bit integer, as a string)' })
  seq!: string;

  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the staff member; null for the system' })
  actorId!: string | null;

  @ApiProperty({ example: 'hanako.yamada@town.example.jp', description: 'who, readable: an e-mail address or "system:cli"' })
  actorLabel!: string;

  @ApiProperty({ example: 'staff.update' })
  action!: string;

  @ApiProperty({ example: 'staff' })
  entityType!: string;

  @ApiProperty({ type: String, nullable: true })
  entityId!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: FIELD_CHANGE,
    description: 'field → {before, after}; extra facts (e.g. a reason) as `@context` → {after: {…}}',
  })
  changes!: Record<string, FieldChangeView>;

  @ApiProperty({ type: String, nullable: true, example: '192.0.2.10' })
  clientAddress!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: Date;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'hash of the previous row of the organisation (64 zeros for the first)' })
  previousHash!: string;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "this row's hash (HMAC-SHA-256 over its columns and previousHash)" })
  hash!: string;
}

export class ChainBreakView {
  @ApiProperty({ type: String, pattern: '^[0-9]+$' })
  seq!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['hash_mismatch', 'broken_link'] })
  reason!: 'hash_mismatch' | 'broken_link';

  @ApiProperty()
  detail!: string;
}

/** The result of recomputing the hash chain. */
export class AuditTrailVerificationView {
  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ description: 'true when every row checked is intact and linked' })
  ok!: boolean;

  @ApiProperty({ type: 'integer', description: 'rows checked' })
  checked!: number;

  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9]+$', description: 'seq of the last row checked' })
  lastSeq!: string | null;

  @ApiProperty({ type: ChainBreakView, nullable: true, description: 'the first broken link, or null' })
  firstBreak!: ChainBreakView | null;
}
