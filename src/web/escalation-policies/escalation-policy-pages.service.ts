import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import type { FieldError } from '../../common/errors/app.exception.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { ESCALATION_LIMITS, ESCALATION_ROLES, normalizedLevel, type CreateEscalationPolicyDto } from '../../incidents/escalation-policies.dto.js';
import { EscalationPoliciesService } from '../../incidents/escalation-policies.service.js';
import { ESCALATION_CHANNELS, ESCALATION_TRIGGERS, type EscalationPolicy } from '../../incidents/escalation-policy.entity.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import type { FormErrors } from '../forms/form-error.js';
import { fullName } from '../viewer.service.js';
import { LEVEL_ROWS_MAX, type EscalationPolicyForm } from './escalation-policy-page.dto.js';

/** The name of the policy form (its `formField.escalationPolicy.*` messages). */
export const POLICY_FORM = 'escalationPolicy';

/** Empty level rows a form offers below the levels a policy has (without JavaScript the rows are fixed). */
const SPARE_ROWS = 2;
const MIN_ROWS = 3;

export const policyPath = (id: string): string => `/escalation-policies/${id}`;

/** One level row of the form, as typed: the checkboxes by row, the text as it was. */
interface LevelInput {
  roles: string[];
  reporterManager: boolean;
  staffEmails: string;
  channels: string[];
  timeoutMinutes: string;
  repeat: string;
}

const list = (value: unknown): string[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const blankRow = (row: LevelInput): boolean =>
  row.roles.length === 0 && !row.reporterManager && !row.staffEmails.trim() && row.channels.length === 0 && !row.timeoutMinutes.trim() && !row.repeat.trim();

/** `3:csirt` → [3, 'csirt'] (a checkbox of row 3). */
function byRow(values: string[]): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const value of values) {
    const m = /^(\d{1,2}):(.+)$/.exec(value);
    if (!m) continue;
    const row = Number(m[1]);
    rows.set(row, [...(rows.get(row) ?? []), m[2]!]);
  }
  return rows;
}

/** The level rows a form (or a refused form's body) sent, in order. */
export function levelInputs(
  form: Pick<EscalationPolicyForm, 'roles' | 'reporterManager' | 'staffEmails' | 'channels' | 'timeoutMinutes' | 'repeat'> | Record<string, unknown>,
): LevelInput[] {
  const f = form as Record<string, unknown>;
  const roles = byRow(list(f.roles));
  const channels = byRow(list(f.channels));
  const managers = new Set(list(f.reporterManager).map(Number));
  const [timeouts, repeats, emails] = [list(f.timeoutMinutes), list(f.repeat), list(f.staffEmails)];
  const count = Math.min(
    LEVEL_ROWS_MAX,
    Math.max(timeouts.length, repeats.length, emails.length, ...[...roles.keys(), ...channels.keys(), ...managers].map((row) => row + 1), 0),
  );
  return Array.from({ length: count }, (_, i) => ({
    roles: roles.get(i) ?? [],
    reporterManager: managers.has(i),
    staffEmails: emails[i] ?? '',
    channels: channels.get(i) ?? [],
    timeoutMinutes: timeouts[i] ?? '',
    repeat: repeats[i] ?? '',
  }));
}

/** A number typed in a text field: full-width digits read, blank is none (the check names it). */
const typedNumber = (value: string): number | undefined => {
  const typed = value.normalize('NFKC').trim();
  return typed === '' ? undefined : Number(typed);
};

/** Addresses typed one per line (or separated by commas or spaces). */
const addresses = (value: string): string[] => [
  ...new Set(
    value
      .normalize('NFKC')
      .split(/[\s,、，]+/)
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean),
  ),
];

/**
 * エスカレーション方針: the data of the security office's pages of escalation policies (the list,
 * a policy, the form), and what the form sends, turned into the API's body.
 */
@Injectable()
export class EscalationPolicyPagesService {
  constructor(
    private readonly policies: EscalationPoliciesService,
    private readonly uow: UnitOfWork,
  ) {}

  async list(actor: Actor): Promise<object> {
    const policies = await this.policies.list(actor);
    return {
      title: 'escalationPolicies.title',
      canManage: may(actor, INCIDENTS.manage_escalation_policies),
      rows: policies.map((policy) => ({
        href: policyPath(policy.id),
        name: policy.name,
        nameEn: policy.nameEn,
        key: policy.key,
        triggers: policy.triggers,
        levels: policy.levels.length,
        revision: policy.revision,
        active: policy.active,
      })),
    };
  }

  async policy(actor: Actor, id: string): Promise<object> {
    const policy = await this.policies.get(actor, id);
    const manager = may(actor, INCIDENTS.manage_escalation_policies);
    const people = await this.people(
      actor,
      policy.levels.flatMap((level) => level.recipients.staffIds ?? []),
    );
    return {
      title: 'escalationPolicy.title',
      titleDetail: { ja: policy.name, en: policy.nameEn ?? policy.name },
      canManage: manager,
      policy: {
        ...policy,
        href: policyPath(policy.id),
        webhookUrl: manager ? policy.webhookUrl : null,
        hasWebhook: policy.webhookUrl !== null,
        levels: policy.levels.map((level, i) => {
          const normal = normalizedLevel(level);
          return {
            n: i + 1,
            roles: normal.recipients.roles,
            people: (normal.recipients.staffIds ?? []).map((staffId) => people.get(staffId) ?? { name: staffId, email: '' }),
            reporterManager: normal.recipients.reporterManager,
            channels: normal.channels,
            timeoutMinutes: normal.timeoutMinutes,
            repeat: normal.repeat,
          };
        }),
      },
    };
  }

  async newForm(actor: Actor, formErrors?: FormErrors): Promise<object> {
    const policies = await this.policies.list(actor);
    const submitted = formErrors?.form === POLICY_FORM ? formErrors.submitted : null;
    return {
      title: 'escalationPolicyForm.newTitle',
      action: '/escalation-policies/new',
      back: '/escalation-policies',
      ...this.form(submitted, null, policies, new Map()),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async editForm(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const policy = await this.policies.get(actor, id);
    const policies = await this.policies.list(actor);
    const submitted = formErrors?.form === POLICY_FORM ? formErrors.submitted : null;
    const emails = new Map(
      [
        ...(await this.people(
          actor,
          policy.levels.flatMap((level) => level.recipients.staffIds ?? []),
        )),
      ].map(([key, p]) => [key, p.email]),
    );
    return {
      title: 'escalationPolicyForm.editTitle',
      titleDetail: { ja: policy.name, en: policy.nameEn ?? policy.name },
      action: `${policyPath(id)}/edit`,
      back: policyPath(id),
      policy,
      ...this.form(submitted, policy, policies, emails),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async create(actor: Actor, form: EscalationPolicyForm): Promise<EscalationPolicy> {
    const { body, unknown } = await this.bodyOf(actor, form);
    return this.policies.create(actor, { ...body, key: (form.key ?? '').trim() } as CreateEscalationPolicyDto, unknown);
  }

  async update(actor: Actor, id: string, form: EscalationPolicyForm): Promise<EscalationPolicy> {
    const { body, unknown } = await this.bodyOf(actor, form);
    return this.policies.update(actor, id, body, unknown);
  }

  /**
   * The API's body of what the form sent: the rows up to the last one filled in (a blank row
   * between two levels is a level without anything, which the check names), people by address.
   */
  private async bodyOf(actor: Actor, form: EscalationPolicyForm): Promise<{ body: Omit<CreateEscalationPolicyDto, 'key'>; unknown: FieldError[] }> {
    const rows = levelInputs(form);
    let last = rows.length - 1;
    while (last >= 0 && blankRow(rows[last]!)) last--;
    const typed = rows.slice(0, last + 1);
    const wanted = [...new Set(typed.flatMap((row) => addresses(row.staffEmails)))];
    const found = wanted.length
      ? ((await this.uow.manager.query(
          `SELECT id, lower(email) AS email FROM staff WHERE organization_id = $1 AND lower(email) = ANY($2::text[]) AND status = 'active'`,
          [actor.organizationId, wanted],
        )) as { id: string; email: string }[])
      : [];
    const idOf = new Map(found.map((row) => [row.email, row.id]));
    const unknown: FieldError[] = [];
    const levels = typed.map((row, i) => {
      const emails = addresses(row.staffEmails);
      const missing = emails.filter((email) => !idOf.has(email));
      if (missing.length) unknown.push({ field: `levels.${i}.recipients.staffIds`, messages: [`not active members of staff: ${missing.join(', ')}`] });
      return {
        recipients: { roles: row.roles as never, staffIds: emails.flatMap((email) => idOf.get(email) ?? []), reporterManager: row.reporterManager },
        channels: row.channels as never,
        timeoutMinutes: typedNumber(row.timeoutMinutes) as number,
        repeat: typedNumber(row.repeat) as number,
      };
    });
    const blankToNull = (value: string | undefined): string | null => (value?.trim() ? value.trim() : null);
    // the addresses not found are refused with every other mistake of the form, by the service's check
    return {
      body: {
        name: (form.name ?? '').trim(),
        nameEn: blankToNull(form.nameEn),
        triggers: form.triggers as never,
        levels,
        webhookUrl: blankToNull(form.webhookUrl),
        active: form.active === '1',
      },
      unknown,
    };
  }

  /** The form's fields: what a refused form sent, else the policy's (a new one: empty rows, active). */
  private form(submitted: Record<string, unknown> | null, policy: EscalationPolicy | null, all: EscalationPolicy[], emails: Map<string, string>): object {
    const inputs: LevelInput[] = submitted
      ? levelInputs(submitted)
      : (policy?.levels ?? []).map((level) => {
          const normal = normalizedLevel(level);
          return {
            roles: normal.recipients.roles ?? [],
            reporterManager: normal.recipients.reporterManager === true,
            staffEmails: (normal.recipients.staffIds ?? []).map((id) => emails.get(id) ?? '').join('\n'),
            channels: normal.channels,
            timeoutMinutes: String(normal.timeoutMinutes),
            repeat: String(normal.repeat),
          };
        });
    const rows = Math.min(LEVEL_ROWS_MAX, Math.max(inputs.length + (submitted ? 0 : SPARE_ROWS), MIN_ROWS));
    while (inputs.length < rows) inputs.push({ roles: [], reporterManager: false, staffEmails: '', channels: [], timeoutMinutes: '', repeat: '' });
    const values = submitted
      ? {
          key: text(submitted.key),
          name: text(submitted.name),
          nameEn: text(submitted.nameEn),
          webhookUrl: text(submitted.webhookUrl),
          active: submitted.active === '1',
        }
      : { key: '', name: policy?.name ?? '', nameEn: policy?.nameEn ?? '', webhookUrl: policy?.webhookUrl ?? '', active: policy?.active ?? true };
    const triggers = submitted ? list(submitted.triggers) : (policy?.triggers ?? []);
    return {
      values,
      isNew: policy === null,
      limits: ESCALATION_LIMITS,
      triggers: ESCALATION_TRIGGERS.map((value) => {
        const holder = all.find((other) => other.active && other.id !== policy?.id && other.triggers.includes(value));
        return { value, checked: triggers.includes(value), takenBy: holder ? { name: holder.name, nameEn: holder.nameEn } : null };
      }),
      levels: inputs.map((row, i) => ({
        index: i,
        n: i + 1,
        roles: ESCALATION_ROLES.map((value) => ({ value, checked: row.roles.includes(value) })),
        reporterManager: row.reporterManager,
        staffEmails: row.staffEmails,
        channels: ESCALATION_CHANNELS.map((value) => ({ value, checked: row.channels.includes(value) })),
        timeoutMinutes: row.timeoutMinutes,
        repeat: row.repeat,
      })),
    };
  }

  /** Names and addresses of the people a policy names. */
  private async people(actor: Actor, ids: string[]): Promise<Map<string, { name: string; email: string }>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.uow.manager.query(
      `SELECT id, family_name AS "familyName", given_name AS "givenName", email FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [actor.organizationId, [...new Set(ids)]],
    )) as { id: string; familyName: string; givenName: string; email: string }[];
    return new Map(rows.map((row) => [row.id, { name: fullName(row), email: row.email }]));
  }
}
