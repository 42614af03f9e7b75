import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import type { Framework } from './control.entity.js';

/**
 * One requirement of an external framework (an ISO/IEC 27001:2022 Annex A control, a NIST CSF 2.0
 * subcategory), loaded from `policies/frameworks/`: the denominators of the coverage figures.
 */
@Entity('framework_items')
@Index('uq_framework_items_code', ['organizationId', 'framework', 'code'], { unique: true })
export class FrameworkItem extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 16 })
  framework!: Framework;

  /** e.g. `A.5.1`, `GV.OC-01` */
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  /** ISO theme (organizational, people, physical, technological) or CSF category (GV.OC) */
  @Column({ type: 'varchar', length: 32 })
  groupCode!: string;
}
