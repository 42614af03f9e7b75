import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { FeatureCatalog, providerMarker } from '../../common/features/discovery.js';

/** Something a person still owes: a course to complete, a policy version to acknowledge, a role request to decide. */
export interface Duty {
  kind: 'training' | 'policy_acknowledgement' | 'role_request' | 'incident_alert' | 'corrective_action' | 'self_inspection';
  title: string;
  /** the title on English pages, when there is one */
  titleEn?: string | null;
  /** the version to acknowledge, for a policy */
  version?: number;
  dueAt: Date | null;
  /** the page where it is done */
  href: string;
}

/** A feature's pages that know some of a person's duties. */
export interface DutyProvider {
  duties(actor: Actor): Promise<Duty[]>;
}

const DUTY_SOURCES = providerMarker('duty-source');

/** A section a feature's pages add to my page, under the duties: a partial of their views and its data. */
export interface MyPageSection {
  partial: string;
  data: object;
}

/** A feature's pages that add a section to my page (null: nothing to show this person). */
export interface MyPageSectionProvider {
  section(actor: Actor): Promise<MyPageSection | null>;
}

const SECTION_SOURCES = providerMarker('my-page-section');

/** Marks a provider of a feature's pages as a MyPageSectionProvider (found at start-up). */
export const MyPageSectionSource = (): ClassDecorator => SECTION_SOURCES.mark(true);

/** Marks a provider of a feature's pages as a DutyProvider of "my page" (found at start-up). */
export const DutySource = (): ClassDecorator => DUTY_SOURCES.mark(true);

/**
 * "What you owe" on the my page (研修・確認事項): every open duty the features' pages know of, each
 * from a provider marked `@DutySource()` (the policies' acknowledgements; training its enrolments).
 */
@Injectable()
export class MyPageService implements OnModuleInit {
  private providers: DutyProvider[] = [];
  private sectionProviders: MyPageSectionProvider[] = [];

  constructor(private readonly catalog: FeatureCatalog) {}

  onModuleInit(): void {
    this.providers = this.catalog.providers<DutyProvider, true>(DUTY_SOURCES).map(({ instance }) => instance);
    this.sectionProviders = this.catalog.providers<MyPageSectionProvider, true>(SECTION_SOURCES).map(({ instance }) => instance);
  }

  /** The sections the features' pages add (a calendar subscription), in the order of the features. */
  async sections(actor: Actor): Promise<MyPageSection[]> {
    const sections = await Promise.all(this.sectionProviders.map((provider) => provider.section(actor)));
    return sections.filter((section): section is MyPageSection => section !== null);
  }

  /** Every open duty, soonest due first (undated ones last). */
  async duties(actor: Actor): Promise<Duty[]> {
    const lists = await Promise.all(this.providers.map((provider) => provider.duties(actor)));
    const due = (duty: Duty): number => duty.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    return lists.flat().sort((a, b) => due(a) - due(b));
  }
}
