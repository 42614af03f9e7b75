import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';

/** Something a person still owes: a course to complete, a policy version to acknowledge. */
export interface Duty {
  kind: 'training' | 'policy_acknowledgement';
  title: string;
  /** the title on English pages, when there is one */
  titleEn?: string | null;
  /** the version to acknowledge, for a policy */
  version?: number;
  dueAt: Date | null;
  /** the page where it is done */
  href: string;
}

/** A module that knows some of a person's duties. */
export interface DutyProvider {
  duties(actor: Actor): Promise<Duty[]>;
}

/** The duty providers, in WebModule: policy acknowledgements (training will add its own). */
export const DUTY_PROVIDERS = Symbol('DUTY_PROVIDERS');

/**
 * "What you owe" on the my page (研修・確認事項): the approved policy versions the person has not
 * acknowledged (`PolicyAcknowledgementDuties`) and, once training lands (issue: training), their open
 * enrolments, each from a `DutyProvider` listed under `DUTY_PROVIDERS`.
 */
@Injectable()
export class MyPageService {
  constructor(@Inject(DUTY_PROVIDERS) private readonly providers: DutyProvider[]) {}

  /** Every open duty, soonest due first (undated ones last). */
  async duties(actor: Actor): Promise<Duty[]> {
    const lists = await Promise.all(this.providers.map((provider) => provider.duties(actor)));
    const due = (duty: Duty): number => duty.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    return lists.flat().sort((a, b) => due(a) - due(b));
  }
}
