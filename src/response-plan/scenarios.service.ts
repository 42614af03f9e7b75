import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { List } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ResponseContact } from './response-contact.entity.js';
import { PLAN_RESPONDERS, RESPONSE_PLAN } from './response-plan.permissions.js';
import { PlaybookStep, Scenario } from './scenario.entity.js';

/** A scenario with the steps of its revision in force, in order. */
export interface ScenarioWithSteps {
  scenario: Scenario;
  steps: PlaybookStep[];
}

/** The scenarios of the emergency response plan and their playbooks (readable by all staff), and the plan's outside contacts. */
@Injectable()
export class ScenariosService {
  constructor(private readonly uow: UnitOfWork) {}

  /** The scenarios in force, by title order of their keys, with their steps. */
  async list(actor: Actor): Promise<List<ScenarioWithSteps>> {
    assertMay(actor, RESPONSE_PLAN.read);
    const scenarios = await this.uow.manager
      .getRepository(Scenario)
      .find({ where: { organizationId: actor.organizationId, retiredAt: IsNull() }, order: { key: 'ASC' } });
    const items = await this.withSteps(this.uow.manager, scenarios);
    return { items, total: items.length };
  }

  /** One scenario (retired ones too: records point at them) with its steps in force. */
  async get(actor: Actor, id: string): Promise<ScenarioWithSteps> {
    assertMay(actor, RESPONSE_PLAN.read);
    const scenario = await this.uow.manager.getRepository(Scenario).findOneBy({ id, organizationId: actor.organizationId });
    if (!scenario) throw new AppException('SCENARIO_NOT_FOUND');
    return (await this.withSteps(this.uow.manager, [scenario]))[0]!;
  }

  /** The scenario in force that covers an incident category, with its steps (for triage's tasks). */
  async forCategory(manager: EntityManager, organizationId: string, category: string): Promise<ScenarioWithSteps | null> {
    const [scenario] = (await manager.query(
      `SELECT id FROM response_scenarios WHERE organization_id = $1 AND retired_at IS NULL AND $2 = ANY(categories) ORDER BY key LIMIT 1`,
      [organizationId, category],
    )) as { id: string }[];
    if (!scenario) return null;
    const found = await manager.getRepository(Scenario).findOneByOrFail({ id: scenario.id });
    return (await this.withSteps(manager, [found]))[0]!;
  }

  /** The plan's outside contacts in file order; out-of-hours numbers only for those the plan names. */
  async contacts(actor: Actor): Promise<List<ResponseContact>> {
    assertMay(actor, RESPONSE_PLAN.read_contacts);
    const rows = await this.uow.manager
      .getRepository(ResponseContact)
      .find({ where: { organizationId: actor.organizationId, retiredAt: IsNull() }, order: { position: 'ASC' } });
    const named = actor.system || actor.roles.some((role) => PLAN_RESPONDERS.includes(role));
    const items = named ? rows : rows.map((row) => Object.assign(new ResponseContact(), row, { outOfHoursPhone: null }));
    return { items, total: items.length };
  }

  private async withSteps(manager: EntityManager, scenarios: Scenario[]): Promise<ScenarioWithSteps[]> {
    if (!scenarios.length) return [];
    const steps = (await manager
      .getRepository(PlaybookStep)
      .createQueryBuilder('s')
      .where('(s.scenarioId, s.revision) IN (SELECT id, revision FROM response_scenarios WHERE id = ANY(:ids))', { ids: scenarios.map((s) => s.id) })
      .orderBy('s.position', 'ASC')
      .getMany()) as PlaybookStep[];
    return scenarios.map((scenario) => ({ scenario, steps: steps.filter((step) => step.scenarioId === scenario.id) }));
  }
}
