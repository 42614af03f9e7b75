import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { AuthSession } from './auth-session.entity.js';

/** A refresh token, stored as its SHA-256. Each use replaces it; a second use after the grace revokes the session. */
@Entity('refresh_tokens')
export class RefreshToken extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  sessionId!: string;

  @ManyToOne(() => AuthSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: Relation<AuthSession>;

  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  /** when the pair was issued: the access token of the pair is signed with this time, so it can be made again */
  @Column({ type: 'timestamptz', nullable: true })
  issuedAt!: Date | null;

  /**
   * The token this one was exchanged for. Presented again within the grace (two tabs), the same
   * successor pair is answered again: its secret is derived from this token's, nothing secret is kept.
   */
  @Column({ type: 'uuid', nullable: true })
  replacedById!: string | null;
}
