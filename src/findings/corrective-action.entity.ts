import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** planned → done (the assignee) → verified, or reopened (the auditor or security office) → done … */
export const CORRECTIVE_ACTION_STATUSES = ['planned', 'done', 'verified', 'reopened'] as const;
export type CorrectiveActionStatus = (typeof CORRECTIVE_ACTION_STATUSES)[number];

/** What will be done about a finding (是正措置), by whom, by when; verified when done. */
@Entity('corrective_actions')
@Index('ix_corrective_actions_finding', ['findingId'])
@Index('ix_corrective_actions_due', ['organizationId', 'status', 'dueDate'])
@Check('ck_corrective_actions_status', `"status" IN ('planned', 'done', 'verified', 'reopened')`)
export class CorrectiveAction extends OrganizationScopedEntity {
  @Column('uuid')
  findingId!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ type: 'date' })
  dueDate!: string;

  @Column({ type: 'varchar', length: 12, default: 'planned' })
  status!: CorrectiveActionStatus;

  @Column({ type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  doneNote!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  verifiedById!: string | null;

  @Column({ type: 'text', nullable: true })
  verifyNote!: string | null;
}
