import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import type { Staff } from './staff.entity.js';

/** 課・室: an organisational unit; may have a parent and a head. A department is closed, never deleted: its history stays. */
@Entity('departments')
@Index('uq_departments_code', ['organizationId', 'code'], { unique: true })
export class Department extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  nameEn!: string | null;

  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<Department> | null;

  /** 課長・室長: the staff member who heads it (the entity is named by string: Staff refers to Department) */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  headId!: string | null;

  @ManyToOne('Staff', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'head_id' })
  head?: Relation<Staff> | null;

  /** the day it was closed (廃止); null while it is open */
  @Column({ type: 'date', nullable: true })
  closedOn!: string | null;
}
