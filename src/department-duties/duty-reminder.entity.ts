import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Department } from '../staff/department.entity.js';
import { Staff } from '../staff/staff.entity.js';

/**
 * 催促: a reminder of their outstanding duties sent to one person, at most one a day (Asia/Tokyo)
 * whoever sends it (the unique index). Its mail goes through the outbox; `createdAt` is when it
 * was sent.
 */
@Entity('duty_reminders')
@Index('uq_duty_reminders_day', ['staffId', 'remindedOn'], { unique: true })
export class DutyReminder extends OrganizationScopedEntity {
  /** who was reminded */
  @Column('uuid')
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  /** the department whose page it was sent from */
  @Index()
  @Column('uuid')
  departmentId!: string;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  /** the day in Asia/Tokyo: one reminder per person per day */
  @Column({ type: 'date' })
  remindedOn!: string;

  /** who sent it (their manager, the security office); null for Mamori itself */
  @Column({ type: 'uuid', nullable: true })
  remindedById!: string | null;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'reminded_by_id' })
  remindedBy?: Relation<Staff> | null;

  /** how many duties were outstanding when it was sent */
  @Column({ type: 'int' })
  duties!: number;
}
