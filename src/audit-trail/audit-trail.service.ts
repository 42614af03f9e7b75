import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { AUDIT_TRAIL } from './audit-trail.permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuditTrailEntry } from './audit-trail-entry.entity.js';
import { AuditTrailCheckpoint } from './audit-trail-checkpoint.entity.js';
import { AuditTrailCheckpoints } from './audit-trail-checkpoints.service.js';
import { CSV_BOM, csvDateTime, csvLine } from './audit-trail-csv.js';
import { periodOf } from './audit-trail-period.js';
import { AuditTrailWords } from './audit-trail-words.service.js';
import { AuditTrailWriter, entryHash, GENESIS_HASH, type AuditKey } from './audit-trail.writer.js';
import type { AuditTrailExportQuery, AuditTrailFilterQuery, AuditTrailQuery } from './dto/audit-trail-query.dto.js';

export type ChainBreakReason = 'hash_mismatch' | 'broken_link' | 'missing_after_checkpoint' | 'checkpoint_forged' | 'unknown_key' | 'key_out_of_order';

export interface ChainBreak {
  seq: string;
  /** the row's id; null when the row is missing or the break is a checkpoint's */
  id: string | null;
  reason: ChainBreakReason;
  detail: string;
  /** the checkpoint concerned (missing_after_checkpoint, checkpoint_forged, hash_mismatch against a checkpoint) */
  checkpointId?: string;
  /** the key the ring does not hold (unknown_key), or the older key named after a newer one (key_out_of_order) */
  keyId?: string;
}

export interface VerifyResult {
  organizationId: string;
  ok: boolean;
  checked: number;
  lastSeq: string | null;
  firstBreak: ChainBreak | null;
  /** genuine checkpoints compared with the chain */
  checkpoints: number;
  /** the latest genuine checkpoint: the chain must reach it (rows after it are not anchored yet) */
  lastCheckpoint: { id: string; seq: string; at: Date } | null;
}

const VERIFY_BATCH = 2_000;
/** Rows read per query while exporting. */
const EXPORT_BATCH = 1_000;

/** The filters an export records in its audit row. */
const FILTERS = ['from', 'to', 'actorId', 'action', 'entityType', 'entityId'] as const;

/** The columns of the CSV export; their headers are the messages `auditTrail.csv.<column>`. */
export const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actor',
  'actorLabel',
  'action',
  'actionCode',
  'entityType',
  'record',
  'entityId',
  'clientAddress',
  'changes',
] as const;

/** A row of the trail with the name of who acted (null for the system, or a person the organisation no longer has). */
export type AuditTrailListItem = AuditTrailEntry & { actorName: string | null };

export interface AuditTrailExport {
  /** `audit-trail-2026-11-30.csv` */
  fileName: string;
  rows: number;
  stream: Readable;
}

/**
 * Newest first: by when it happened, then by seq (two rows of one moment in the order written). A row
 * is stamped when its change is made and chained at commit, so seq alone can put a long
 * transaction's row after a later one's.
 */
const newestFirst = (qb: SelectQueryBuilder<AuditTrailEntry>): SelectQueryBuilder<AuditTrailEntry> =>
  qb.orderBy('a.occurredAt', 'DESC').addOrderBy('a.seq', 'DESC');

/** `_` and `%` are plain characters of an action code, not LIKE wildcards. */
const likeEscaped = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The language a reader set for themselves (their staff record's), else Japanese. */
function localeOfReader(actor: Actor): Locale {
  const locale = (actor.person as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** Who acted, in words: their name, the system (「システム（cli）」), or the label recorded (an address nobody has). */
export function actorText(row: Pick<AuditTrailEntry, 'actorLabel'>, actorName: string | null, locale: Locale): string {
  if (actorName) return actorName;
  if (row.actorLabel.startsWith('system:')) return message(locale, 'auditTrail.system', { name: row.actorLabel.slice('system:'.length) });
  return row.actorLabel;
}

@Injectable()
export class AuditTrailService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly writer: AuditTrailWriter,
    private readonly checkpoints: AuditTrailCheckpoints,
    private readonly words: AuditTrailWords,
  ) {}

  /** A page of the trail, newest first, each row with the actor's name. Also one record's history: `{ entityType, entityId }`. */
  async list(actor: Actor, query: AuditTrailQuery): Promise<Page<AuditTrailListItem>> {
    assertMay(actor, AUDIT_TRAIL.read);
    const { skip, take } = skipTake(query);
    const [items, total] = await newestFirst(this.filtered(actor, query)).skip(skip).take(take).getManyAndCount();
    const names = await this.words.actorNames(
      actor.organizationId,
      items.map((item) => item.actorId),
    );
    return pageOf(
      items.map((item) => ({ ...item, actorName: (item.actorId && names.get(item.actorId)) || null })),
      total,
      query,
    );
  }

  /**
   * The people who appear in the organisation's trail as actors, by name (for the filter), read
   * from the index on (organization_id, actor_id) one person at a time rather than over every row.
   */
  async actors(actor: Actor): Promise<{ id: string; name: string }[]> {
    assertMay(actor, AUDIT_TRAIL.read);
    const rows = (await this.uow.manager.query(
      `WITH RECURSIVE actors(id) AS (
         (SELECT actor_id FROM audit_trail WHERE organization_id = $1 AND actor_id IS NOT NULL ORDER BY actor_id LIMIT 1)
         UNION ALL
         SELECT (SELECT a.actor_id FROM audit_trail a WHERE a.organization_id = $1 AND a.actor_id > actors.id ORDER BY a.actor_id LIMIT 1)
         FROM actors WHERE actors.id IS NOT NULL
       )
       SELECT id FROM actors WHERE id IS NOT NULL`,
      [actor.organizationId],
    )) as { id: string }[];
    const people = [
      ...(await this.words.people(
        actor.organizationId,
        rows.map((row) => row.id),
      )),
    ];
    // two people of the same name are told apart (by their e-mail address)
    const count = new Map<string, number>();
    for (const [, person] of people) count.set(person.name, (count.get(person.name) ?? 0) + 1);
    return people
      .map(([id, person]) => ({ id, name: count.get(person.name)! > 1 && person.detail ? `${person.name}（${person.detail}）` : person.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'ja') || (a.id < b.id ? -1 : 1));
  }

  /**
   * The rows the filters choose, as CSV (UTF-8 with a byte-order mark, headers and words in the
   * reader's language), newest first. The export is itself recorded (`audit_trail.export`, with the
   * filters and the number of rows) before the first byte is sent. The rows are those up to the head
   * of the chain when the export starts (the export's own row and later ones are not in it), read
   * from the index in batches of 1,000 and streamed: a huge period takes as long as it takes, in
   * constant memory, without holding a transaction open.
   */
  async exportCsv(actor: Actor, query: AuditTrailExportQuery): Promise<AuditTrailExport> {
    assertMay(actor, AUDIT_TRAIL.read);
    const locale = query.lang ?? localeOfReader(actor);
    const filtered = this.filtered(actor, query);
    const [{ head }] = (await this.uow.manager.query('SELECT max(seq)::text AS head FROM audit_trail WHERE organization_id = $1', [actor.organizationId])) as {
      head: string | null;
    }[];
    const rows = head ? await filtered.andWhere('a.seq <= :head', { head }).getCount() : 0;
    const filters = Object.fromEntries(FILTERS.flatMap((name) => (query[name] ? [[name, query[name]]] : [])));
    await this.uow.run(actor, async (tx) =>
      tx.audit({ action: 'audit_trail.export', entityType: 'audit_trail', context: { format: 'csv', locale, filters, rows, throughSeq: head } }),
    );
    return { fileName: `audit-trail-${tokyoToday()}.csv`, rows, stream: Readable.from(this.csvLines(actor, query, head, locale)) };
  }

  private async *csvLines(actor: Actor, query: AuditTrailFilterQuery, head: string | null, locale: Locale): AsyncGenerator<string> {
    yield CSV_BOM + csvLine(CSV_COLUMNS.map((column) => message(locale, `auditTrail.csv.${column}`)));
    if (!head) return;
    const vocabulary = this.words.vocabulary;
    let before: AuditTrailEntry | null = null;
    for (;;) {
      const qb = this.filtered(actor, query).andWhere('a.seq <= :head', { head });
      // the next batch: after the last row sent, in the order of the list (read from the index, from there on)
      if (before) qb.andWhere('(a.occurredAt, a.seq) < (:beforeAt, :beforeSeq)', { beforeAt: before.occurredAt, beforeSeq: before.seq });
      const batch = await newestFirst(qb).limit(EXPORT_BATCH).getMany();
      const facts = await this.words.describe(actor, batch);
      yield batch
        .map((row, i) => {
          const { actorName, record } = facts[i]!;
          return csvLine([
            row.seq,
            csvDateTime(row.occurredAt),
            actorText(row, actorName, locale),
            row.actorLabel,
            vocabulary.action(row.action, locale),
            row.action,
            vocabulary.entityType(row.entityType, locale),
            record ? (locale === 'en' && record.nameEn) || record.name : '',
            row.entityId,
            row.clientAddress ?? row.clientAddressLegacy,
            Object.keys(row.changes).length ? JSON.stringify(row.changes) : '',
          ]);
        })
        .join('');
      if (batch.length < EXPORT_BATCH) return;
      before = batch.at(-1)!;
    }
  }

  /** The rows of the actor's organisation the filters choose (the period checked: to not before from). */
  private filtered(actor: Actor, query: AuditTrailFilterQuery): SelectQueryBuilder<AuditTrailEntry> {
    const period = periodOf(query.from, query.to);
    const qb = this.uow.manager.getRepository(AuditTrailEntry).createQueryBuilder('a').where('a.organizationId = :org', { org: actor.organizationId });
    if (query.action?.endsWith('*')) qb.andWhere('a.action LIKE :prefix', { prefix: `${likeEscaped(query.action.slice(0, -1))}%` });
    else if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.entityType) qb.andWhere('a.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('a.entityId = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('a.actorId = :actorId', { actorId: query.actorId });
    if (period.start) qb.andWhere('a.occurredAt >= :start', { start: period.start });
    if (period.end) qb.andWhere('a.occurredAt < :end', { end: period.end });
    return qb;
  }

  /**
   * Recomputes every hash of an organisation's chain, each row under the key it names (rows without
   * a key id, which only the start of a chain may hold, under each key of the ring), checks every
   * checkpoint's signature and that the chain still holds the row each checkpoint names, and reports
   * the first break (lowest seq). Keys only get newer along the chain and along the checkpoints (in
   * seq order): a row or checkpoint naming an older key than one before it is a break, so a leaked
   * old key cannot seal rows or checkpoints that pass.
   */
  async verify(organizationId: string): Promise<VerifyResult> {
    const checkpoints = await this.uow.manager.getRepository(AuditTrailCheckpoint).find({ where: { organizationId }, order: { seq: 'ASC' } });
    let checkpointBreak: ChainBreak | null = null;
    const anchors: AuditTrailCheckpoint[] = [];
    /** the age in the ring of the newest key met so far (0: the current key) */
    let newest = Infinity;
    for (const checkpoint of checkpoints) {
      const verdict = this.checkpoints.check(checkpoint);
      const age = this.writer.keyAge(checkpoint.keyId);
      if (verdict === 'ok' && age > newest)
        checkpointBreak ??= {
          seq: checkpoint.seq,
          id: null,
          checkpointId: checkpoint.id,
          reason: 'key_out_of_order',
          keyId: checkpoint.keyId,
          detail: `the checkpoint is signed with key ${checkpoint.keyId}, older than the key of a checkpoint before it`,
        };
      else if (verdict === 'ok') {
        anchors.push(checkpoint);
        newest = age;
      } else
        checkpointBreak ??= {
          seq: checkpoint.seq,
          id: null,
          checkpointId: checkpoint.id,
          ...(verdict === 'forged'
            ? { reason: 'checkpoint_forged', detail: "the checkpoint's signature is not genuine (it was not written by Mamori)" }
            : {
                reason: 'unknown_key',
                keyId: checkpoint.keyId,
                detail: `the checkpoint is signed with key ${checkpoint.keyId}, which SECRET_KEY and PREVIOUS_SECRET_KEYS do not hold`,
              }),
        };
    }
    const last = anchors.at(-1);
    const chain = await this.walk(organizationId, anchors);
    const firstBreak = [chain.firstBreak, checkpointBreak].filter((b) => b !== null).sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))[0] ?? null;
    return {
      organizationId,
      ok: firstBreak === null,
      checked: chain.checked,
      lastSeq: chain.lastSeq,
      firstBreak,
      checkpoints: anchors.length,
      lastCheckpoint: last ? { id: last.id, seq: last.seq, at: last.createdAt } : null,
    };
  }

  /** The chain walk: links, hashes, and the rows the (genuine) checkpoints name. */
  private async walk(
    organizationId: string,
    anchors: readonly AuditTrailCheckpoint[],
  ): Promise<{ checked: number; lastSeq: string | null; firstBreak: ChainBreak | null }> {
    let previousHash = GENESIS_HASH;
    let lastSeq: string | null = null;
    let checked = 0;
    let next = 0;
    /** the key that sealed the rows without a key id (tried first for the next one) */
    let legacyKey: AuditKey | undefined;
    /** the age in the ring of the newest key met so far (0: the current key) */
    let newest = Infinity;
    let keyed = false;
    /** rows whose address is not the one the conversion to inet derived from their legacy text */
    const readdressed = new Set(
      (
        (await this.uow.manager.query(
          `SELECT seq::text AS seq FROM audit_trail
           WHERE organization_id = $1 AND client_address_legacy IS NOT NULL AND client_address IS DISTINCT FROM mamori_inet_or_null(client_address_legacy)`,
          [organizationId],
        )) as { seq: string }[]
      ).map((row) => row.seq),
    );
    const outOfOrder = (row: AuditTrailEntry, detail: string): ChainBreak => ({
      seq: row.seq,
      id: row.id,
      reason: 'key_out_of_order',
      ...(row.keyId ? { keyId: row.keyId } : {}),
      detail,
    });
    const stop = (firstBreak: ChainBreak) => ({ checked, lastSeq, firstBreak });
    const missing = (checkpoint: AuditTrailCheckpoint, detail: string): ChainBreak => ({
      seq: checkpoint.seq,
      id: null,
      checkpointId: checkpoint.id,
      reason: 'missing_after_checkpoint',
      detail,
    });
    for (;;) {
      const qb = this.uow.manager.getRepository(AuditTrailEntry).createQueryBuilder('a').where('a.organizationId = :organizationId', { organizationId });
      if (lastSeq !== null) qb.andWhere('a.seq > :lastSeq', { lastSeq });
      const batch = await qb.orderBy('a.seq', 'ASC').take(VERIFY_BATCH).getMany();
      for (const row of batch) {
        if (row.previousHash !== previousHash) {
          return stop({
            seq: row.seq,
            id: row.id,
            reason: 'broken_link',
            detail: 'previous_hash does not match the row before (a row was removed or inserted)',
          });
        }
        if (readdressed.has(row.seq))
          return stop({
            seq: row.seq,
            id: row.id,
            reason: 'hash_mismatch',
            detail: 'the client address was changed after it was written (it no longer matches the text it was stored as)',
          });
        if (row.keyId) {
          const key = this.writer.keyById(row.keyId);
          const age = this.writer.keyAge(row.keyId);
          if (!key)
            return stop({
              seq: row.seq,
              id: row.id,
              reason: 'unknown_key',
              keyId: row.keyId,
              detail: `the row is sealed with key ${row.keyId}, which SECRET_KEY and PREVIOUS_SECRET_KEYS do not hold`,
            });
          if (age > newest) return stop(outOfOrder(row, `the row names key ${row.keyId}, older than the key of a row before it`));
          if (entryHash(row, key.trail) !== row.hash)
            return stop({ seq: row.seq, id: row.id, reason: 'hash_mismatch', detail: 'the row was changed after it was written' });
          newest = age;
          keyed = true;
        } else {
          if (keyed) return stop(outOfOrder(row, 'the row names no key, after rows that do (only rows written before keys had ids name none)'));
          const ring = legacyKey ? [legacyKey, ...this.writer.keys.filter((k) => k !== legacyKey)] : this.writer.keys;
          legacyKey = ring.find((key) => entryHash(row, key.trail) === row.hash);
          if (!legacyKey)
            return stop({
              seq: row.seq,
              id: row.id,
              reason: 'hash_mismatch',
              detail: 'the row was changed after it was written (or sealed with a key the ring does not hold)',
            });
          const age = this.writer.keyAge(legacyKey.id);
          if (age > newest) return stop(outOfOrder(row, `the row is sealed with key ${legacyKey.id}, older than the key of a row before it`));
          newest = age;
        }
        const anchor = anchors[next];
        if (anchor && BigInt(anchor.seq) < BigInt(row.seq))
          return stop(missing(anchor, `the row at seq ${anchor.seq}, named by the checkpoint of ${anchor.createdAt.toISOString()}, is not in the chain`));
        if (anchor?.seq === row.seq) {
          if (anchor.hash !== row.hash)
            return stop({
              seq: row.seq,
              id: row.id,
              checkpointId: anchor.id,
              reason: 'hash_mismatch',
              detail: `the row differs from the checkpoint of ${anchor.createdAt.toISOString()}`,
            });
          next++;
        }
        previousHash = row.hash;
        lastSeq = row.seq;
        checked++;
      }
      if (batch.length < VERIFY_BATCH) break;
    }
    const anchor = anchors[next];
    if (anchor)
      return stop(
        missing(
          anchor,
          `the chain ends at seq ${lastSeq ?? '(none)'}, before the row at seq ${anchor.seq} named by the checkpoint of ${anchor.createdAt.toISOString()}: rows were removed from its end`,
        ),
      );
    return { checked, lastSeq, firstBreak: null };
  }

  /** Verifying is itself recorded (who checked, and what they found). */
  async verifyAsActor(actor: Actor): Promise<VerifyResult> {
    assertMay(actor, AUDIT_TRAIL.read);
    const result = await this.verify(actor.organizationId);
    await this.uow.run(actor, async (tx) =>
      tx.audit({
        action: 'audit_trail.verify',
        entityType: 'audit_trail',
        context: { ok: result.ok, checked: result.checked, firstBreak: result.firstBreak, lastCheckpointSeq: result.lastCheckpoint?.seq ?? null },
      }),
    );
    return result;
  }
}
