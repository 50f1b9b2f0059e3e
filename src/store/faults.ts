/**
 * What a store error means for the caller: the store is gone for now (connection refused, reset, terminated,
 * shutting down), busy (a serialization failure, a deadlock, a lock not granted), or too slow (a statement ran
 * past its timeout). All are answered 503 with Retry-After; anything else is a bug and stays a 500.
 */

export type StoreFault = 'unavailable' | 'contention' | 'timeout';

/** Thrown when no connection could be had from the store at all: nothing was sent, nothing can have been written. */
export class StoreUnreachableError extends Error {
  constructor(cause: unknown) {
    super(`the store is not reachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnreachableError';
  }
}

/** Retried `times` more after contention ended the transaction, or the connection broke before its commit was sent. */
export interface RetryPolicy {
  readonly attempts: number;
  /** The first pause; each next one doubles, with full jitter, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 5, maxDelayMs: 250 };

// SQLSTATE classes and codes (PostgreSQL, appendix A) that mean "the server or the connection went away".
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '53300', '53000', '3D000', '25P03']);
const CONTENTION_STATES = new Set(['40001', '40P01', '55P03']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
// pg and pg-pool signal a dead or unobtainable connection with these messages and no code.
const UNAVAILABLE_MESSAGES = [
  'connection terminated',
  'timeout exceeded when trying to connect',
  'not queryable',
  'client was closed',
  'cannot use a pool after calling end',
  'connection has been discarded',
  'the database connection is not open',
];

/** Classifies an error from either store; undefined when it is not a store fault (a bug, a constraint, ...). */
export function storeFault(error: unknown): StoreFault | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (current instanceof StoreUnreachableError) return 'unavailable';
    if (typeof current !== 'object') return undefined;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      // A statement cancelled by statement_timeout is not retried: it would only take as long again.
      if (code === '57014') return 'timeout';
      if (CONTENTION_STATES.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'contention';
      if (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code)) return 'unavailable';
      if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PROTOCOL') return 'unavailable';
    }
    if (typeof message === 'string') {
      const text = message.toLowerCase();
      if (UNAVAILABLE_MESSAGES.some((known) => text.includes(known))) return 'unavailable';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** How long a caller should wait before trying again, in seconds, for the Retry-After header. */
export function retryAfterSeconds(fault: StoreFault): number {
  return fault === 'unavailable' ? 2 : 1;
}

/** The pause before attempt `attempt` (2, 3, ...): exponential with full jitter, so that the losers do not collide again. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
