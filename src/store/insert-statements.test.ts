/**
 * Hot inserts compiled once per shape (insert-statements.ts): a shape's second call binds the kept SQL and stores
 * exactly what the builder would have; a shape whose parameters are not the rows' values (a default left out, a
 * value in the conflict clause) is built every time.
 */
import { sql, type Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { scratchStore } from '../../test/support/scratch.js';
import { storeKinds } from '../../test/support/stores.js';
import { InsertStatements } from './insert-statements.js';

const kinds = await storeKinds();

interface Row {
  id: string;
  a: string | null;
  b: number;
  c?: string | undefined;
}

describe.each(kinds)('inserts compiled once per shape on %s', (kind) => {
  const store = scratchStore(kind);

  beforeEach(async () => {
    await sql`drop table if exists shaped`.execute(store().db);
    await sql`create table shaped (id text primary key, a text, b integer not null, c text not null default 'dflt')`.execute(store().db);
  });

  // The table is not in the Database type: the builder is Kysely's, untyped for it.
  const untyped = () => store().db as unknown as Kysely<{ shaped: Row }>;
  const stored = async () => (await sql<{ id: string; a: string | null; b: number; c: string }>`select id, a, b, c from shaped order by id`.execute(store().db)).rows;

  function inserter() {
    const inserts = new InsertStatements();
    let built = 0;
    const insert = (rows: Row[], name = 'shaped') =>
      inserts.run(store().db, name, rows, () => {
        built += 1;
        return untyped().insertInto('shaped').values(rows);
      });
    return { insert, built: () => built };
  }

  it("binds a shape's kept SQL from its second call on, with each value in its column", async () => {
    const { insert, built } = inserter();
    await insert([{ id: 'r1', a: 'x', b: 1, c: 'first' }]);
    await insert([{ id: 'r2', a: null, b: 2, c: 'second' }]);
    await insert([{ id: 'r3', a: 'z', b: 3, c: 'third' }]);
    expect(built()).toBe(1);
    // Two rows are another shape: compiled once more, then kept too.
    await insert([
      { id: 'r4', a: 'p', b: 4, c: 'fourth' },
      { id: 'r5', a: 'q', b: 5, c: 'fifth' },
    ]);
    await insert([
      { id: 'r6', a: 'v', b: 6, c: 'sixth' },
      { id: 'r7', a: 'w', b: 7, c: 'seventh' },
    ]);
    expect(built()).toBe(2);
    expect(await stored()).toEqual([
      { id: 'r1', a: 'x', b: 1, c: 'first' },
      { id: 'r2', a: null, b: 2, c: 'second' },
      { id: 'r3', a: 'z', b: 3, c: 'third' },
      { id: 'r4', a: 'p', b: 4, c: 'fourth' },
      { id: 'r5', a: 'q', b: 5, c: 'fifth' },
      { id: 'r6', a: 'v', b: 6, c: 'sixth' },
      { id: 'r7', a: 'w', b: 7, c: 'seventh' },
    ]);
  });

  it('builds every time rows that leave a column to its default, and binds rows that name their columns in another order', async () => {
    const { insert, built } = inserter();
    await insert([{ id: 'd1', a: 'x', b: 1, c: undefined }]);
    await insert([{ id: 'd2', a: 'y', b: 2, c: undefined }]);
    expect(built()).toBe(2);
    await insert([
      { id: 'o1', a: 'x', b: 1, c: 'k' },
      { b: 2, id: 'o2', c: 'l', a: 'y' },
    ]);
    await insert([
      { id: 'o3', a: 'z', b: 3, c: 'm' },
      { b: 4, id: 'o4', c: 'n', a: 'w' },
    ]);
    expect(built()).toBe(3);
    expect(await stored()).toEqual([
      { id: 'd1', a: 'x', b: 1, c: 'dflt' },
      { id: 'd2', a: 'y', b: 2, c: 'dflt' },
      { id: 'o1', a: 'x', b: 1, c: 'k' },
      { id: 'o2', a: 'y', b: 2, c: 'l' },
      { id: 'o3', a: 'z', b: 3, c: 'm' },
      { id: 'o4', a: 'w', b: 4, c: 'n' },
    ]);
  });

  it('builds every time a statement whose conflict clause carries a value of its own', async () => {
    const inserts = new InsertStatements();
    let built = 0;
    const upsert = (row: Row, note: string) =>
      inserts.run(store().db, 'shaped-upsert', [row], () => {
        built += 1;
        return untyped()
          .insertInto('shaped')
          .values(row)
          .onConflict((conflict) => conflict.column('id').doUpdateSet({ a: note }));
      });
    await upsert({ id: 'u1', a: 'x', b: 1, c: 'k' }, 'never');
    await upsert({ id: 'u1', a: 'y', b: 2, c: 'l' }, 'first');
    await upsert({ id: 'u1', a: 'z', b: 3, c: 'm' }, 'second');
    expect(built).toBe(3);
    expect(await stored()).toEqual([{ id: 'u1', a: 'second', b: 1, c: 'k' }]);
  });

  it('gives back what a RETURNING clause returns, bound or built', async () => {
    const inserts = new InsertStatements();
    const insert = (row: Row) => inserts.run(store().db, 'shaped-returning', [row], () => untyped().insertInto('shaped').values(row).returning(['id', 'b']));
    expect(await insert({ id: 't1', a: null, b: 10, c: 'k' })).toEqual([{ id: 't1', b: 10 }]);
    expect(await insert({ id: 't2', a: null, b: 20, c: 'k' })).toEqual([{ id: 't2', b: 20 }]);
  });
});
