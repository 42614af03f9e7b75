import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** The post-incident review (事後レビュー) an L2 or L3 incident needs before it is closed. */
@Entity('post_incident_reviews')
@Index('uq_post_incident_reviews_incident', ['incidentId'], { unique: true })
export class PostIncidentReview extends OrganizationScopedEntity {
  @Column('uuid')
  incidentId!: string;

  @Column({ type: 'text' })
  cause!: string;

  @Column({ type: 'text' })
  whatWorked!: string;

  @Column({ type: 'text' })
  whatDidNot!: string;

  @Column({ type: 'text' })
  lessons!: string;

  @Column({ type: 'uuid', nullable: true })
  reviewedById!: string | null;

  @Column({ type: 'timestamptz' })
  reviewedAt!: Date;
}
