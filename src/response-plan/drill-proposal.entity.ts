import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A proposal made from a drill to change one step of the drill's scenario (its target or its
 * wording). It enters the plan's draft at once, as a new draft revision of the scenario.
 */
@Entity('drill_proposals')
@Index('ix_drill_proposals_drill', ['organizationId', 'drillId', 'createdAt'])
export class DrillProposal extends OrganizationScopedEntity {
  @Column('uuid')
  drillId!: string;

  @Column('uuid')
  scenarioId!: string;

  /** the step's position (1, 2, …) in the scenario's playbook */
  @Column({ type: 'int' })
  position!: number;

  /** the proposed target minutes (null: unchanged) */
  @Column({ type: 'int', nullable: true })
  targetMinutes!: number | null;

  /** the proposed wording (null: unchanged) */
  @Column({ type: 'text', nullable: true })
  action!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column('uuid')
  proposedBy!: string;

  /** the plan version (the draft) the proposal entered */
  @Column({ type: 'int' })
  planVersion!: number;

  /** the scenario revision the proposal wrote */
  @Column({ type: 'int' })
  scenarioRevision!: number;
}
