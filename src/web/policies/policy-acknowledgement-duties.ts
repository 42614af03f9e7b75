import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { endOfTokyoDay } from '../../common/calendar.js';
import { AcknowledgementsService } from '../../training/acknowledgements.service.js';
import { DutySource, type Duty, type DutyProvider } from '../my-page/my-page.service.js';

/** The my page's policy acknowledgements: approved versions the person has not acknowledged yet. */
@Injectable()
@DutySource()
export class PolicyAcknowledgementDuties implements DutyProvider {
  constructor(private readonly acknowledgements: AcknowledgementsService) {}

  async duties(actor: Actor): Promise<Duty[]> {
    const open = await this.acknowledgements.openDuties(actor);
    return open.map((duty) => ({
      kind: 'policy_acknowledgement',
      title: duty.policyTitle,
      titleEn: duty.policyTitleEn,
      version: duty.version,
      dueAt: endOfTokyoDay(duty.dueOn),
      href: `/acknowledgements/${duty.id}`,
    }));
  }
}
