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

  @ApiProperty({
    type: String,
    nullable: true,
    example: '山田 花子',
    description: "the actor's name (family and given name); null for the system, or a person the organisation no longer has",
  })
  actorName!: string | null;

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

  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: 64,
    description:
      'the client address exactly as stored before addresses were kept as inet, on the rows where that text differs from clientAddress ' +
      '(not an address, e.g. a forged X-Forwarded-For value, or another spelling of one); null on every other row. The hash covers it in place of clientAddress',
  })
  clientAddressLegacy!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: Date;

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[0-9a-f]{16}$',
    description: 'public id of the key that sealed the row (null on rows written before keys had ids)',
  })
  keyId!: string | null;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'hash of the previous row of the organisation (64 zeros for the first)' })
  previousHash!: string;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "this row's hash (HMAC-SHA-256 over its columns and previousHash)" })
  hash!: string;
}

export const CHAIN_BREAK_REASONS = [
  'hash_mismatch',
  'broken_link',
  'missing_after_checkpoint',
  'checkpoint_forged',
  'unknown_key',
  'key_out_of_order',
] as const;

export class ChainBreakView {
  @ApiProperty({ type: String, pattern: '^[0-9]+$', description: "the row's seq (the checkpoint's, for a missing row or a checkpoint)" })
  seq!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "the row's id; null when the row is missing or the break is a checkpoint's" })
  id!: string | null;

  @ApiProperty({
    enum: CHAIN_BREAK_REASONS,
    description:
      'hash_mismatch: a row was changed (or differs from its checkpoint); broken_link: a row was removed or inserted; missing_after_checkpoint: ' +
      'the chain no longer holds a row a checkpoint names (its end was cut off); checkpoint_forged: a checkpoint Mamori did not sign; ' +
      'unknown_key: sealed with a key SECRET_KEY and PREVIOUS_SECRET_KEYS do not hold; key_out_of_order: a row or checkpoint names an older key ' +
      'than one before it (keys only get newer along the chain), or a row names no key after rows that do',
  })
  reason!: (typeof CHAIN_BREAK_REASONS)[number];

  @ApiProperty()
  detail!: string;

  @ApiProperty({ required: false, format: 'uuid', description: 'the checkpoint concerned' })
  checkpointId?: string;

  @ApiProperty({
    required: false,
    pattern: '^[0-9a-f]{16}$',
    description: 'the key id the ring does not hold (unknown_key), or the older key named (key_out_of_order)',
  })
  keyId?: string;
}

export class CheckpointRefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, pattern: '^[0-9]+$', description: 'seq of the chain head it anchors' })
  seq!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'when it was written' })
  at!: Date;
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

  @ApiProperty({ type: 'integer', description: 'signed checkpoints of the chain head compared with the chain' })
  checkpoints!: number;

  @ApiProperty({
    type: CheckpointRefView,
    nullable: true,
    description: 'the latest genuine checkpoint: rows up to it are anchored (removing them is found); rows after it are not yet',
  })
  lastCheckpoint!: CheckpointRefView | null;
}
