/**
 * Group commit on the embedded store (group-commit.ts): concurrent transactions share one commit, each in its
 * own savepoint, so that one caller's failure is only that caller's, nobody is answered before the commit, a
 * failed commit fails every caller of its batch, and an error that ends SQLite's transaction re-runs the others.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Transaction } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { scratchStore } from '../../test/support/scratch.js';
import type { Database } from './schema.js';

describe('group commit on SQLite', () => {
  const store = scratchStore('sqlite', { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });

  beforeEach(async () => {
    await sql`drop table if exists grouped`.execute(store().db);
    await sql`create table grouped (id text primary key, parent text references grouped (id))`.execute(store().db);
  });

  const ids = async () => (await sql<{ id: string }>`select id from grouped order by id`.execute(store().db)).rows.map((row) => row.id);
  const insert = (trx: Transaction<Database>, id: string, parent: string | null = null) => sql`insert into grouped (id, parent) values (${id}, ${parent})`.execute(trx);
  const transaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) => store().db.transaction().execute(work);

  it('commits concurrent transactions in shared batches, every one of them', async () => {
    const before = { ...store().db.groupCommit };
    const names = Array.from({ length: 50 }, (_, index) => `t${String(index).padStart(2, '0')}`);
    const results = await Promise.all(names.map((name) => transaction(async (trx) => (await insert(trx, name), name))));
    expect(results).toEqual(names);
    expect(await ids()).toEqual(names);
    const after = store().db.groupCommit;
    expect(after).toBeDefined();
    const batches = (after?.batches ?? 0) - (before.batches ?? 0);
    expect((after?.transactions ?? 0) - (before.transactions ?? 0)).toBe(50);
    expect(batches).toBeLessThan(50);
    expect(after?.largest).toBeGreaterThan(1);
  });

  it('shares a commit between transactions asked for by separate callbacks of one turn of the event loop', async () => {
    // Requests are read in callbacks of their own, as the sockets' data arrive: each asks for its transaction from
    // its own macrotask, and the synchronous driver would run the first to its commit before the next is read.
    const before = { ...store().db.groupCommit };
    const names = ['m1', 'm2', 'm3', 'm4'];
    const results = await Promise.all(names.map((name) => new Promise<string>((resolve, reject) => setImmediate(() => void transaction(async (trx) => (await insert(trx, name), name)).then(resolve, reject)))));
    expect(results).toEqual(names);
    expect(await ids()).toEqual(names);
    const after = store().db.groupCommit;
    expect((after?.batches ?? 0) - (before.batches ?? 0)).toBe(1);
    expect((after?.transactions ?? 0) - (before.transactions ?? 0)).toBe(4);
  });

  it('rolls back only the caller whose work failed', async () => {
    const outcomes = await Promise.allSettled([
      transaction((trx) => insert(trx, 'a')),
      transaction(async (trx) => {
        await insert(trx, 'b');
        // A duplicate key: the statement fails, the transaction goes on, and b's own insert must go too.
        await insert(trx, 'a');
      }),
      transaction(async (trx) => {
        await insert(trx, 'c');
        throw new Error('refused by the caller');
      }),
      transaction((trx) => insert(trx, 'd')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toContain('refused by the caller');
    expect(await ids()).toEqual(['a', 'd']);
  });

  it('answers nobody of a batch whose commit failed, and stores nothing of it', async () => {
    let answered = 0;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    // Holds the connection, once its batch began, so that the next two are queued into one batch of their own.
    const first = transaction(async (trx) => {
      started();
      await insert(trx, 'first');
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    await running;
    const outcomes = await Promise.allSettled([
      first,
      transaction(async (trx) => {
        // Foreign keys checked at the commit: this row's parent does not exist, so the batch's commit fails.
        await sql`pragma defer_foreign_keys = on`.execute(trx);
        await insert(trx, 'orphan', 'nobody');
      }).then(() => (answered += 1)),
      transaction((trx) => insert(trx, 'sibling')).then(() => (answered += 1)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/i);
    expect(answered).toBe(0);
    expect(await ids()).toEqual(['first']);
  });

  it('runs the others again when an error ends the whole transaction', async () => {
    const runs = { before: 0, after: 0 };
    const outcomes = await Promise.allSettled([
      transaction(async (trx) => {
        await insert(trx, 'held');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }),
      transaction(async (trx) => {
        runs.before += 1;
        await insert(trx, 'before');
      }),
      transaction(async (trx) => {
        await insert(trx, 'lost');
        // What SQLite does on SQLITE_FULL or an I/O error: the whole transaction is rolled back under the batch.
        await sql`rollback`.execute(trx);
        throw new Error('the disk is full');
      }),
      transaction(async (trx) => {
        runs.after += 1;
        await insert(trx, 'after');
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    // "before" had run in the lost transaction, so it ran again; "after" had not run yet.
    expect(runs).toEqual({ before: 2, after: 1 });
    expect(await ids()).toEqual(['after', 'before', 'held']);
  });

  it("runs each caller's work in the caller's async context", async () => {
    const context = new AsyncLocalStorage<string>();
    const seen = await Promise.all(['alpha', 'beta', 'gamma', 'delta'].map((name) => context.run(name, () => transaction(async (trx) => (await insert(trx, name), context.getStore())))));
    expect(seen).toEqual(['alpha', 'beta', 'gamma', 'delta']);
  });
});
