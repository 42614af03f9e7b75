import { Column, Entity, Index } from 'typeorm';
import type { Role } from '../common/roles.js';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** How a level tells its recipients. */
export const ESCALATION_CHANNELS = ['in_app', 'email', 'webhook'] as const;
export type EscalationChannel = (typeof ESCALATION_CHANNELS)[number];

/**
 * What an escalation policy is chosen by: a severity, or `untriaged` (a report nobody has assessed
 * yet). Never L0: an event or near miss is recorded only (DOMAIN.md), nobody is paged for it.
 */
export const ESCALATION_TRIGGERS = ['untriaged', 'L1', 'L2', 'L3'] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

/** Who a level tells: roles, named people, and/or the reporter's manager (the head of the reporter's department). */
export interface EscalationRecipients {
  roles?: Role[];
  staffIds?: string[];
  reporterManager?: boolean;
}

/** One level of a policy: whom to tell, how, how often, and how long to wait for an acknowledgement. */
export interface EscalationLevel {
  recipients: EscalationRecipients;
  channels: EscalationChannel[];
  /** minutes without acknowledgement before the next attempt or level */
  timeoutMinutes: number;
  /** how many times the level is told before climbing (1: once) */
  repeat: number;
}

/**
 * An escalation policy (エスカレーション・連絡体制): the ordered levels a climb goes through, chosen by
 * severity. Seeded from `policies/escalation.yaml` and edited in the app by the security office; a
 * climb runs on a snapshot taken when it starts.
 */
@Entity('escalation_policies')
@Index('uq_escalation_policies_key', ['organizationId', 'key'], { unique: true })
export class EscalationPolicy extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 60 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  nameEn!: string | null;

  /** the severities (and/or `untriaged`) this policy is chosen for; one policy per trigger */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  triggers!: EscalationTrigger[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  levels!: EscalationLevel[];

  /** where the webhook channel posts (Teams, Slack, LINE WORKS incoming webhooks take JSON) */
  @Column({ type: 'varchar', length: 500, nullable: true })
  webhookUrl!: string | null;

  /** bumped by each edit; a climb's snapshot names the revision it runs on */
  @Column({ type: 'int', default: 1 })
  revision!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
