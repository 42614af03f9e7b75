import { CreateDateColumn, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Column, UpdateDateColumn, type Relation } from 'typeorm';
import { Organization } from '../organizations/organization.entity.js';

/**
 * Base of every record (DESIGN.md §4): a UUID, the organisation it belongs to, and its times.
 * Services always filter on `organizationId` taken from the signed-in person.
 */
export abstract class OrganizationScopedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  organizationId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
