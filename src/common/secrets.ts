import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A key for one purpose, derived from the deployment's SECRET_KEY. */
export function deriveKey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'mamori', purpose, 32));
}

/** The deployment's keys, newest first: SECRET_KEY, then PREVIOUS_SECRET_KEYS (each once). */
export function secretKeyRing(auth: { secretKey: string; previousSecretKeys?: readonly string[] }): string[] {
  return [...new Set([auth.secretKey, ...(auth.previousSecretKeys ?? [])])];
}

/** AES-256-GCM; output `iv.tag.ciphertext` in base64url. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

export function open(key: Buffer, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

/** Opens what any of the keys sealed, trying them in order (the current key first); throws when none can. */
export function openWithAny(keys: readonly Buffer[], sealed: string): string {
  let failure: unknown = new Error('no key to open with');
  for (const key of keys) {
    try {
      return open(key, sealed);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
