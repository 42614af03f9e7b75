import { Injectable } from '@nestjs/common';
import { OnDomainEvent, type DomainEvent } from '../common/events/domain-events.js';
import type { Transaction } from '../database/unit-of-work.js';
import { Incident } from '../incidents/incident.entity.js';
import type { ResponsePhase } from '../incidents/incident-task.entity.js';
import { IncidentTasksService } from '../incidents/incident-tasks.service.js';
import { ScenariosService } from './scenarios.service.js';

/**
 * Incidents use the playbooks: an incident triaged (or triaged again after a reopen) in a category a
 * scenario covers gets that scenario's steps as its tasks, in the triage's transaction — each step
 * once, with its phase, role and a due time its target minutes after the report.
 */
@Injectable()
export class IncidentPlaybooks {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly tasks: IncidentTasksService,
  ) {}

  @OnDomainEvent('incident.transitioned')
  async onTransitioned(event: DomainEvent<'incident.transitioned'>, tx: Transaction): Promise<void> {
    if (event.to !== 'triaged' || !event.category) return;
    const playbook = await this.scenarios.forCategory(tx.manager, tx.actor.organizationId, event.category);
    if (!playbook) return;
    const incident = await tx.manager.getRepository(Incident).findOneByOrFail({ id: event.incidentId, organizationId: tx.actor.organizationId });
    await this.tasks.addFromPlaybook(
      tx,
      incident,
      playbook.steps.map((step) => ({
        id: step.id,
        title: step.action,
        phase: step.phase as ResponsePhase,
        role: step.role,
        targetMinutes: step.targetMinutes,
      })),
    );
  }
}
