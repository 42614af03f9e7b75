import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

export const TASK_STATUSES = ['open', 'done', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The phases of a response (the playbooks' phases). */
export const RESPONSE_PHASES = ['detect', 'first_response', 'contain', 'communicate', 'recover', 'prevent_recurrence'] as const;
export type ResponsePhase = (typeof RESPONSE_PHASES)[number];

/** A task of an incident's response: by hand, or from the matching scenario's playbook step. Every change lands on the timeline. */
@Entity('incident_tasks')
@Index('ix_incident_tasks_incident', ['incidentId', 'position'])
@Check('ck_incident_tasks_status', `"status" IN ('open', 'done', 'skipped')`)
export class IncidentTask extends OrganizationScopedEntity {
  @Column('uuid')
  incidentId!: string;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phase!: ResponsePhase | null;

  /** the role responsible (from a playbook) */
  @Column({ type: 'varchar', length: 32, nullable: true })
  role!: string | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'varchar', length: 8, default: 'open' })
  status!: TaskStatus;

  @Column({ type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  doneById!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'manual' })
  source!: 'manual' | 'playbook';

  /** the playbook step it came from */
  @Column({ type: 'uuid', nullable: true })
  playbookStepId!: string | null;
}
