import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PERMISSION_KEY, PUBLIC_KEY } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { FeatureCatalog } from '../common/features/discovery.js';
import { may, type Permission } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuditVocabulary, type AuditRecordFacts } from './audit-vocabulary.js';

/** The entity type of the people who act (an actor's `staffId` names one of its records). */
export const ACTOR_ENTITY_TYPE = 'staff';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A page route the application serves: who may open it (`public` for anyone). */
type PageRoute = { permission: Permission<never> } | { public: true };

/** `/controls/:id` and `controls/:key` alike → `/controls/:` (placeholders compared by position only). */
function routeShape(path: string): string {
  return `/${path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment.startsWith(':') ? ':' : segment))
    .join('/')}`;
}

/** The record a row names, as a reader sees it. */
export interface AuditRecordView {
  name: string;
  nameEn: string | null;
  /** the page that shows it, when there is one the reader may open */
  href: string | null;
}

/** What a row of the trail says beyond its columns: who by name, which record by name, and its page. */
export interface AuditRowFacts {
  /** the actor's name (null for the system, or a person the organisation no longer has) */
  actorName: string | null;
  /** null when the row names no record, or the record's type has no names and no page */
  record: AuditRecordView | null;
}

/** An entry's columns these facts are read from. */
export type AuditRowRef = { actorId: string | null; entityType: string; entityId: string | null };

/**
 * The features' words for the audit trail (their `@Feature({ auditTrail })`), the names of the
 * records and people its rows name, and the pages that show those records. Plumbing: it learns
 * all of it from the loaded features and names none.
 */
@Injectable()
export class AuditTrailWords {
  private vocabularyCache?: AuditVocabulary;
  private routesCache?: Map<string, PageRoute>;

  constructor(
    private readonly catalog: FeatureCatalog,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly uow: UnitOfWork,
  ) {}

  get vocabulary(): AuditVocabulary {
    return (this.vocabularyCache ??= AuditVocabulary.of(this.catalog.definitions()));
  }

  /** The names of people by staff id (those the organisation has). */
  async actorNames(organizationId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const facts = await this.lookup(organizationId, ACTOR_ENTITY_TYPE, ids);
    return new Map([...facts].map(([id, fact]) => [id, fact.name]));
  }

  /** People by staff id, with what tells two of the same name apart. */
  people(organizationId: string, ids: readonly (string | null)[]): Promise<ReadonlyMap<string, AuditRecordFacts>> {
    return this.lookup(organizationId, ACTOR_ENTITY_TYPE, ids);
  }

  /** For each row: the actor's name, and the record it names with the page the reader may open. */
  async describe(actor: Actor, rows: readonly AuditRowRef[]): Promise<AuditRowFacts[]> {
    const byType = new Map<string, Set<string>>();
    for (const row of rows)
      if (row.entityId && UUID.test(row.entityId)) byType.set(row.entityType, (byType.get(row.entityType) ?? new Set()).add(row.entityId));
    const facts = new Map<string, ReadonlyMap<string, AuditRecordFacts>>();
    for (const [type, ids] of byType) facts.set(type, await this.lookup(actor.organizationId, type, [...ids]));
    const actors = await this.actorNames(
      actor.organizationId,
      rows.map((row) => row.actorId),
    );
    return rows.map((row) => ({
      actorName: (row.actorId && actors.get(row.actorId)) ?? null,
      record: this.record(actor, row, row.entityId ? facts.get(row.entityType)?.get(row.entityId) : undefined),
    }));
  }

  /** The record of a row: named when its type names its records, linked when its page can be opened. */
  private record(actor: Actor, row: AuditRowRef, facts: AuditRecordFacts | undefined): AuditRecordView | null {
    if (!row.entityId || !facts) return null;
    return { name: facts.name, nameEn: facts.nameEn ?? null, href: this.href(actor, row.entityType, row.entityId, facts) };
  }

  /** The address of the page of one record, when the application serves it and the reader may open it. */
  href(actor: Actor, entityType: string, entityId: string, facts: AuditRecordFacts | undefined): string | null {
    const page = this.vocabulary.entityTypes.get(entityType)?.page;
    if (!page || !UUID.test(entityId)) return null;
    const route = this.routes().get(routeShape(page));
    if (!route || ('permission' in route && !may(actor, route.permission))) return null;
    const segments: string[] = [];
    for (const segment of page.split('/').filter((s) => s !== '')) {
      if (!segment.startsWith(':')) {
        segments.push(segment);
        continue;
      }
      const name = segment.slice(1);
      const value = name === 'id' ? entityId : facts?.params?.[name];
      if (value === undefined || value === '') return null;
      segments.push(encodeURIComponent(String(value)));
    }
    return `/${segments.join('/')}`;
  }

  private async lookup(organizationId: string, entityType: string, ids: readonly (string | null)[]): Promise<ReadonlyMap<string, AuditRecordFacts>> {
    const records = this.vocabulary.entityTypes.get(entityType)?.records;
    const wanted = [...new Set(ids.filter((id): id is string => !!id && UUID.test(id)))];
    if (!records || wanted.length === 0) return new Map();
    return records(this.uow.manager, organizationId, wanted);
  }

  /** The GET routes the application serves, by shape, with who may open them (`@May`, or `@Public`). */
  private routes(): Map<string, PageRoute> {
    if (this.routesCache) return this.routesCache;
    const routes = new Map<string, PageRoute>();
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      const metatype = wrapper.metatype as (abstract new (...args: never[]) => object) | undefined;
      if (!instance || !metatype) continue;
      const bases = [Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined].flat();
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as () => unknown;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
        const targets = [handler, metatype];
        const permission = this.reflector.getAllAndOverride<Permission<never> | undefined>(PERMISSION_KEY, targets);
        const route: PageRoute | null = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)
          ? { public: true }
          : permission
            ? { permission }
            : null;
        if (!route) continue;
        for (const base of bases)
          for (const path of [Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined].flat())
            routes.set(routeShape(`${base ?? ''}/${path ?? ''}`), route);
      }
    }
    return (this.routesCache = routes);
  }
}
