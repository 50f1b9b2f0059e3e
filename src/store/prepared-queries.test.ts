/**
 * Hot queries compiled once (prepared-queries.ts): a key's second call binds the kept SQL with its own values, in
 * the places the builder put them, beside the constants written in the query; a value the builder did not send
 * as a parameter refuses the query instead of keeping wrong SQL.
 */
import { sql, type Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { scratchStore } from '../../test/support/scratch.js';
import { storeKinds } from '../../test/support/stores.js';
import { listed, named, PreparedQueries } from './prepared-queries.js';

const kinds = await storeKinds();

interface Row {
  id: string;
  a: string | null;
  b: number;
}

describe.each(kinds)('queries compiled once on %s', (kind) => {
  const store = scratchStore(kind);

  beforeEach(async () => {
    await sql`drop table if exists prepared`.execute(store().db);
    await sql`create table prepared (id text primary key, a text, b integer not null)`.execute(store().db);
    await sql`insert into prepared (id, a, b) values ('r1', 'x', 1), ('r2', 'y', 2), ('r3', null, 3)`.execute(store().db);
  });

  // The table is not in the Database type: the builder is Kysely's, untyped for it.
  const untyped = () => store().db as unknown as Kysely<{ prepared: Row }>;
  const stored = async () => (await sql<Row>`select id, a, b from prepared order by id`.execute(store().db)).rows;

  it('binds each call its own values, in the places the first call compiled, beside the constants', async () => {
    const prepared = new PreparedQueries();
    let built = 0;
    // The values are named in an order unlike the SQL's, and the query has a constant of its own (b + 10).
    const bump = (values: { at: string; id: string }) =>
      prepared.affected(store().db, 'bump', values, (given) => {
        built += 1;
        return untyped()
          .updateTable('prepared')
          .set((eb) => ({ b: eb('b', '+', 10), a: sql<string>`${given.at}` }))
          .where('id', '=', given.id);
      });
    expect(await bump({ at: 'seven', id: 'r1' })).toBe(1n);
    expect(await bump({ at: 'eight', id: 'r3' })).toBe(1n);
    expect(await bump({ at: 'nine', id: 'none' })).toBe(0n);
    expect(built).toBe(1);
    expect((await stored()).map((row) => [row.id, String(row.a), Number(row.b)])).toEqual([
      ['r1', 'seven', 11],
      ['r2', 'y', 2],
      ['r3', 'eight', 13],
    ]);
  });

  it('reads the rows of a select, a key per shape', async () => {
    const prepared = new PreparedQueries();
    const above = (values: { min: number; not: string }) =>
      prepared.rows(store().db, 'above', values, (given) => untyped().selectFrom('prepared').select(['id']).where('b', '>', given.min).where('id', '<>', given.not).orderBy('id'));
    expect((await above({ min: 1, not: 'r3' })).map((row) => row.id)).toEqual(['r2']);
    expect((await above({ min: 0, not: 'r2' })).map((row) => row.id)).toEqual(['r1', 'r3']);
    const inList = (ids: string[]) =>
      prepared.rows(store().db, `in:${ids.length}`, named('v', ids), (given) => untyped().selectFrom('prepared').select(['id']).where('id', 'in', listed(given, 'v', ids.length)).orderBy('id'));
    expect((await inList(['r3', 'r1'])).map((row) => row.id)).toEqual(['r1', 'r3']);
    expect((await inList(['r2'])).map((row) => row.id)).toEqual(['r2']);
    expect((await inList(['r2', 'none'])).map((row) => row.id)).toEqual(['r2']);
  });

  it('refuses a query that does not send a value as a parameter, and runs nothing', async () => {
    const prepared = new PreparedQueries();
    await expect(
      prepared.affected(store().db, 'forgets', { id: 'r1', b: 5 }, (given) => untyped().updateTable('prepared').set({ b: 100 }).where('id', '=', given.id)),
    ).rejects.toThrow(/forgets: b is not a plain parameter/);
    expect((await stored()).map((row) => Number(row.b))).toEqual([1, 2, 3]);
  });
});
