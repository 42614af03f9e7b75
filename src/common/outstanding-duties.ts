import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FeatureCatalog, providerMarker } from './features/discovery.js';

/**
 * The kinds of duty a person can owe, each declared by the feature that knows it (the policies
 * their acknowledgements; training its enrolments), where it lives:
 *
 * ```ts
 * declare module '../common/outstanding-duties.js' {
 *   interface DutyKinds { policy_acknowledgement: true }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DutyKinds {}

export type DutyKind = keyof DutyKinds & string;

/** One thing a person still owes: a policy version to acknowledge, a course to complete. */
export interface OutstandingDuty {
  /** whose duty it is */
  staffId: string;
  kind: DutyKind;
  /** what is owed, e.g. the policy's title */
  title: string;
  /** the title on English pages and mail, when there is one */
  titleEn: string | null;
  /** the version to acknowledge, for a policy */
  version: number | null;
  /** the day it is due (Asia/Tokyo); null when it has no date */
  dueOn: string | null;
  /** the page (path) where the person does it */
  href: string;
}

/**
 * A feature that knows some of people's duties: given a set of people, it returns their open duties
 * in one query (a department's page and a reminder ask for many people at once, never one by one).
 */
export interface OutstandingDutyProvider {
  /** the open duties of these people of the organisation (any order) */
  outstandingDuties(manager: EntityManager, organizationId: string, staffIds: readonly string[]): Promise<OutstandingDuty[]>;
}

const OUTSTANDING_DUTY_SOURCES = providerMarker('outstanding-duty-source');

/** Marks a provider of a feature as an OutstandingDutyProvider (found at start-up; the gathering part never lists features). */
export const OutstandingDutySource = (): ClassDecorator => OUTSTANDING_DUTY_SOURCES.mark(true);

/** Soonest due first, undated ones last; then by title. */
export function bySoonestDue(a: OutstandingDuty, b: OutstandingDuty): number {
  if (a.dueOn !== b.dueOn) {
    if (a.dueOn === null) return 1;
    if (b.dueOn === null) return -1;
    return a.dueOn < b.dueOn ? -1 : 1;
  }
  return a.title.localeCompare(b.title, 'ja') || (a.version ?? 0) - (b.version ?? 0);
}

/**
 * Everything a set of people still owe, gathered from every provider marked
 * `@OutstandingDutySource()`: one query per provider, however many people.
 */
@Injectable()
export class OutstandingDuties implements OnModuleInit {
  private providers: OutstandingDutyProvider[] = [];

  constructor(private readonly catalog: FeatureCatalog) {}

  onModuleInit(): void {
    this.providers = this.catalog.providers<OutstandingDutyProvider, true>(OUTSTANDING_DUTY_SOURCES).map(({ instance }) => instance);
  }

  /** Each person's open duties, soonest due first; a person who owes nothing has an empty list. */
  async of(manager: EntityManager, organizationId: string, staffIds: readonly string[]): Promise<Map<string, OutstandingDuty[]>> {
    const ids = [...new Set(staffIds)];
    const byPerson = new Map<string, OutstandingDuty[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byPerson;
    // one after the other: the manager may be a transaction's, which runs one query at a time
    for (const provider of this.providers) {
      for (const duty of await provider.outstandingDuties(manager, organizationId, ids)) byPerson.get(duty.staffId)?.push(duty);
    }
    for (const duties of byPerson.values()) duties.sort(bySoonestDue);
    return byPerson;
  }
}
