/**
 * The audit scope of a write request: who asked what, carried through the request's async calls (an
 * AsyncLocalStorage), so that the store's transaction wrapper can write the request's audit record in the
 * transaction of its write without every module passing it along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditEntry } from './audit.schema.js';

export interface AuditScope {
  readonly requestId: string;
  /** The status the request answers when its write commits: the route's success status. */
  readonly presumedOutcome: number;
  /** The request's audit entry as far as it is known now. */
  entry(outcome: number): AuditEntry;
  /** False once the answer is being sent: later transactions (of workers it woke, say) are not its write. */
  open: boolean;
  /** The audit_pending ids of the records its transactions committed (one, unless it ran several at once). */
  readonly pendingIds: number[];
}

const storage = new AsyncLocalStorage<AuditScope>();

/** Runs `work` (and everything it starts) as part of the write request `scope`. */
export function runInAuditScope<T>(scope: AuditScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the write request this code runs for, if any. */
export function currentAuditScope(): AuditScope | undefined {
  return storage.getStore();
}
