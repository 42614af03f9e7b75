import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * The acknowledgement number (受付番号) a resident gets for a report from the public page, e.g.
 * `RCV-2022-0007`: a gapless series of its own per organisation and fiscal year, so that it says
 * nothing of the internal reference (INC-…) nor of how many incidents the town has. Given in the
 * report's own transaction; one per incident, unique per organisation (the desk finds the report by
 * it when the resident telephones).
 *
 * A table of its own rather than a column of `incidents`: only residents' reports have one, and the
 * incident row stays as the core wrote it.
 */
@Entity('resident_acknowledgements')
@Index('uq_resident_acknowledgements_number', ['organizationId', 'number'], { unique: true })
@Index('uq_resident_acknowledgements_incident', ['incidentId'], { unique: true })
export class ResidentAcknowledgement extends OrganizationScopedEntity {
  @Column('uuid')
  incidentId!: string;

  @Column({ type: 'varchar', length: 20 })
  number!: string;

  @Column({ type: 'int' })
  fiscalYear!: number;
}
