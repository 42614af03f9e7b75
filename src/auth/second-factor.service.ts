import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { sha256 } from '../common/secrets.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Staff } from '../staff/staff.entity.js';
import { AUTH } from './auth.permissions.js';
import type { LoginResultDto } from './dto/login.dto.js';
import { RecoveryCode } from './recovery-code.entity.js';
import { TotpService } from './totp.service.js';

/** The staff columns the second factor reads (secrets are not selected by default). */
type SecondFactorFields = Pick<Staff, 'id' | 'organizationId' | 'email' | 'totpSecret' | 'totpConfirmedAt' | 'totpLastStep'>;

/**
 * The second factor (TOTP and one-time recovery codes): enrolling an authenticator app from a
 * signed-in session, and, inside a sign-in's transaction, asking for a code and checking it.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly totp: TotpService,
  ) {}

  /**
   * Starts enrolment of an authenticator app (a first one, or a replacement). The new secret waits
   * in `totpPendingSecret`: the factor in force stays in force until `confirmEnrolment`. Replacing a
   * confirmed factor needs a session opened with it.
   */
  async startEnrolment(actor: Actor): Promise<{ otpauthUri: string; qrDataUrl: string }> {
    assertMay(actor, AUTH.own_session);
    return this.uow.run(actor, async (tx) => {
      const staff = await tx.manager
        .getRepository(Staff)
        .findOneOrFail({ where: { id: actor.staffId!, organizationId: actor.organizationId }, select: { id: true, email: true, totpConfirmedAt: true } });
      if (staff.totpConfirmedAt && !actor.mfa) throw new AppException('SECOND_FACTOR_SESSION_REQUIRED');
      const secret = this.totp.newSecret();
      await tx.manager.update(Staff, { id: staff.id }, { totpPendingSecret: secret.sealed });
      await tx.audit({ action: 'auth.totp_enrolment_started', entityType: 'staff', entityId: staff.id });
      return this.totp.enrolment(secret.sealed, staff.email);
    });
  }

  /** Confirms the pending secret with a current code: it replaces the old one; new recovery codes. */
  async confirmEnrolment(actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
    assertMay(actor, AUTH.own_session);
    const outcome = await this.uow.run(actor, async (tx) => {
      const staff = await tx.manager.getRepository(Staff).findOneOrFail({
        where: { id: actor.staffId!, organizationId: actor.organizationId },
        select: { id: true, organizationId: true, totpPendingSecret: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!staff.totpPendingSecret) return { error: new AppException('SECOND_FACTOR_NOT_PENDING') };
      const step = this.totp.verify(staff.totpPendingSecret, code, null);
      if (step === null) {
        await tx.audit({ action: 'auth.totp_confirm_failed', entityType: 'staff', entityId: staff.id });
        return { error: new AppException('INVALID_SECOND_FACTOR') };
      }
      await tx.manager.update(Staff, { id: staff.id }, { totpSecret: staff.totpPendingSecret, totpPendingSecret: null });
      return { recoveryCodes: await this.confirm(tx, staff, step) };
    });
    if ('error' in outcome && outcome.error) throw outcome.error;
    return { recoveryCodes: outcome.recoveryCodes as string[] };
  }

  /** Inside a sign-in whose password was right: asks for the code, with the enrolment when there is no confirmed factor yet. */
  async prompt(tx: Transaction, staff: SecondFactorFields): Promise<LoginResultDto> {
    if (staff.totpConfirmedAt && staff.totpSecret) return { mfaRequired: true };
    let sealed = staff.totpSecret;
    if (!sealed) {
      sealed = this.totp.newSecret().sealed;
      await tx.manager.update(Staff, { id: staff.id }, { totpSecret: sealed });
      await tx.audit({ action: 'auth.totp_enrolment_started', entityType: 'staff', entityId: staff.id });
    }
    return { mfaRequired: true, enrolment: await this.totp.enrolment(sealed, staff.email) };
  }

  /**
   * Inside a sign-in: a current TOTP code (each time step once; the first one confirms the enrolment
   * and returns recovery codes) or an unused recovery code.
   */
  async check(tx: Transaction, staff: SecondFactorFields, code: string): Promise<{ ok: boolean; recoveryCodes?: string[] }> {
    if (!staff.totpSecret) return { ok: false };
    const lastStep = staff.totpLastStep === null ? null : Number(staff.totpLastStep);
    const step = this.totp.verify(staff.totpSecret, code, lastStep);
    if (step !== null) {
      if (!staff.totpConfirmedAt) return { ok: true, recoveryCodes: await this.confirm(tx, staff, step) };
      await tx.manager.update(Staff, { id: staff.id }, { totpLastStep: String(step) });
      return { ok: true };
    }
    if (!staff.totpConfirmedAt || !/^[a-z0-9]{5}-[a-z0-9]{5}$/.test(code)) return { ok: false };
    const used = await tx.manager.getRepository(RecoveryCode).update({ staffId: staff.id, codeHash: sha256(code), usedAt: IsNull() }, { usedAt: new Date() });
    if (!used.affected) return { ok: false };
    await tx.audit({ action: 'auth.recovery_code_used', entityType: 'staff', entityId: staff.id });
    return { ok: true };
  }

  /** The factor is confirmed at `step`: new recovery codes replace the old ones. */
  private async confirm(tx: Transaction, staff: Pick<Staff, 'id' | 'organizationId'>, step: number): Promise<string[]> {
    const confirmedAt = new Date();
    await tx.manager.update(Staff, { id: staff.id }, { totpConfirmedAt: confirmedAt, totpLastStep: String(step) });
    await tx.manager.delete(RecoveryCode, { staffId: staff.id });
    const { codes, hashes } = this.totp.recoveryCodes();
    await tx.manager.insert(
      RecoveryCode,
      hashes.map((codeHash) => ({ organizationId: staff.organizationId, staffId: staff.id, codeHash })),
    );
    await tx.audit({
      action: 'auth.totp_enrolled',
      entityType: 'staff',
      entityId: staff.id,
      before: { totpConfirmedAt: null },
      after: { totpConfirmedAt: confirmedAt },
    });
    return codes;
  }
}
