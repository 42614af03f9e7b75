import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Course } from './course.entity.js';

/**
 * One person's result in a targeted-mail drill (標的型メール訓練), imported from Gophish's campaign
 * results or a plain CSV: whether the mail was sent, opened, its link clicked, data submitted, and
 * whether they reported it. Credited to the department they were in at the import.
 */
@Entity('mail_drill_results')
@Index('uq_mail_drill_results', ['courseId', 'staffId'], { unique: true })
/** the targeted-mail report rate (indicators) reads a year's drills' results from this index alone */
@Index('ix_mail_drill_results_figures', ['organizationId', 'courseId', 'createdAt', 'sent', 'reported', 'clicked'])
export class MailDrillResult extends OrganizationScopedEntity {
  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<Course>;

  @Index()
  @Column('uuid')
  staffId!: string;

  @Column({ type: 'uuid', nullable: true })
  departmentId!: string | null;

  @Column({ type: 'boolean', default: false })
  sent!: boolean;

  @Column({ type: 'boolean', default: false })
  opened!: boolean;

  @Column({ type: 'boolean', default: false })
  clicked!: boolean;

  @Column({ type: 'boolean', default: false })
  submittedData!: boolean;

  @Column({ type: 'boolean', default: false })
  reported!: boolean;

  @Column({ type: 'uuid', nullable: true })
  importedById!: string | null;
}
