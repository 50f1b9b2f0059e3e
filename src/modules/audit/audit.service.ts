import { AsyncResource } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { canonicalJson } from '../../shared/canonical-json.js';
import { KouanError } from '../../shared/errors.js';
import { nowIso } from '../../shared/ids.js';
import type { Database } from '../../store/schema.js';
import type { TransactionParticipant } from '../../store/store.js';
import type { AuditRepository, AuditRow, Settlement, UnchainedRow } from './audit.repository.js';
import { currentAuditScope } from './audit.scope.js';
import { ACTOR_KINDS, GENESIS_HASH, type AuditCheckpoint, type AuditEntry, type AuditPage, type AuditQuery, type AuditRecord, type AuditVerdict } from './audit.schema.js';
import { authorize, type Subject } from '../policies/index.js';

/** Records read per page by verify(). */
const VERIFY_PAGE = 5000;
/** Records chained per transaction when appends queue up. */
const APPEND_BATCH = 500;
/**
 * A pending record whose request has not settled it after this long is chained as it was written: the process
 * that served the request died, or could not reach the store when it answered.
 */
const SETTLE_GRACE_MS = 10_000;
/** verify() lists this many problems and then counts the rest: a wholesale rewrite would otherwise flood it. */
const MAX_PROBLEMS = 1000;

/** A pending record its request has settled, with the callers waiting for it to be chained. */
interface Settling {
  settlement: Settlement;
  done: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * A record's hash: SHA-256 (hex) of the previous record's hash, a newline, and the canonical JSON of every
 * column but the two hashes. The fields are named here, not taken from the row, because they are the stored
 * format: a column added later must be added here knowingly (old records keep verifying without it).
 *
 * `seq` is hashed too: it is known before the insert (the appender takes it from the head), and it binds each
 * record to its position, so renumbering records to close the gap a deletion left breaks their hashes.
 * `detail` is hashed as the stored text, so verification never depends on how JSON is re-serialised.
 */
export function recordHash(prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const content = canonicalJson({
    seq: row.seq,
    at: row.at,
    tenant_id: row.tenant_id,
    actor: row.actor,
    actor_kind: row.actor_kind,
    key_id: row.key_id,
    action: row.action,
    resource: row.resource,
    resource_owner: row.resource_owner,
    outcome: row.outcome,
    ip: row.ip,
    request_id: row.request_id,
    detail: row.detail,
  });
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

/**
 * The audit log: an append-only chain of records, each holding the hash of the one before it.
 *
 * What `verify` detects, and how:
 * - a modified record: its content no longer gives its hash;
 * - a modified record whose own hash was recomputed, or a forged record put in the place of a deleted one:
 *   the next record's prev_hash no longer matches;
 * - a deleted record in the middle: a gap in seq (seq is dense, assigned from the head) and a prev_hash mismatch;
 * - deleted newest records: the head row (last seq and hash, moved in the same transaction as every append)
 *   is ahead of the last record; a record added after the last one without moving the head: it is beyond the head.
 * What it cannot detect alone: whoever can write the database may rewrite the whole chain and the head
 * consistently. Keeping a head printed by `audit verify` elsewhere (a checkpoint) and passing it to a later
 * verify detects that too, for every record up to it.
 */
export class AuditService implements TransactionParticipant {
  private readonly queue: { row: UnchainedRow; resolve: (record: AuditRecord) => void; reject: (error: unknown) => void }[] = [];
  private readonly settling = new Map<number, Settling>();
  /** Pending records may wait for the chainer beyond what the queues hold (stale ones, or more than a batch). */
  private sweep = true;
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  // The chainer runs in the context the service was made in, not in the request that woke it.
  private readonly home = new AsyncResource('kouan.audit-chainer');

  constructor(
    private readonly repository: AuditRepository,
    private readonly options: { readonly settleGraceMs?: number; readonly onError?: (error: unknown) => void } = {},
  ) {}

  /**
   * In every transaction: when it is the write of a request (an audit scope is open and has no committed record
   * yet), the request's record is inserted into audit_pending in it, with the status the route answers on
   * success. A rolled-back attempt takes its record with it; the next attempt (or transaction) writes it again.
   */
  async beforeCommit(trx: Transaction<Database>): Promise<(() => void) | undefined> {
    const scope = currentAuditScope();
    if (scope === undefined || !scope.open || scope.pendingIds.length > 0) return undefined;
    const id = await this.repository.insertPending(trx, toRow(scope.entry(scope.presumedOutcome)));
    return () => {
      scope.pendingIds.push(id);
    };
  }

  /**
   * The request's answer is known: its pending record gets the status sent and the resource the handler named,
   * and is chained. Resolves once that has committed; requests settling together share one transaction.
   */
  settle(pendingIds: readonly number[], settlement: Settlement): Promise<void> {
    return Promise.all(
      pendingIds.map(
        (id) =>
          new Promise<void>((resolve, reject) => {
            const waiting = this.settling.get(id);
            if (waiting === undefined) this.settling.set(id, { settlement, done: [{ resolve, reject }] });
            else waiting.done.push({ resolve, reject });
            this.drain();
          }),
      ),
    ).then(() => undefined);
  }

  /** Chains pending records left by other processes or by a crash, now and every `intervalMs`. */
  start(intervalMs = 1000): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.sweep = true;
      this.drain();
    }, intervalMs);
    this.timer.unref();
    this.drain();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /**
   * Appends a record and resolves once it is committed. Appends that arrive while a transaction is running are
   * chained together in the next one (group commit), so a busy server does not pay one transaction per record.
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      // A malformed entry is rejected on its own, before it could fail the batch it would have joined.
      this.queue.push({ row: toRow(entry), resolve, reject });
      this.drain();
    });
  }

  /** Recomputes the chain up to the head and lists every record that was modified, inserted or deleted. */
  async verify(options: { checkpoint?: AuditCheckpoint | undefined } = {}): Promise<AuditVerdict> {
    const problems = new ProblemList();
    const checkpoint = options.checkpoint;
    const { head, maxSeq } = await this.repository.head();
    if (head === undefined) problems.add('the audit head is missing: it was deleted, so deletions of the newest records cannot be ruled out');
    else if (maxSeq !== null && maxSeq > head.seq) problems.add(`${span(head.seq + 1, maxSeq)}: records beyond the head (seq ${head.seq}) were inserted`);
    // Records appended after the head was read are left to the next verify; nothing below the head is in flight.
    const upTo = head?.seq ?? maxSeq ?? 0;

    let records = 0;
    let expected = 1;
    let previous: AuditRow | undefined;
    let checkpointSeen = false;
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const page = await this.repository.page(after, upTo, VERIFY_PAGE);
      for (const row of page) {
        records += 1;
        if (row.seq < expected) problems.add(`seq ${row.seq}: a record before seq 1 was inserted`);
        else if (row.seq > expected) problems.add(`${span(expected, row.seq - 1)}: missing, deleted`);
        const prevHash = previous?.hash ?? GENESIS_HASH;
        if (row.prev_hash !== prevHash) {
          const before = previous === undefined ? 'the genesis hash' : `the hash of seq ${previous.seq}`;
          problems.add(`seq ${row.seq}: prev_hash does not match ${before}: a record before it was deleted, inserted, or modified and rehashed`);
        }
        if (recordHash(row.prev_hash, row) !== row.hash) problems.add(`seq ${row.seq}: its content does not match its hash: the record was modified`);
        if (checkpoint !== undefined && row.seq === checkpoint.seq) {
          checkpointSeen = true;
          if (row.hash !== checkpoint.hash) problems.add(`seq ${row.seq}: its hash differs from the checkpoint's: the chain up to it was rewritten`);
        }
        expected = Math.max(expected, row.seq + 1);
        previous = row;
      }
      const last = page.at(-1);
      if (last === undefined || page.length < VERIFY_PAGE) break;
      after = last.seq;
    }

    const lastSeq = previous?.seq ?? 0;
    if (head !== undefined) {
      if (lastSeq < head.seq) problems.add(`${span(lastSeq + 1, head.seq)}: missing, deleted (the head is at seq ${head.seq})`);
      else if ((previous?.hash ?? GENESIS_HASH) !== head.hash) problems.add(`seq ${head.seq}: its hash does not match the head's: the last record was replaced or the head altered`);
    }
    if (checkpoint !== undefined && !checkpointSeen) problems.add(`seq ${checkpoint.seq}: the checkpoint's record is not in the chain (up to seq ${upTo}): it was deleted`);
    // Committed with their writes and waiting for the chainer: neither missing nor a problem.
    return { records, pending: await this.repository.pendingCount(), head: head ?? null, problems: problems.list() };
  }

  /** Records of the operator's tenant matching the filter, oldest first, after the `after` cursor. */
  async query(caller: Subject, query: AuditQuery): Promise<AuditPage> {
    authorize(caller, 'audit.read');
    const tenant = caller.tenant;
    const after = query.after ?? 0;
    const rows = await this.repository.query({
      tenant,
      actor: query.actor,
      party: query.party,
      action: query.action,
      from: query.from === undefined ? undefined : isoTime(query.from, '$.from'),
      to: query.to === undefined ? undefined : isoTime(query.to, '$.to'),
      after,
      limit: query.limit ?? 100,
    });
    return { records: rows.map(toRecord), next: rows.at(-1)?.seq ?? after };
  }

  /** Resolves when every append made so far has been committed or has failed; for shutdown, before the store closes. */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private drain(): void {
    if (this.draining !== undefined) return;
    this.draining = this.home.runInAsyncScope(async () => {
      try {
        while (this.queue.length > 0 || this.settling.size > 0 || this.sweep) {
          this.sweep = false;
          const batch = this.queue.splice(0, APPEND_BATCH);
          const settled: [number, Settling][] = [];
          for (const entry of this.settling) {
            if (settled.length === APPEND_BATCH) break;
            settled.push(entry);
          }
          for (const [id] of settled) this.settling.delete(id);
          const staleBefore = new Date(Date.now() - (this.options.settleGraceMs ?? SETTLE_GRACE_MS)).toISOString();
          try {
            // A sweep with nothing stale to chain does not take the head's (write) lock.
            if (batch.length === 0 && settled.length === 0 && !(await this.repository.hasPendingBefore(staleBefore))) continue;
            const result = await this.repository.chain(
              { direct: batch.map((item) => item.row), settled: new Map(settled.map(([id, item]) => [id, item.settlement])), staleBefore, pendingLimit: APPEND_BATCH },
              recordHash,
            );
            batch.forEach((item, index) => {
              const row = result.direct[index];
              if (row === undefined) item.reject(new Error('the audit append returned fewer records than it was given'));
              else item.resolve(toRecord(row));
            });
            for (const [, item] of settled) for (const done of item.done) done.resolve();
            // A full batch of pending records: there may be more.
            if (result.pending >= APPEND_BATCH) this.sweep = true;
          } catch (error) {
            for (const item of batch) item.reject(error);
            for (const [, item] of settled) for (const done of item.done) done.reject(error);
            // The store is away or busy: what is pending stays pending until the next sweep.
            if (batch.length === 0 && settled.length === 0) this.options.onError?.(error);
          }
        }
      } finally {
        // Cleared in the same tick as the last emptiness check: an append arriving later starts a new drain.
        this.draining = undefined;
      }
    });
  }
}

function toRow(entry: AuditEntry): UnchainedRow {
  if (!(ACTOR_KINDS as readonly string[]).includes(entry.actorKind)) throw new Error(`audit: unknown actor kind ${String(entry.actorKind)}`);
  if (!Number.isInteger(entry.outcome)) throw new Error(`audit: outcome must be an HTTP status, not ${String(entry.outcome)}`);
  return {
    at: entry.at === undefined ? nowIso() : isoTime(entry.at, '$.at'),
    tenant_id: entry.tenant,
    actor: entry.actor,
    actor_kind: entry.actorKind,
    key_id: entry.keyId ?? null,
    action: entry.action,
    resource: entry.resource ?? null,
    resource_owner: entry.resourceOwner ?? null,
    outcome: entry.outcome,
    ip: entry.ip,
    request_id: entry.requestId,
    detail: entry.detail === undefined || entry.detail === null ? null : canonicalJson(entry.detail),
  };
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    tenant: row.tenant_id,
    actor: row.actor,
    actorKind: row.actor_kind,
    keyId: row.key_id,
    action: row.action,
    resource: row.resource,
    resourceOwner: row.resource_owner,
    outcome: row.outcome,
    ip: row.ip,
    requestId: row.request_id,
    detail: parseDetail(row.detail),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function parseDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Only a tampered row holds bad JSON; show it as stored rather than fail the whole page (verify flags it).
    return text;
  }
}

/** A time as the store keeps it (ISO 8601 UTC with milliseconds), so that text comparison is time order. */
function isoTime(value: string, path: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new KouanError('REQUEST_INVALID', { errors: [{ path, code: 'FIELD_FORMAT', params: { format: 'date-time' } }] });
  return new Date(ms).toISOString();
}

function span(from: number, to: number): string {
  return from === to ? `seq ${from}` : `seq ${from}..${to}`;
}

class ProblemList {
  private readonly problems: string[] = [];
  private dropped = 0;

  add(problem: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
    else this.dropped += 1;
  }

  list(): string[] {
    return this.dropped === 0 ? [...this.problems] : [...this.problems, `... and ${this.dropped} more problems`];
  }
}
