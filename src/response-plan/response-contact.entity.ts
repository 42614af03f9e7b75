import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

export const CONTACT_KINDS = ['prefecture', 'ministry', 'police', 'commission', 'vendor', 'cloud_operator', 'other'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** An outside contact of the emergency response plan (the prefecture, police, vendors …), loaded from `policies/response-plan/contacts.yaml`. */
@Entity('response_contacts')
@Index('uq_response_contacts_key', ['organizationId', 'key'], { unique: true })
export class ResponseContact extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  nameEn!: string | null;

  @Column({ type: 'varchar', length: 20 })
  kind!: ContactKind;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone!: string | null;

  /** shown only to those the plan names (the CISO, the security office, the CSIRT) */
  @Column({ type: 'varchar', length: 40, nullable: true })
  outOfHoursPhone!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'int', default: 0 })
  position!: number;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
