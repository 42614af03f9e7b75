import { providerMarker } from '../common/features/discovery.js';
import type { Transaction } from '../database/unit-of-work.js';
import type { PolicyFileError } from './policy-files.js';

/**
 * What `policies:sync` reports: each part of the folder adds its counts. The policy texts are the
 * policies feature's own; a later feature that keeps files in `policies/` adds its key here:
 *
 * ```ts
 * declare module './policy-files-part.js' {
 *   interface SyncResult { controls: { created: number; … } }
 * }
 * ```
 */
export interface SyncResult {
  dryRun: boolean;
  policies: { created: number; newDrafts: number; unchanged: number };
}

/**
 * A part of the `policies/` folder another feature owns (the control catalogue, later the response
 * plan): `policies:sync` validates every part before writing anything, then applies them in one
 * transaction, under one lock. A provider marked `@PolicyFilesPart()` is found at start-up.
 */
export interface PolicyFilesPartHandler<L = unknown> {
  /** reads and validates its files, adding each mistake to `errors` */
  load(root: string, errors: PolicyFileError[]): L;
  /** its counts before anything is applied */
  emptyResult(): Partial<SyncResult>;
  /** writes what `load` read, in the sync's transaction, counting into `result` */
  apply(tx: Transaction, loaded: L, result: SyncResult): Promise<void>;
}

export const POLICY_FILES_PARTS = providerMarker<number>('policy-files-part');

/** Marks a provider as a part of `policies:sync` (see PolicyFilesPartHandler); `order` sorts the parts. */
export const PolicyFilesPart = (order: number): ClassDecorator => POLICY_FILES_PARTS.mark(order);
