/**
 * synchronous=FULL with the batch's fsync off the event loop (wal-sync.ts): a batch's callers are answered, and
 * anyone reads its writes, only once its WAL is synced; any other commit or autocommit write is synced at once;
 * a read syncs nothing; a failed fsync fails the batch's callers.
 */
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../test/support/stores.js';
import { openStore, type Store } from './store.js';

interface Row {
  id: string;
}

describe('SQLite at FULL, its batch fsync off the event loop', () => {
  let testStore: TestStore;
  let store: Store | undefined;
  // The fsyncs a batch asked for, each released when the test says.
  let held: { fd: number; release: (error?: Error) => void }[];

  beforeEach(async () => {
    testStore = await createTestStore('sqlite');
    held = [];
    store = await openStore(
      { ...testStore.config, sqliteSynchronous: 'FULL' },
      {
        migrate: false,
        syncWal: (fd) => new Promise<void>((resolve, reject) => held.push({ fd, release: (error) => (error === undefined ? resolve() : reject(error)) })),
      },
    );
    await sql`create table synced (id text primary key)`.execute(store.db);
    // The create table was an autocommit write: synced once, at once.
    expect(store.db.walSyncs).toEqual({ deferred: 0, inline: 1 });
  });

  afterEach(async () => {
    for (const sync of held) sync.release();
    await store?.close();
    await testStore.drop();
  });

  const untyped = () => (store as Store).db as unknown as Kysely<{ synced: Row }>;
  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    return done;
  };
  const whenHeld = async (count: number) => {
    for (let turn = 0; turn < 200 && held.length < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(held).toHaveLength(count);
  };

  it('runs the connection at NORMAL', async () => {
    const rows = await sql<{ synchronous: number }>`pragma synchronous`.execute(untyped());
    expect(rows.rows[0]?.synchronous).toBe(1);
  });

  it('answers a batch, and lets anyone read its writes, only once its WAL is synced', async () => {
    const written = untyped().transaction().execute((trx) => trx.insertInto('synced').values({ id: 'a' }).execute());
    await whenHeld(1);
    const read = untyped().selectFrom('synced').selectAll().execute();
    expect(await settled(written)).toBe(false);
    expect(await settled(read)).toBe(false);
    held[0]?.release();
    await written;
    expect((await read).map((row) => row.id)).toEqual(['a']);
    expect(store?.db.walSyncs).toEqual({ deferred: 1, inline: 1 });
  });

  it('syncs a write outside a transaction at once, and a read not at all', async () => {
    await untyped().insertInto('synced').values({ id: 'b' }).execute();
    expect(store?.db.walSyncs).toEqual({ deferred: 0, inline: 2 });
    await untyped().selectFrom('synced').selectAll().execute();
    expect(store?.db.walSyncs).toEqual({ deferred: 0, inline: 2 });
    expect(held).toHaveLength(0);
  });

  it("fails the batch's callers when the fsync fails, with the fsync's error", async () => {
    const written = untyped().transaction().execute((trx) => trx.insertInto('synced').values({ id: 'c' }).execute());
    await whenHeld(1);
    held[0]?.release(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await expect(written).rejects.toThrow(/EIO/);
    expect(store?.db.walSyncs?.deferred).toBe(0);
  });
});
