import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { MamoriConfig } from '../config/configuration.js';
import { deriveKey, openWithAny, randomToken, seal, secretKeyRing, sha256 } from '../common/secrets.js';

const PERIOD = 30;
const ISSUER = 'Mamori';

export interface TotpEnrolment {
  otpauthUri: string;
  /** PNG of the otpauth URI as a data: URL, for the page */
  qrDataUrl: string;
}

/** TOTP (RFC 6238): secrets sealed at rest, each time step accepted once. */
@Injectable()
export class TotpService {
  private readonly key: Buffer;
  /** the current key first, then the previous ones: a secret sealed before a key rotation still opens */
  private readonly keys: Buffer[];

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.keys = secretKeyRing(config.get('auth', { infer: true })).map((secretKey) => deriveKey(secretKey, 'totp-secret'));
    this.key = this.keys[0]!;
  }

  newSecret(): { base32: string; sealed: string } {
    const base32 = new Secret({ size: 20 }).base32;
    return { base32, sealed: this.sealSecret(base32) };
  }

  sealSecret(base32: string): string {
    return seal(this.key, base32);
  }

  reveal(sealed: string): string {
    return openWithAny(this.keys, sealed);
  }

  otpauthUri(base32: string, account: string): string {
    return this.totp(base32, account).toString();
  }

  async enrolment(sealed: string, account: string): Promise<TotpEnrolment> {
    const otpauthUri = this.otpauthUri(this.reveal(sealed), account);
    return { otpauthUri, qrDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 220 }) };
  }

  /** The time step the code belongs to (±1 step of drift), or null when it is wrong or already used. */
  verify(sealed: string, code: string, lastStep: number | null, now = Date.now()): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const delta = this.totp(this.reveal(sealed), 'x').validate({ token: code, window: 1, timestamp: now });
    if (delta === null) return null;
    const step = Math.floor(now / 1000 / PERIOD) + delta;
    return lastStep !== null && step <= lastStep ? null : step;
  }

  /** Ten one-time recovery codes (shown once) and their hashes (stored). */
  recoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: 10 }, () => {
      const raw = randomToken(8).replace(/[-_]/g, 'x').slice(0, 10).toLowerCase();
      return `${raw.slice(0, 5)}-${raw.slice(5, 10)}`;
    });
    return { codes, hashes: codes.map((code) => sha256(code)) };
  }

  private totp(base32: string, account: string): TOTP {
    return new TOTP({ issuer: ISSUER, label: account, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(base32) });
  }
}

/** A current code for a secret (used by tests, seeds' documentation and the CLI). */
export function currentTotp(base32: string, timestamp = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(base32), period: PERIOD, digits: 6, algorithm: 'SHA1' }).generate({ timestamp });
}
