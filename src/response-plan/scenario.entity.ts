import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A scenario of the emergency response plan (想定シナリオ), loaded from
 * `policies/response-plan/scenarios/<key>.yaml`: what it covers (incident categories) and its
 * playbook. A changed file (or a playbook edited in the app) makes a new revision; its steps are
 * kept per revision, so a drill's record or an incident's tasks keep pointing at the steps they
 * were made from. The first revision is in force at once; later ones when the CISO approves the
 * plan version that names them.
 */
@Entity('response_scenarios')
@Index('uq_response_scenarios_key', ['organizationId', 'key'], { unique: true })
export class Scenario extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  titleEn!: string | null;

  /** the incident categories it covers: triage of such an incident offers its steps as tasks */
  @Column({ type: 'varchar', array: true, default: () => "'{}'" })
  categories!: string[];

  @Column({ type: 'text', default: '' })
  summary!: string;

  @Column({ type: 'text', nullable: true })
  summaryEn!: string | null;

  /** the revision in force (1, 2, …): its steps are the playbook */
  @Column({ type: 'int', default: 1 })
  revision!: number;

  /** the newest revision written (a draft awaiting the plan's approval, or the one in force) */
  @Column({ type: 'int', default: 1 })
  latestRevision!: number;

  /** sha256 (hex) of the file's content, to detect changes */
  @Column({ type: 'char', length: 64 })
  contentHash!: string;

  /** set when the file disappeared; scenarios are never deleted */
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}

/** One step of a scenario's playbook (対応手順) in one revision. */
@Entity('playbook_steps')
@Index('uq_playbook_steps', ['scenarioId', 'revision', 'position'], { unique: true })
export class PlaybookStep extends OrganizationScopedEntity {
  @Column('uuid')
  scenarioId!: string;

  @Column({ type: 'int' })
  revision!: number;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'varchar', length: 20 })
  phase!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  actionEn!: string | null;

  /** the role responsible */
  @Column({ type: 'varchar', length: 32 })
  role!: string;

  /** minutes from the start by which it should be done */
  @Column({ type: 'int' })
  targetMinutes!: number;

  /** what to report to whom at this step */
  @Column({ type: 'jsonb', nullable: true })
  report!: { to: string; toEn?: string | null; what: string; whatEn?: string | null } | null;
}
