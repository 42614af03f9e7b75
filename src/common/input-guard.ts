import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AppException, type FieldError } from './errors/app.exception.js';

/**
 * Input no route can use, refused before any validator, service or database sees it:
 * - a NUL character (PostgreSQL cannot store it in text) or a lone UTF-16 surrogate (not text at
 *   all; validators and encoders throw on it), in any string or field name of a query string, a
 *   JSON, urlencoded or multipart body, or an uploaded file's name: 400 VALIDATION_FAILED naming
 *   each field (`title`, `items[2].name`);
 * - JSON nested deeper than MAX_JSON_DEPTH: 400 before the parsed body reaches anything recursive
 *   (class-transformer, class-validator), checked on the raw bytes without recursion.
 *
 * The JSON depth is checked by the body parser's `verify` hook (`verifyJsonDepth`); the strings by
 * `InputGuardPipe`, the first global pipe, which sees every body (also multipart, parsed by the
 * route's interceptor), query, path parameter and uploaded file of every route, the pages' included.
 */

/** Deeper than any body Mamori takes (its deepest DTO has 3 levels). */
export const MAX_JSON_DEPTH = 64;
/** Enough to say what is wrong without an answer as large as the request. */
const MAX_REPORTED = 20;

const NUL_MESSAGE = 'must not contain a NUL character';
const SURROGATE_MESSAGE = 'must be valid Unicode text (no lone surrogates)';
const DEPTH_MESSAGE = `must not be nested deeper than ${MAX_JSON_DEPTH} levels`;
/** a high surrogate not followed by a low one, or a low one not preceded by a high one (code units: no `u` flag) */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a string, or null: a NUL, or a lone surrogate. */
export function stringFault(value: string): string | null {
  if (value.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(value)) return SURROGATE_MESSAGE;
  return null;
}

/** `items` + 2 → `items[2]`; `items[2]` + `name` → `items[2].name` */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

class FieldNameFault {
  constructor(readonly message: string) {}
}

/**
 * Every string (and object key) in `value` that is not text Mamori can take, as field errors
 * named by their path under `root`. Iterative, so any depth is safe; nesting deeper than
 * `maxDepth` is itself an error.
 */
export function findBadInput(value: unknown, root = '', maxDepth = MAX_JSON_DEPTH): FieldError[] {
  const errors: FieldError[] = [];
  const stack: [unknown, string, number][] = [[value, root, 0]];
  const seen = new Set<object>();
  while (stack.length && errors.length < MAX_REPORTED) {
    const [current, path, depth] = stack.pop()!;
    if (current instanceof FieldNameFault) {
      errors.push({ field: path, messages: [`field name ${current.message}`] });
      continue;
    }
    if (typeof current === 'string') {
      const fault = stringFault(current);
      if (fault) errors.push({ field: path || 'body', messages: [fault] });
      continue;
    }
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current) || seen.has(current)) continue;
    seen.add(current);
    if (depth >= maxDepth) {
      errors.push({ field: path || 'body', messages: [DEPTH_MESSAGE] });
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], childPath(path, i), depth + 1]);
      continue;
    }
    const entries = Object.entries(current as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const keyFault = stringFault(key);
      // a bad field name is reported in its place, named by its escaped form
      if (keyFault) stack.push([new FieldNameFault(keyFault), childPath(path, JSON.stringify(key).slice(1, -1)), depth + 1]);
      else stack.push([child, childPath(path, key), depth + 1]);
    }
  }
  return errors;
}

export function refuseBadInput(errors: FieldError[]): never {
  throw new AppException('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join('. '), errors);
}

/** Thrown by the body parser's `verify` hook; body-parser keeps `status`, the problem filter answers `problem`. */
export class BodyRefused extends Error {
  readonly status: number;
  constructor(readonly problem: AppException) {
    super(problem.message);
    this.name = 'BodyRefused';
    this.status = problem.status;
  }
}

/**
 * The deepest nesting of a JSON text, read byte by byte (strings skipped), stopping as soon as it
 * passes `limit`: no recursion, and nothing parsed yet.
 */
export function jsonDepthExceeds(bytes: Buffer, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > limit) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return false;
}

/** The JSON body parser's `verify` hook: a body nested deeper than MAX_JSON_DEPTH is refused (400). */
export function verifyJsonDepth(_req: IncomingMessage, _res: unknown, bytes: Buffer): void {
  if (jsonDepthExceeds(bytes)) {
    throw new BodyRefused(
      new AppException('VALIDATION_FAILED', `The body is nested deeper than ${MAX_JSON_DEPTH} levels`, [{ field: 'body', messages: [DEPTH_MESSAGE] }]),
    );
  }
}

interface UploadedFileLike {
  fieldname: string;
  originalname: string;
}
const isUploadedFile = (value: unknown): value is UploadedFileLike =>
  !!value &&
  typeof value === 'object' &&
  typeof (value as UploadedFileLike).fieldname === 'string' &&
  typeof (value as UploadedFileLike).originalname === 'string';

/**
 * The first global pipe: every body, query and path parameter of every route (and every uploaded
 * file's name) is checked for NUL characters, lone surrogates and excessive nesting before the
 * validation pipe runs (class-validator's own checks throw on lone surrogates).
 */
@Injectable()
export class InputGuardPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') {
      // uploaded files (multer): their names; other custom parameters (the actor…) are not input
      const files = Array.isArray(value) ? value : [value];
      const errors = files.filter(isUploadedFile).flatMap((file) => {
        const fault = stringFault(file.originalname) ?? stringFault(file.fieldname);
        return fault ? [{ field: stringFault(file.fieldname) ? 'file' : file.fieldname, messages: [`file name ${fault}`] }] : [];
      });
      if (errors.length) refuseBadInput(errors);
      return value;
    }
    const errors = findBadInput(value, metadata.data ?? '');
    if (errors.length) refuseBadInput(errors);
    return value;
  }
}
