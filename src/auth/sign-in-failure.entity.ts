import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Staff } from '../staff/staff.entity.js';

/**
 * Consecutive failed sign-ins of one sign-in name (the e-mail address as typed, whether or not it
 * has an account, so the answers do not tell which addresses exist) from one client address (an
 * IPv6 address counts as its /64). From the third, the next attempt must wait (1, 2, 4 … s); at
 * LOGIN_MAX_FAILURES that address is locked out of that name for LOGIN_LOCK_MINUTES. A successful
 * sign-in from the address forgets the row. The account as a whole (Staff.failedLoginCount/lockedUntil)
 * locks only at LOGIN_ACCOUNT_MAX_FAILURES across addresses within FAILURE_MEMORY_MS (the newest
 * `lastFailedAt` of its rows is the time of its last failure), and not for addresses its holder
 * signed in from. Operational state, not a record: no organisation, nothing secret (the name is
 * kept as a keyed hash only).
 */
@Entity('sign_in_failures')
export class SignInFailure {
  /** HMAC of `email \n address` under a key derived from SECRET_KEY */
  @PrimaryColumn({ type: 'char', length: 64 })
  key!: string;

  /** the account, when the name belongs to one */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  staffId!: string | null;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<Staff>;

  /** the address of the last failure (the key counts its network) */
  @Column({ type: 'inet', nullable: true })
  clientAddress!: string | null;

  @Column({ type: 'int', default: 0 })
  failures!: number;

  @Column({ type: 'timestamptz' })
  lastFailedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
