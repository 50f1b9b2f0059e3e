/**
 * Group commit for the embedded store. SQLite runs one transaction at a time on its one connection, and each commit
 * waits for the disk (synchronous=FULL fsyncs the WAL). Transactions asked for while one is running therefore wait
 * anyway; here they wait in a queue instead, and the next batch runs them all in one transaction, each inside its
 * own savepoint, with one commit (one fsync) for the batch:
 *
 * - a caller whose work throws is rolled back to its savepoint and gets its error; the others are not touched;
 * - nobody is answered before the batch's commit returned, so an acknowledged write is durable as before;
 * - a commit that fails fails every caller of the batch, with the commit's error;
 * - an error that ends the whole transaction (SQLite rolls back everything on SQLITE_FULL, an I/O error, an
 *   interrupt) fails its caller, and the callers that had finished before it in the batch run again in the next
 *   batch: nothing of theirs was committed and nobody was answered.
 *
 * There is no timer. A batch starts one turn of the event loop after its first transaction was asked for
 * (setImmediate): the driver is synchronous, so a transaction runs from BEGIN to COMMIT without giving the loop
 * back, and a batch begun at once would hold only the caller that asked, however many requests were waiting to
 * be read. After that turn the batch holds every transaction asked for by the requests the loop had ready (and
 * those asked for while the previous batch ran), so a batch is as large as the load and an idle store adds no
 * more than that one turn.
 *
 * Each caller's work runs in the caller's async context (AsyncLocalStorage), so that what joins a transaction
 * from the caller's request (its audit record) is the caller's, whichever caller began the batch.
 */
import { AsyncResource } from 'node:async_hooks';
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The most transactions one commit takes; more wait for the next batch. */
export const MAX_BATCH = 256;

/** One caller's transaction work: its value, and what to do once the batch has committed. */
export type BatchWork<T> = (trx: Transaction<Database>) => Promise<{ value: T; afterCommit: (() => void) | undefined }>;

interface Job {
  readonly work: BatchWork<unknown>;
  readonly resolve: (outcome: { value: unknown; afterCommit: (() => void) | undefined }) => void;
  readonly reject: (error: unknown) => void;
  readonly committing: { value: boolean };
}

/** Thrown to end a batch whose transaction SQLite has already rolled back. */
class TransactionLost extends Error {}

export class GroupCommit {
  readonly #queue: Job[] = [];
  #running = false;
  /** Batches committed and the transactions they held, for the benchmarks and the tests. */
  readonly stats = { batches: 0, transactions: 0, largest: 0 };

  /**
   * @param begin runs its callback in one store transaction (BEGIN ... COMMIT), as Kysely's transaction does.
   * @param inTransaction whether the connection is still inside that transaction (SQLite may end it on an error).
   */
  constructor(
    private readonly begin: <T>(callback: (trx: Transaction<Database>) => Promise<T>) => Promise<T>,
    private readonly inTransaction: () => boolean,
  ) {}

  /**
   * Runs `work` in the next batch; resolves once the batch committed. `committing.value` is set when the batch's
   * commit was sent, so that the caller knows a failure then may not have been a rollback.
   */
  run<T>(work: BatchWork<T>, committing: { value: boolean }): Promise<{ value: T; afterCommit: (() => void) | undefined }> {
    return new Promise((resolve, reject) => {
      // The caller's async context, so that its work sees its own request (AsyncLocalStorage) inside the batch.
      const bound = AsyncResource.bind(work) as BatchWork<unknown>;
      this.#queue.push({ work: bound, resolve: resolve as Job['resolve'], reject, committing });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        await this.#batch(this.#queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.#running = false;
    }
  }

  async #batch(jobs: readonly Job[]): Promise<void> {
    const done: { job: Job; outcome: { value: unknown; afterCommit: (() => void) | undefined } }[] = [];
    const failed: { job: Job; error: unknown }[] = [];
    const again: Job[] = [];
    let lost = false;
    try {
      await this.begin(async (trx) => {
        for (const [index, job] of jobs.entries()) {
          await sql`savepoint kouan_batch`.execute(trx);
          try {
            const outcome = await job.work(trx);
            await sql`release kouan_batch`.execute(trx);
            done.push({ job, outcome });
          } catch (error) {
            if (!this.inTransaction()) {
              // SQLite rolled the whole transaction back: this caller fails, those before it run again, and those
              // after it have not run yet.
              failed.push({ job, error });
              again.push(...done.splice(0).map((entry) => entry.job), ...jobs.slice(index + 1));
              lost = true;
              throw new TransactionLost();
            }
            await sql`rollback to kouan_batch`.execute(trx);
            await sql`release kouan_batch`.execute(trx);
            failed.push({ job, error });
          }
        }
        for (const { job } of done) job.committing.value = true;
      });
    } catch (error) {
      // Kysely's rollback of a lost transaction fails too, so the flag, not the error, says what happened.
      if (!lost) {
        // The batch did not commit (BEGIN, a savepoint or the commit itself failed; after a failed commit it may
        // not be known): every caller not yet failed gets the store's error, none having been answered, and its
        // own retry (StoreDatabase) decides whether to try again.
        const reached = new Set(failed.map((entry) => entry.job));
        for (const job of jobs) if (!reached.has(job)) failed.push({ job, error });
        done.length = 0;
      }
    }
    if (done.length > 0) {
      this.stats.batches += 1;
      this.stats.transactions += done.length;
      this.stats.largest = Math.max(this.stats.largest, done.length);
    }
    for (const { job, outcome } of done) job.resolve(outcome);
    for (const { job, error } of failed) job.reject(error);
    this.#queue.unshift(...again);
  }
}
