import { Injectable } from '@nestjs/common';
import { AuditTrailWords, ACTOR_ENTITY_TYPE } from '../../audit-trail/audit-trail-words.service.js';
import { AuditTrailService } from '../../audit-trail/audit-trail.service.js';
import type { Actor } from '../../common/actor.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import { PAGE_FILTERS, type AuditTrailPageQuery } from './audit-trail-page.dto.js';

/** Rows a page shows. */
export const PAGE_SIZE = 50;

type Filter = Partial<Record<(typeof PAGE_FILTERS)[number], string>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** `?from=…&action=…` of the filters set (pagination and the CSV link keep them). */
export function filterQuery(filter: Filter): string {
  const params = new URLSearchParams();
  for (const name of PAGE_FILTERS) if (filter[name]) params.set(name, filter[name]);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** 操作ログ: the data of the page (filters in words, rows in words, links to the records). */
@Injectable()
export class AuditTrailPagesService {
  constructor(
    private readonly trail: AuditTrailService,
    private readonly words: AuditTrailWords,
  ) {}

  /**
   * The page; with `formErrors` (a refused filter) the form again with what was sent, and no rows.
   */
  async page(actor: Actor, query: AuditTrailPageQuery | Record<string, unknown>, formErrors?: FormErrors): Promise<object> {
    const filter: Filter = Object.fromEntries(PAGE_FILTERS.flatMap((name) => (text(query[name]) ? [[name, text(query[name])]] : [])));
    const vocabulary = this.words.vocabulary;
    const known = <T>(map: Map<string, T>, value: string | undefined) => (value && !map.has(value) ? [{ value, ja: value, en: value, selected: true }] : []);
    const actions = [
      ...[...vocabulary.actions].map(([value, words]) => ({ value, ja: words.ja, en: words.en, selected: value === filter.action })),
      ...known(vocabulary.actions, filter.action),
    ];
    const entityTypes = [
      ...[...vocabulary.entityTypes].map(([value, words]) => ({ value, ja: words.ja, en: words.en, selected: value === filter.entityType })),
      ...known(vocabulary.entityTypes, filter.entityType),
    ];
    const actors = (await this.trail.actors(actor)).map((person) => ({ ...person, selected: person.id === filter.actorId }));
    const [record] =
      filter.entityType && filter.entityId
        ? await this.words.describe(actor, [{ actorId: null, entityType: filter.entityType, entityId: filter.entityId }])
        : [];
    const common = {
      title: 'auditTrail.title',
      filter,
      filtered: Object.keys(filter).length > 0,
      actors,
      actions,
      entityTypes,
      recordFilter: filter.entityId
        ? {
            type: filter.entityType ? { ja: vocabulary.entityType(filter.entityType, 'ja'), en: vocabulary.entityType(filter.entityType, 'en') } : null,
            record: record?.record ?? null,
            id: filter.entityId,
            clear: `/audit-trail${filterQuery({ ...filter, entityId: undefined })}`,
          }
        : null,
      csvHref: `/audit-trail.csv${filterQuery(filter)}`,
    };
    if (formErrors) return { ...common, formErrors, entries: [], refused: true };

    const page = typeof query.page === 'number' ? query.page : 1;
    const result = await this.trail.list(actor, { ...filter, page, pageSize: PAGE_SIZE });
    const facts = await this.words.describe(actor, result.items);
    const entries = result.items.map((entry, i) => {
      const { record } = facts[i]!;
      const action = vocabulary.actions.get(entry.action);
      const entityType = vocabulary.entityTypes.get(entry.entityType);
      return {
        seq: entry.seq,
        occurredAt: entry.occurredAt,
        actor: {
          name: entry.actorName,
          href: entry.actorId && entry.actorName ? this.words.href(actor, ACTOR_ENTITY_TYPE, entry.actorId, undefined) : null,
          system: entry.actorLabel.startsWith('system:') ? entry.actorLabel.slice('system:'.length) : null,
          label: entry.actorLabel,
        },
        action: { code: entry.action, ja: action?.ja ?? null, en: action?.en ?? null },
        entityType: { code: entry.entityType, ja: entityType?.ja ?? entry.entityType, en: entityType?.en ?? entry.entityType },
        record,
        clientAddress: entry.clientAddress ?? entry.clientAddressLegacy,
      };
    });
    return { ...common, entries, pager: pagerFor(result, '/audit-trail', filter) };
  }
}
