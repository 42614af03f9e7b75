/**
 * What no API body may carry: sign-in internals (lockout counters, password and token hashes,
 * second-factor secrets) and where evidence files are stored. Used by the response contract that
 * createTestApp installs (every body of every e2e test) and by test/e2e/api-contract.e2e-spec.ts.
 */
export const INTERNAL_KEYS: ReadonlySet<string> = new Set([
  'failedLoginCount',
  'lockedUntil',
  'passwordHash',
  'totpSecret',
  'totpPendingSecret',
  'totpLastStep',
  'tokenHash',
  'codeHash',
  'storagePath',
]);

/** Fields the audit trail records only as "[redacted]" (audit-trail.writer.ts). */
const REDACTED_IN_AUDIT_TRAIL: ReadonlySet<string> = new Set(['passwordHash', 'totpSecret', 'totpPendingSecret', 'totpLastStep', 'tokenHash', 'codeHash']);

const ARGON2 = /^\$argon2(id|i|d)\$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An audit-trail entry's `changes`: field name → {before?, after?}. */
const isFieldChangeMap = (value: unknown): value is Record<string, Record<string, unknown>> =>
  isObject(value) && Object.values(value).every((change) => isObject(change) && Object.keys(change).every((k) => k === 'before' || k === 'after'));

/**
 * Where `body` shows an internal: a key of INTERNAL_KEYS, an argon2 hash, or one of `secrets` (the
 * stored hashes and sealed secrets of the test's database), as `$.path: what`. Two places may name
 * an internal field, by design:
 * - the ACCOUNT_LOCKED problem says until when (`lockedUntil` at its top level);
 * - an audit-trail entry records which fields changed (`changes.lockedUntil` is the record of a
 *   lockout), with the values of secrets redacted.
 */
export function findInternals(body: unknown, secrets: readonly string[] = []): string[] {
  const found: string[] = [];
  const known = secrets.filter((s) => s.length >= 16);
  const walk = (value: unknown, path: string, parentKey: string | null): void => {
    if (typeof value === 'string') {
      if (ARGON2.test(value)) found.push(`${path}: an argon2 password hash`);
      else if (known.some((secret) => value.includes(secret))) found.push(`${path}: a stored hash or secret`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, null));
      return;
    }
    if (!isObject(value)) return;
    const auditChanges = parentKey === 'changes' && isFieldChangeMap(value);
    for (const [key, child] of Object.entries(value)) {
      const at = `${path}.${key}`;
      if (INTERNAL_KEYS.has(key)) {
        const lockedProblem = path === '$' && key === 'lockedUntil' && value.code === 'ACCOUNT_LOCKED';
        if (auditChanges) {
          const change = child as Record<string, unknown>;
          if (REDACTED_IN_AUDIT_TRAIL.has(key) && Object.values(change).some((v) => v !== '[redacted]' && v !== null)) found.push(`${at}: not redacted`);
        } else if (!lockedProblem) {
          found.push(`${at}: internal field`);
        }
      }
      walk(child, at, key);
    }
  };
  walk(body, '$', null);
  return found;
}
