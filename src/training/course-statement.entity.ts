import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Course } from './course.entity.js';

/**
 * One version of a course's acknowledgement statement (誓約文). A completion records the version it
 * signed, so the text a person agreed to can always be shown, even after the statement changed.
 */
@Entity('course_statements')
@Index('uq_course_statements', ['courseId', 'version'], { unique: true })
export class CourseStatement extends OrganizationScopedEntity {
  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<Course>;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text', nullable: true })
  textEn!: string | null;
}
