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

/** Marks a provider of a feature's pages as a DutyProvider of "my page" (found at start-up). */
export const DutySource = (): ClassDecorator => DUTY_SOURCES.mark(true);

/**
 * "What you owe" on the my page (研修・確認事項): every open duty the features' pages know of, each
 * from a provider marked `@DutySource()` (the policies' acknowledgements; training its enrolments).
 */
@Injectable()
export class MyPageService implements OnModuleInit {
  private providers: DutyProvider[] = [];

  constructor(private readonly catalog: FeatureCatalog) {}

  onModuleInit(): void {
    this.providers = this.catalog.providers<DutyProvider, true>(DUTY_SOURCES).map(({ instance }) => instance);
  }

  /** Every open duty, soonest due first (undated ones last). */
  async duties(actor: Actor): Promise<Duty[]> {
    const lists = await Promise.all(this.providers.map((provider) => provider.duties(actor)));
    const due = (duty: Duty): number => duty.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    return lists.flat().sort((a, b) => due(a) - due(b));
  }
}
