import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { message } from '../../common/messages.js';
import { may } from '../../common/permissions.js';
import type { RoleRequestView } from '../../staff/dto/role-request-view.dto.js';
import { DutySource, type Duty, type DutyProvider } from '../my-page/my-page.service.js';
import { fullName } from '../viewer.service.js';
import { WorkQueueSource, type WorkItem, type WorkQueueProvider } from '../work-queue/work-queue.service.js';
import { ROLE_REQUEST_PAGES } from './role-request-pages.permissions.js';
import { RoleRequestPagesService } from './role-request-pages.service.js';

/** A request waiting for the person, as the my page names it: 「山田 花子 さんの「CSIRT」の付与（承認）」. */
function dutyTitle(locale: 'ja' | 'en', view: RoleRequestView): string {
  return message(locale, 'roleRequests.duty', {
    person: fullName(view.staff),
    role: message(locale, `role.${view.role}`),
    change: message(locale, `roleRequestChange.${view.change}`),
    step: message(locale, `roleRequests.dutyStep.${view.status === 'pending' ? 'approve' : view.confirmer === 'person' ? 'accept' : 'confirm'}`),
  });
}

/**
 * The role requests waiting for the viewer's approval or confirmation: counted in the work queue (for
 * those who decide requests), and listed on the my page, where administrators (who decide `ciso`)
 * land and where the person who is to be the first CISO finds the request to accept.
 */
@Injectable()
@WorkQueueSource()
@DutySource()
export class RoleRequestWorkItems implements WorkQueueProvider, DutyProvider {
  constructor(private readonly pages: RoleRequestPagesService) {}

  async workItems(actor: Actor): Promise<WorkItem[]> {
    if (!may(actor, ROLE_REQUEST_PAGES.list)) return [];
    const waiting = await this.pages.waitingFor(actor);
    // a request is never overdue: past its seven days it expires
    return [{ label: 'work.roleRequestsWaiting', count: waiting.length, overdue: 0, href: '/role-requests', order: 5 }];
  }

  async duties(actor: Actor): Promise<Duty[]> {
    const waiting = await this.pages.waitingFor(actor);
    return waiting.map((view) => ({
      kind: 'role_request',
      title: dutyTitle('ja', view),
      titleEn: dutyTitle('en', view),
      dueAt: view.expiresAt,
      href: `/role-requests/${view.id}`,
    }));
  }
}
