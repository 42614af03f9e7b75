import type { EntityManager } from 'typeorm';
import type { FeatureDefinition } from '../common/features/feature.js';
import type { Locale } from '../common/locale.js';

/**
 * The audit trail in words. Each feature declares, where it lives, the actions it writes and the
 * entity types its rows name (`@Feature({ auditTrail })`, usually from its `<feature>.audit.ts`):
 *
 * ```ts
 * export const CONTROLS_AUDIT = {
 *   actions: { 'control.update': { ja: '管理策の実施状況などを変更', en: "Changed a control's status or details" } },
 *   entityTypes: { control: { ja: '管理策', en: 'Control', page: '/controls/:id', records: controlNames } },
 * } as const satisfies AuditTrailVocabulary;
 * ```
 *
 * The audit trail reads them at start-up and never names a feature. An action code without words
 * (a row written before its words existed) is shown as the code itself; src/audit-words.spec.ts
 * fails when a code written in src has none.
 */

/** The same thing said in each language Mamori speaks. */
export type AuditWords = Readonly<Record<Locale, string>>;

/** What the audit trail shows of one record: its name, and what its page's address needs besides its id. */
export interface AuditRecordFacts {
  /** e.g. 「会計課」, 「5-02 情報セキュリティ研修」 */
  name: string;
  /** the English name, where the record has one */
  nameEn?: string | null;
  /** what tells two records of the same name apart (a person's e-mail address) */
  detail?: string;
  /** the values of the page address's placeholders other than `:id` (e.g. a policy's `key`) */
  params?: Readonly<Record<string, string | number>>;
}

/**
 * Reads, in one query, the facts of an organisation's records of one type by their ids (UUIDs only);
 * ids it does not find (a record since removed) are left out.
 */
export type AuditRecordLookup = (manager: EntityManager, organizationId: string, ids: readonly string[]) => Promise<ReadonlyMap<string, AuditRecordFacts>>;

/** An entity type the rows name: its words, the page that shows one record, and how to name its records. */
export interface AuditEntityType extends AuditWords {
  /**
   * the address of the page that shows one record, e.g. `/controls/:id`, `/policies/:key` (placeholders
   * other than `:id` come from `records`). A row links to it only when the application serves that
   * GET route and the reader may open it (the route's `@May`).
   */
  page?: string;
  /** names the records (and fills the page's placeholders) */
  records?: AuditRecordLookup;
}

/** What a feature declares of its audit-trail rows. */
export interface AuditTrailVocabulary {
  /** every action code it writes (`tx.audit`, `tx.create`, `tx.update`), in words: 「管理策の実施状況を変更」 */
  actions?: Readonly<Record<string, AuditWords>>;
  /** the entity types it owns */
  entityTypes?: Readonly<Record<string, AuditEntityType>>;
}

declare module '../common/features/feature.js' {
  interface FeatureDefinition {
    /** the words for its audit-trail actions and entity types, and the pages of its records */
    auditTrail?: AuditTrailVocabulary;
  }
}

/** Two features declare the same action code or entity type (each has one owner, one meaning). */
export class DuplicateAuditWordsError extends Error {
  constructor(kind: 'action' | 'entity type', code: string, owners: [string, string]) {
    super(`audit-trail ${kind} ${code} is declared by both ${owners[0]} and ${owners[1]}`);
    this.name = 'DuplicateAuditWordsError';
  }
}

export type Owned<T> = T & { owner: string };

/** The features' vocabularies, merged: action code → words, entity type → words and page, in the order declared. */
export class AuditVocabulary {
  readonly actions = new Map<string, Owned<AuditWords>>();
  readonly entityTypes = new Map<string, Owned<AuditEntityType>>();

  /** Merges the declarations; a code or type declared by two features throws DuplicateAuditWordsError. */
  static of(definitions: readonly FeatureDefinition[]): AuditVocabulary {
    const vocabulary = new AuditVocabulary();
    for (const definition of definitions) {
      const declared = definition.auditTrail;
      if (!declared) continue;
      for (const [code, words] of Object.entries(declared.actions ?? {})) {
        const known = vocabulary.actions.get(code);
        if (known) throw new DuplicateAuditWordsError('action', code, [known.owner, definition.name]);
        vocabulary.actions.set(code, { ...words, owner: definition.name });
      }
      for (const [type, entity] of Object.entries(declared.entityTypes ?? {})) {
        const known = vocabulary.entityTypes.get(type);
        if (known) throw new DuplicateAuditWordsError('entity type', type, [known.owner, definition.name]);
        vocabulary.entityTypes.set(type, { ...entity, owner: definition.name });
      }
    }
    return vocabulary;
  }

  /** The action in words; an unknown code (an old row) as itself. */
  action(code: string, locale: Locale): string {
    return this.actions.get(code)?.[locale] ?? code;
  }

  /** The entity type in words; an unknown type as itself. */
  entityType(type: string, locale: Locale): string {
    return this.entityTypes.get(type)?.[locale] ?? type;
  }
}
