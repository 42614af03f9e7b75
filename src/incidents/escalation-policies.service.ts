import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { Actor } from '../common/actor.js';
import { canonicalJson } from '../common/canonical-json.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { CreateEscalationPolicyDto, normalizedLevel, UpdateEscalationPolicyDto } from './escalation-policies.dto.js';
import { EscalationPolicy, type EscalationLevel, type EscalationTrigger } from './escalation-policy.entity.js';
import { INCIDENTS } from './incidents.permissions.js';

/** A policy as it is to be stored (from the API, a page or `policies/escalation.yaml`). */
export interface EscalationPolicyData {
  key: string;
  name: string;
  nameEn: string | null;
  triggers: EscalationTrigger[];
  levels: EscalationLevel[];
  webhookUrl: string | null;
  active: boolean;
}

/** What a write did: made the policy, changed what a climb runs on (a new revision), changed its names only, or nothing. */
export type EscalationPolicyWrite = 'created' | 'revised' | 'renamed' | 'unchanged';

/** class-validator's errors as the API names fields: `levels.0.timeoutMinutes`. */
function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return own.concat(fieldErrors(error.children ?? [], field));
  });
}

/** A body checked as the API's DTO is (the pages call the service with what their form made): the instance and what is wrong. */
function checked<T extends object>(cls: new () => T, body: object): { dto: T; errors: FieldError[] } {
  const dto = plainToInstance(cls, body);
  return { dto, errors: fieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false })) };
}

/** Levels well enough formed to look at their recipients and channels. */
const readable = (levels: unknown): levels is EscalationLevel[] =>
  Array.isArray(levels) &&
  levels.every(
    (level) =>
      level &&
      typeof level === 'object' &&
      (level as EscalationLevel).recipients &&
      typeof (level as EscalationLevel).recipients === 'object' &&
      Array.isArray((level as EscalationLevel).channels),
  );

/**
 * Problems found before the service (the pages' unknown e-mail addresses) with the service's own:
 * the found ones first, and no "no recipient" of a level whose named people were not found.
 */
function withFound(problems: FieldError[], found: readonly FieldError[]): FieldError[] {
  return [...found, ...problems.filter((p) => !found.some((f) => f.field === p.field || f.field.startsWith(`${p.field}.`)))];
}

/** Refuses a malformed body naming every field at once: the shape's mistakes and, where it can tell, what the levels lack. */
function refuseMalformed(shape: FieldError[], policy: { levels?: unknown; webhookUrl?: unknown }, found: readonly FieldError[] = []): void {
  if (shape.length === 0) return;
  const fields = new Set(shape.map((e) => e.field));
  if (readable(policy.levels)) {
    const webhookUrl = typeof policy.webhookUrl === 'string' ? policy.webhookUrl : null;
    for (const problem of escalationPolicyProblems({ levels: policy.levels, webhookUrl })) if (!fields.has(problem.field)) shape.push(problem);
  }
  const errors = withFound(shape, found);
  throw new AppException('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join('. '), errors);
}

/**
 * What the shape rules cannot say of a policy, by field: each level names at least one recipient,
 * and a level that posts to the webhook needs the policy's webhook address.
 */
export function escalationPolicyProblems(policy: Pick<EscalationPolicyData, 'levels' | 'webhookUrl'>): FieldError[] {
  const problems: FieldError[] = [];
  policy.levels.forEach((level, i) => {
    const { roles, staffIds, reporterManager } = level.recipients;
    if (!roles?.length && !staffIds?.length && reporterManager !== true) {
      problems.push({ field: `levels.${i}.recipients`, messages: ['a level names at least one recipient: a role, a person or the reporter’s manager'] });
    }
  });
  const webhookLevel = policy.levels.findIndex((level) => level.channels.includes('webhook'));
  if (webhookLevel >= 0 && !policy.webhookUrl) {
    problems.push({ field: 'webhookUrl', messages: [`level ${webhookLevel + 1} posts to the webhook: give its http(s) address`] });
  }
  return problems;
}

/** What a climb runs on: a change of any of these is a new revision (names are labels). */
const behaviour = (policy: Pick<EscalationPolicyData, 'levels' | 'triggers' | 'webhookUrl' | 'active'>): string =>
  canonicalJson({
    levels: policy.levels.map((level) => normalizedLevel(level)),
    triggers: [...policy.triggers].sort(),
    webhookUrl: policy.webhookUrl,
    active: policy.active,
  });

/**
 * Escalation policies (エスカレーション・連絡体制) as data: read by the responders and the CISO,
 * written by the security office here, by its pages, and by `escalation:sync` from
 * `policies/escalation.yaml`. One active policy per trigger. A change of what a climb runs on bumps
 * the revision; a running climb keeps the snapshot it started with.
 */
@Injectable()
export class EscalationPoliciesService {
  constructor(private readonly uow: UnitOfWork) {}

  /** Every policy, active ones first, by key. */
  async list(actor: Actor): Promise<EscalationPolicy[]> {
    assertMay(actor, INCIDENTS.read_escalation_policies);
    return this.uow.manager.getRepository(EscalationPolicy).find({ where: { organizationId: actor.organizationId }, order: { active: 'DESC', key: 'ASC' } });
  }

  async get(actor: Actor, id: string): Promise<EscalationPolicy> {
    assertMay(actor, INCIDENTS.read_escalation_policies);
    const policy = await this.uow.manager.getRepository(EscalationPolicy).findOneBy({ id, organizationId: actor.organizationId });
    if (!policy) throw new AppException('ESCALATION_POLICY_NOT_FOUND');
    return policy;
  }

  async create(actor: Actor, body: CreateEscalationPolicyDto, found: readonly FieldError[] = []): Promise<EscalationPolicy> {
    assertMay(actor, INCIDENTS.manage_escalation_policies);
    const { dto, errors } = checked(CreateEscalationPolicyDto, body);
    refuseMalformed(errors, dto, found);
    const data: EscalationPolicyData = {
      key: dto.key,
      name: dto.name,
      nameEn: dto.nameEn ?? null,
      triggers: dto.triggers,
      levels: dto.levels.map((level) => normalizedLevel(level)),
      webhookUrl: dto.webhookUrl ?? null,
      active: dto.active ?? true,
    };
    return this.uow.run(actor, async (tx) => (await this.write(tx, null, data, { found })).policy);
  }

  /** Changes the fields sent; the levels, when sent, replace the old ones. */
  async update(actor: Actor, id: string, body: UpdateEscalationPolicyDto, found: readonly FieldError[] = []): Promise<EscalationPolicy> {
    assertMay(actor, INCIDENTS.manage_escalation_policies);
    const { dto, errors } = checked(UpdateEscalationPolicyDto, body);
    return this.uow.run(actor, async (tx) => {
      const policy = await tx.manager
        .getRepository(EscalationPolicy)
        .findOne({ where: { id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw new AppException('ESCALATION_POLICY_NOT_FOUND');
      refuseMalformed(errors, { levels: dto.levels ?? policy.levels, webhookUrl: dto.webhookUrl !== undefined ? dto.webhookUrl : policy.webhookUrl }, found);
      const data: EscalationPolicyData = {
        key: policy.key,
        name: dto.name ?? policy.name,
        nameEn: dto.nameEn !== undefined ? dto.nameEn : policy.nameEn,
        triggers: dto.triggers ?? policy.triggers,
        levels: dto.levels ? dto.levels.map((level) => normalizedLevel(level)) : policy.levels,
        webhookUrl: dto.webhookUrl !== undefined ? dto.webhookUrl : policy.webhookUrl,
        active: dto.active ?? policy.active,
      };
      return (await this.write(tx, policy, data, { checkStaff: dto.levels !== undefined, found })).policy;
    });
  }

  /** One writer of policies per organisation at a time: the trigger rule holds under concurrency. */
  async lock(tx: Transaction): Promise<void> {
    await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`escalation-policies:${tx.actor.organizationId}`]);
  }

  /**
   * Makes or changes a policy in the caller's transaction (under `lock`), with its audit-trail row.
   * Refuses a level without recipients, a webhook level without an address, a named person who is
   * not active staff (400 ESCALATION_POLICY_INVALID naming the field), another policy's key or an
   * active policy's trigger (409). The sync checks the triggers of the whole file itself
   * (`checkTriggers: false`), so that policies may swap triggers in one run.
   */
  async write(
    tx: Transaction,
    existing: EscalationPolicy | null,
    data: EscalationPolicyData,
    options: { checkStaff?: boolean; checkTriggers?: boolean; context?: Record<string, unknown>; found?: readonly FieldError[] } = {},
  ): Promise<{ policy: EscalationPolicy; outcome: EscalationPolicyWrite }> {
    await this.lock(tx);
    let problems = escalationPolicyProblems(data);
    if (options.checkStaff ?? true) problems.push(...(await this.staffProblems(tx, data.levels)));
    problems = withFound(problems, options.found ?? []);
    if (problems.length) throw new AppException('ESCALATION_POLICY_INVALID', problems.map((p) => `${p.field}: ${p.messages.join('; ')}`).join('. '), problems);
    if (!existing) {
      const taken = await tx.manager.getRepository(EscalationPolicy).existsBy({ organizationId: tx.actor.organizationId, key: data.key });
      if (taken) throw new AppException('ESCALATION_POLICY_KEY_TAKEN', undefined, [{ field: 'key', messages: [`the key "${data.key}" is taken`] }]);
    }
    if ((options.checkTriggers ?? true) && data.active) {
      const clash = await this.triggerTaken(tx, data.triggers, existing ? [existing.id] : []);
      if (clash) {
        throw new AppException(
          'ESCALATION_TRIGGER_TAKEN',
          `The active policy "${clash.name}" (${clash.key}) is already chosen for ${clash.trigger}`,
          [{ field: 'triggers', messages: [`${clash.trigger} is taken by the active policy ${clash.key}`] }],
          { trigger: clash.trigger, policyId: clash.id, policyKey: clash.key },
        );
      }
    }
    const fields = {
      name: data.name,
      nameEn: data.nameEn,
      triggers: data.triggers,
      levels: data.levels.map((level) => normalizedLevel(level)),
      webhookUrl: data.webhookUrl,
      active: data.active,
    };
    if (!existing) {
      const policy = await tx.create(
        EscalationPolicy,
        { key: data.key, ...fields, revision: 1 },
        { action: 'escalation_policy.create', entityType: 'escalation_policy', context: options.context },
      );
      return { policy, outcome: 'created' };
    }
    const revised = behaviour(existing) !== behaviour(data);
    const renamed = existing.name !== data.name || existing.nameEn !== data.nameEn;
    if (!revised && !renamed) return { policy: existing, outcome: 'unchanged' };
    const policy = await tx.update(
      existing,
      { ...fields, revision: revised ? existing.revision + 1 : existing.revision },
      { action: 'escalation_policy.update', entityType: 'escalation_policy', context: options.context },
    );
    return { policy, outcome: revised ? 'revised' : 'renamed' };
  }

  /** The first active policy (other than `except`) chosen for one of `triggers`, if any. */
  async triggerTaken(
    tx: Transaction,
    triggers: readonly string[],
    except: readonly string[],
  ): Promise<{ id: string; key: string; name: string; trigger: EscalationTrigger } | null> {
    if (triggers.length === 0) return null;
    const rows = (await tx.manager.query(
      `SELECT p.id, p.key, p.name, t.trigger
         FROM escalation_policies p CROSS JOIN LATERAL jsonb_array_elements_text(p.triggers) AS t(trigger)
        WHERE p.organization_id = $1 AND p.active AND NOT (p.id = ANY($2::uuid[])) AND t.trigger = ANY($3::text[])
        ORDER BY p.key, t.trigger LIMIT 1`,
      [tx.actor.organizationId, except, triggers],
    )) as { id: string; key: string; name: string; trigger: EscalationTrigger }[];
    return rows[0] ?? null;
  }

  /** Named people who are not active staff of the organisation, by level. */
  private async staffProblems(tx: Transaction, levels: readonly EscalationLevel[]): Promise<FieldError[]> {
    const ids = [...new Set(levels.flatMap((level) => level.recipients.staffIds ?? []))];
    if (ids.length === 0) return [];
    const rows = (await tx.manager.query(`SELECT id FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'`, [
      tx.actor.organizationId,
      ids,
    ])) as { id: string }[];
    const active = new Set(rows.map((row) => row.id));
    return levels.flatMap((level, i) => {
      const unknown = (level.recipients.staffIds ?? []).filter((id) => !active.has(id));
      return unknown.length ? [{ field: `levels.${i}.recipients.staffIds`, messages: [`not active members of staff: ${unknown.join(', ')}`] }] : [];
    });
  }
}
