import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** What a timeline entry records. */
export const TIMELINE_KINDS = [
  'reported',
  'transition',
  'triage',
  'severity_changed',
  'assigned',
  'note',
  'action',
  'contact',
  'task',
  'escalation',
  'notification',
  'acknowledgement',
  'external_report',
  'review',
  'attachment',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/**
 * One entry of an incident's timeline (時系列記録). Append-only: the database refuses UPDATE and
 * DELETE (a trigger, and the app role has neither privilege), so what was written stays written;
 * a correction is a new entry.
 */
@Entity('incident_timeline')
@Index('ix_incident_timeline_incident', ['incidentId', 'at'])
export class IncidentTimelineEntry extends OrganizationScopedEntity {
  @Column('uuid')
  incidentId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'varchar', length: 20 })
  kind!: TimelineKind;

  /** who wrote it (null: Mamori itself, e.g. an escalation) */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** the actor's label when written (an e-mail address, or system:…) */
  @Column({ type: 'varchar', length: 254 })
  actorLabel!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  toStatus!: string | null;

  /** the reason, the note, what was done, whom was contacted */
  @Column({ type: 'text', nullable: true })
  text!: string | null;

  /** the facts of the entry (severity before/after, the task, the level, the recipients …) */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;
}
