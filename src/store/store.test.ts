/**
 * The store's transactions retry contention: a real PostgreSQL deadlock between two transactions ends one of
 * them (40P01), and the wrapper runs its callback again on a fresh transaction instead of failing the request.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toKouanError } from '../http/problem.js';
import { createTestStore, postgresUnavailable, type TestStore } from '../../test/support/stores.js';
import { storeFault } from './faults.js';
import { openStore, type OpenOptions, type Store } from './store.js';

const unavailable = await postgresUnavailable();
if (unavailable !== undefined) console.warn(`Skipping the deadlock tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('transactions on PostgreSQL under contention', () => {
  let testStore: TestStore;
  const opened: Store[] = [];

  beforeAll(async () => {
    testStore = await createTestStore('postgres');
  });

  afterAll(async () => {
    for (const store of opened) await store.close();
    await testStore.drop();
  });

  const open = async (options: OpenOptions = {}): Promise<Store> => {
    const store = await openStore(testStore.config, { migrate: false, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    const store = await open();
    await sql`drop table if exists contended`.execute(store.db);
    await sql`create table contended (id integer primary key, n integer not null)`.execute(store.db);
    await sql`insert into contended values (1, 0), (2, 0)`.execute(store.db);
  });

  /**
   * Two transactions update rows 1 and 2 in opposite orders; each waits, on its first attempt only, until both
   * hold their first row, so the second updates close a cycle that PostgreSQL breaks by aborting one of them.
   */
  async function deadlock(store: Store): Promise<{ results: PromiseSettledResult<number>[]; attempts: number[] }> {
    const attempts = [0, 0];
    let holding = 0;
    let release: () => void = () => undefined;
    const bothHolding = new Promise<void>((resolve) => (release = resolve));
    const run = (index: number, first: number, second: number) =>
      store.db.transaction().execute(async (trx) => {
        attempts[index] = (attempts[index] ?? 0) + 1;
        await sql`update contended set n = n + 1 where id = ${first}`.execute(trx);
        if (attempts[index] === 1) {
          holding += 1;
          if (holding === 2) release();
          await bothHolding;
        }
        await sql`update contended set n = n + 1 where id = ${second}`.execute(trx);
        return index;
      });
    const results = await Promise.allSettled([run(0, 1, 2), run(1, 2, 1)]);
    return { results, attempts };
  }

  it('runs the deadlock victim again and commits both transactions', { timeout: 20_000 }, async () => {
    const store = await open();
    const { results, attempts } = await deadlock(store);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    // One of the two ran twice: it was the victim and was retried.
    expect([...attempts].sort()).toEqual([1, 2]);
    const rows = await sql<{ id: number; n: number }>`select id, n from contended order by id`.execute(store.db);
    expect(rows.rows).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });

  it('answers 503 STORE_BUSY with a Retry-After when the retries run out, never 500', { timeout: 20_000 }, async () => {
    const store = await open({ retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const { results } = await deadlock(store);
    const failed = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    expect(failed).toHaveLength(1);
    expect((failed[0] as { code?: string }).code).toBe('40P01');
    expect(storeFault(failed[0])).toBe('contention');
    const problem = toKouanError(failed[0], 1024);
    expect({ code: problem.code, status: problem.status, seconds: problem.params.seconds }).toEqual({ code: 'STORE_BUSY', status: 503, seconds: 1 });
  });

  it('retries a serialization failure of two serializable transactions', { timeout: 20_000 }, async () => {
    const store = await open();
    const attempts = [0, 0];
    let read = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    // Each reads the sum and writes it into its own row: write skew, which SERIALIZABLE refuses to commit for one.
    const run = (index: number) =>
      store.db
        .transaction()
        .setIsolationLevel('serializable')
        .execute(async (trx) => {
          attempts[index] = (attempts[index] ?? 0) + 1;
          const sum = await sql<{ total: number }>`select sum(n)::int as total from contended`.execute(trx);
          if (attempts[index] === 1) {
            read += 1;
            if (read === 2) release();
            await bothRead;
          }
          await sql`update contended set n = ${(sum.rows[0]?.total ?? 0) + 1} where id = ${index + 1}`.execute(trx);
        });
    const results = await Promise.allSettled([run(0), run(1)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    expect([...attempts].sort()).toEqual([1, 2]);
    const rows = await sql<{ n: number }>`select n from contended order by id`.execute(store.db);
    // Serial: the first writes 1, the second sees it and writes 2.
    expect(rows.rows.map((row) => row.n).sort()).toEqual([1, 2]);
  });
});
