import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { endOfTokyoDay } from '../../common/calendar.js';
import { MyTrainingService } from '../../training/my-training.service.js';
import { DutySource, type Duty, type DutyProvider } from '../my-page/my-page.service.js';

/**
 * The my page's training: the courses the person still owes (open enrolments of running courses).
 * The acknowledgement of a policy version is listed by the policies' own duty source, worded as policies with their version.
 */
@Injectable()
@DutySource()
export class MyTrainingDuties implements DutyProvider {
  constructor(private readonly training: MyTrainingService) {}

  async duties(actor: Actor): Promise<Duty[]> {
    if (!actor.staffId) return [];
    const { items } = await this.training.list(actor);
    return items
      .filter((enrolment) => enrolment.state === 'open' && enrolment.course.status === 'published' && enrolment.course.policyVersionId === null)
      .map((enrolment) => ({
        kind: 'training',
        title: enrolment.course.title,
        titleEn: enrolment.course.titleEn,
        dueAt: endOfTokyoDay(enrolment.dueOn),
        href: `/training/enrolments/${enrolment.id}`,
      }));
  }
}
