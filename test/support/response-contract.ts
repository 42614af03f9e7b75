import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { findInternals } from './internals.js';

type Json = Record<string, unknown>;
interface MediaTypeObject {
  schema?: Json;
}
interface ResponseObject {
  description?: string;
  content?: Record<string, MediaTypeObject>;
}
interface OperationObject {
  responses?: Record<string, ResponseObject>;
}

const SCHEMA_PREFIX = '#/components/schemas/';
const COMPONENTS_ID = 'https://mamori.test/openapi/components.json';
/** OpenAPI keywords that are annotations only, or that JSON Schema does not know (`nullable` is rewritten). */
const DROPPED = new Set(['nullable', 'example', 'examples', 'xml', 'externalDocs', 'deprecated', 'discriminator']);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isJsonType = (mediaType: string): boolean => mediaType === 'application/json' || mediaType.endsWith('+json');
const baseType = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * An OpenAPI 3.0 schema as JSON Schema for Ajv:
 * - `nullable: true` becomes `anyOf: [schema, {type: 'null'}]` (enums and `$ref`s included);
 * - `$ref`s point into the components, loaded once into Ajv;
 * - an object that lists its `properties` and says nothing of `additionalProperties` is closed, so a
 *   field the document does not name (an internal, a forgotten relation) fails. The served document
 *   stays open for clients ("add fields freely"); the few open bodies say `additionalProperties`.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_PREFIX)) {
      out.$ref = `${COMPONENTS_ID}#/definitions/${value.slice(SCHEMA_PREFIX.length)}`;
    } else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toJsonSchema(property)]));
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key)) {
      out[key] = toJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (out.properties && !('additionalProperties' in schema)) out.additionalProperties = false;
  return schema.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

/** `/api/v1/staff/:id` → `/api/v1/staff/{id}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ');
}

/**
 * The API's responses against its OpenAPI document. createTestApp installs `middleware()` in front
 * of every route, so each response an e2e test provokes from a documented operation is checked:
 * - its status is documented (2xx always; 4xx too: the problems an operation answers are documented);
 * - its content type is one the response documents (a file download's, or JSON, or problem+json),
 *   and a response documented without content has none;
 * - a JSON body validates against the documented schema (closed objects, formats, enums, nullables);
 * - no body carries an internal (see internals.ts).
 * `violations` collects what disagrees; TestApp.close() fails the test file with them.
 */
export class ResponseContract {
  readonly violations: string[] = [];
  /** the responses checked, as `METHOD /path → status` (a test can see what its requests covered) */
  readonly checked: string[] = [];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenAPIObject) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    formats.default(this.ajv);
    const definitions = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)]));
    this.ajv.addSchema({ $id: COMPONENTS_ID, definitions });
  }

  /** Every operation of the document, as `METHOD /path`. */
  operations(): string[] {
    return Object.entries(this.document.paths).flatMap(([path, item]) => METHODS.filter((m) => (item as Json)[m]).map((m) => `${m.toUpperCase()} ${path}`));
  }

  operation(method: string, path: string): OperationObject | undefined {
    return (this.document.paths[path] as Record<string, OperationObject> | undefined)?.[method.toLowerCase()];
  }

  /**
   * What is wrong with one response of `METHOD path` (an OpenAPI path), given its status, content
   * type and body (the text sent, or undefined for none or a stream); [] when it is as documented.
   */
  check(method: string, path: string, status: number, contentType: string | undefined, body: string | Buffer | undefined): string[] {
    const label = `${method.toUpperCase()} ${path} → ${status}`;
    const operation = this.operation(method, path);
    if (!operation) return [`${method.toUpperCase()} ${path}: no such operation in the OpenAPI document`];
    const responses = operation.responses ?? {};
    const documented = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!documented) return status >= 500 ? [] : [`${label}: status not documented (documented: ${Object.keys(responses).join(', ')})`];
    const type = contentType ? baseType(contentType) : '';
    const content = documented.content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      return type || (body !== undefined && body.length > 0) ? [`${label}: documented without a body, but answered ${type || 'a body'}`] : [];
    }
    const mediaType = mediaTypes.find((m) => baseType(m) === type);
    if (!mediaType) return [`${label}: answered ${type || 'no content type'}, documented ${mediaTypes.join(', ')}`];
    if (!isJsonType(type)) return []; // a file: its content type is the contract
    const schema = content[mediaType]!.schema;
    if (!schema) return [`${label}: ${mediaType} documented without a schema`];
    if (body === undefined) return [`${label}: no body`];
    let data: unknown;
    try {
      data = JSON.parse(body.toString());
    } catch {
      return [`${label}: the body is not JSON`];
    }
    const problems: string[] = [];
    const validate = this.validator(`${label} ${mediaType}`, schema);
    if (!validate(data)) problems.push(`${label}: ${describe(validate.errors)}`);
    problems.push(...findInternals(data).map((finding) => `${label}: ${finding}`));
    return problems;
  }

  /** Express middleware: checks every response of a documented operation when it has been sent. */
  middleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction): void => {
      let sent: string | Buffer | undefined;
      const send = response.send;
      response.send = function (this: Response, body?: unknown) {
        if (typeof body === 'string' || Buffer.isBuffer(body)) sent = body;
        return send.call(this, body);
      } as Response['send'];
      response.on('finish', () => {
        const route = (request as Request & { route?: { path?: unknown } }).route;
        if (typeof route?.path !== 'string') return; // no route answered (unknown path, static file)
        const path = openApiPath(`${request.baseUrl ?? ''}${route.path}`);
        if (!this.operation(request.method, path) && !path.startsWith('/api/')) return; // web pages are not in the API document
        this.checked.push(`${request.method} ${path} → ${response.statusCode}`);
        try {
          this.violations.push(...this.check(request.method, path, response.statusCode, response.getHeader('content-type') as string | undefined, sent));
        } catch (error) {
          this.violations.push(`${request.method} ${path}: the contract check failed: ${(error as Error).message}`);
        }
      });
      next();
    };
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) this.validators.set(key, (validate = this.ajv.compile(toJsonSchema(schema) as Json)));
    return validate;
  }
}
