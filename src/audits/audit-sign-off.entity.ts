import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A department manager's sign-off of their department's part of a self-inspection (課長確認): given
 * when every item of the department is answered; the security office sees who has signed.
 */
@Entity('audit_sign_offs')
@Index('uq_audit_sign_offs', ['auditId', 'departmentId'], { unique: true })
export class AuditSignOff extends OrganizationScopedEntity {
  @Column('uuid')
  auditId!: string;

  @Column('uuid')
  departmentId!: string;

  @Column('uuid')
  signedById!: string;

  @Column({ type: 'timestamptz' })
  signedAt!: Date;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
