import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Enrolment } from './enrolment.entity.js';

/** One attempt at a course's quiz: the answers given, the score in percent, whether it passed. */
@Entity('quiz_attempts')
@Index('uq_quiz_attempts', ['enrolmentId', 'attempt'], { unique: true })
export class QuizAttempt extends OrganizationScopedEntity {
  @Column('uuid')
  enrolmentId!: string;

  @ManyToOne(() => Enrolment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Relation<Enrolment>;

  @Column({ type: 'int' })
  attempt!: number;

  /** question id → the choice ids chosen */
  @Column({ type: 'jsonb' })
  answers!: Record<string, string[]>;

  @Column({ type: 'int' })
  score!: number;

  @Column({ type: 'boolean' })
  passed!: boolean;
}
