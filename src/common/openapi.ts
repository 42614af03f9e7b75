import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
  type ApiSchemaOptions,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { ROLES } from './roles.js';

/**
 * OpenAPI helpers shared by the API controllers: the one problem+json schema (RFC 9457) every
 * error response refers to, and file downloads. Paged lists are documented by `PageOf` in
 * pagination.ts.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Names a response schema; `additionalProperties: true` marks the few bodies that are open by
 * design (problem extension members, free-form maps). A schema without it lists every field the
 * body has (the contract test treats it as closed).
 */
export const ApiResponseSchema = (options: ApiSchemaOptions & { additionalProperties?: boolean }): ClassDecorator => ApiSchema(options);

@ApiResponseSchema({ name: 'FieldError', description: 'One offending field of a request (or, for a file import, of a line of the file).' })
export class FieldErrorView {
  @ApiProperty({ example: 'email', description: 'dotted path of the field, e.g. `roles.0`' })
  field!: string;

  @ApiProperty({ type: [String] })
  messages!: string[];

  @ApiPropertyOptional({ type: 'integer', description: 'for file imports: the line in the file' })
  line?: number;
}

/**
 * A problem document (RFC 9457), sent as `application/problem+json` with every 4xx and 5xx of the
 * API. `code` is stable; some problems add extension members, listed here or in a schema that
 * extends this one.
 */
@ApiResponseSchema({
  name: 'ProblemDocument',
  description: 'RFC 9457 problem details; `code` is the stable machine-readable code. Some problems add extension members.',
  additionalProperties: true,
})
export class ProblemDocumentView {
  @ApiProperty({ example: '/problems/validation-failed', description: 'a URI reference naming the problem type' })
  type!: string;

  @ApiProperty({ example: 'The request has invalid fields' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiPropertyOptional({ description: 'what went wrong this time, when it says more than the title' })
  detail?: string;

  @ApiProperty({ example: '/api/v1/staff', description: 'the request path' })
  instance!: string;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'stable code, e.g. VALIDATION_FAILED, FORBIDDEN, STAFF_NOT_FOUND' })
  code!: string;

  @ApiPropertyOptional({ type: [FieldErrorView], description: 'every offending field (VALIDATION_FAILED, import problems)' })
  errors?: FieldErrorView[];

  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: 'FORBIDDEN: the roles that may' })
  requiredRoles?: string[];

  @ApiPropertyOptional({ type: 'integer', description: 'TOO_MANY_REQUESTS: seconds to wait (also in Retry-After)' })
  retryAfterSeconds?: number;
}

/** A problem+json response with the common schema, or one that extends it. */
export function ApiProblem(
  status: number,
  description: string,
  schema: abstract new (...args: never[]) => ProblemDocumentView = ProblemDocumentView,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDocumentView, schema),
    ApiResponse({ status, description: `${description} (problem+json)`, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(schema) } } } }),
  );
}

/** Several problem+json responses at once: `@ApiProblems({ 404: 'No such staff member (STAFF_NOT_FOUND)' })`. */
export function ApiProblems(responses: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(...Object.entries(responses).map(([status, description]) => ApiProblem(Number(status), description)));
}

/** A file download: its content types and a binary body. */
export function ApiFileResponse(options: { status?: number; description: string; contentTypes: readonly string[] }): MethodDecorator & ClassDecorator {
  const binary = { schema: { type: 'string', format: 'binary' } } as const;
  return ApiResponse({
    status: options.status ?? 200,
    description: options.description,
    content: Object.fromEntries(options.contentTypes.map((type) => [type.split(';')[0]!.trim(), binary])),
  });
}

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Finishes the generated document so that every error response says what its body is:
 * - the global ValidationPipe answers 400 VALIDATION_FAILED to any operation that takes
 *   parameters or a body;
 * - a 4xx/5xx response declared without content (e.g. by a guard's decorator) gets the
 *   problem+json schema.
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  const problem = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocumentView) } } };
  for (const item of Object.values(document.paths)) {
    for (const method of OPERATIONS) {
      const operation = item[method];
      if (!operation) continue;
      const responses = (operation.responses ??= {});
      if ((operation.parameters?.length || operation.requestBody) && !responses['400']) {
        responses['400'] = { description: 'Invalid parameters or body; `errors` names every offending field (VALIDATION_FAILED) (problem+json)' };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (!response || !/^[45]/.test(status) || '$ref' in response || response.content) continue;
        response.content = structuredClone(problem);
      }
    }
  }
  return document;
}
