import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppException } from '../common/errors/app.exception.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * EVIDENCE_DIR, where evidence files (control evidence, incident attachments) are kept under their
 * SHA-256 when the bytes are not stored in PostgreSQL. Writes the bytes once (atomic rename) and
 * returns the path relative to the folder.
 */
export async function writeToEvidenceFolder(dir: string, sha256: string, bytes: Buffer): Promise<string> {
  const target = join(dir, sha256);
  if (existsSync(target)) return sha256;
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes, { flag: 'wx', mode: 0o640 });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return sha256;
}

/** The bytes kept in the folder under `storagePath`; null when they are missing (or the path is not one Mamori wrote). */
export async function readFromEvidenceFolder(dir: string | undefined, storagePath: string): Promise<Buffer | null> {
  if (!dir) throw new AppException('EVIDENCE_CONTENT_UNAVAILABLE', 'The file is kept in EVIDENCE_DIR, which is not set');
  if (!SHA256_HEX.test(storagePath)) return null;
  try {
    return await readFile(join(dir, storagePath));
  } catch {
    return null;
  }
}
