import { problemDefinition, type ProblemCode } from './problem-registry.js';

export interface FieldError {
  /** dotted path of the field, e.g. `roles.0` or, for a file, `line 4: email` is given as field `email` with `line` */
  field: string;
  messages: string[];
  /** for file imports: the line in the file */
  line?: number;
}

/** The one exception services throw; the filter turns it into problem+json. */
export class AppException extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? problemDefinition(code).title);
    this.name = 'AppException';
  }

  get status(): number {
    return problemDefinition(this.code).status;
  }
}
