import type { Role } from './roles.js';

/**
 * Who is doing something: the signed-in person, or the system (CLI, seeds, worker) acting for an
 * organisation. Controllers pass it to services; services scope every query by `organizationId`.
 */
export interface Actor {
  /** null for the system */
  staffId: string | null;
  organizationId: string;
  roles: readonly Role[];
  departmentId: string | null;
  clientAddress: string | null;
  /** session the request came through (null for the system) */
  sessionId: string | null;
  /** the session was opened with a second factor */
  mfa: boolean;
  /** readable name for the audit trail: the e-mail address, or "system:cli" */
  label: string;
  /** Mamori itself (the CLI an operator runs, seeds, the scheduler, the worker): never a request's caller */
  system?: true;
  /**
   * The signed-in person's own record (the staff feature's), read with the session by the access
   * guard, so that "me" and every page's header need no second query.
   */
  person?: object;
}

export function systemActor(organizationId: string, system: string): Actor {
  return {
    staffId: null,
    organizationId,
    roles: [],
    departmentId: null,
    clientAddress: null,
    sessionId: null,
    mfa: false,
    label: `system:${system}`,
    system: true,
  };
}
