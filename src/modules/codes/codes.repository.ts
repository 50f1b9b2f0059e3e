import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';

export interface HsRecord {
  readonly code: string;
  readonly description: string;
  readonly parent: string | null;
  readonly level: number;
}

export interface LocodeRecord {
  readonly code: string;
  readonly country: string;
  readonly name: string;
  readonly subdivision: string | null;
  readonly functions: string;
  readonly status: string | null;
}

export interface ListStatus {
  readonly list: string;
  readonly source: string;
  readonly entries: number;
  readonly importedAt: string;
}

const BATCH = 500;

export class CodesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Replaces the whole HS nomenclature in one transaction: readers see the old list or the new one. */
  replaceHs(rows: AsyncIterable<HsRecord>, source: string, at: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('hs_codes').execute();
      const count = await insertInBatches(rows, (batch) => trx.insertInto('hs_codes').values(batch.map((row) => ({ ...row }))).execute());
      await recordImport(trx, 'hs', source, count, at);
      return count;
    });
  }

  /** Replaces the whole UN/LOCODE list in one transaction. */
  replaceLocodes(rows: AsyncIterable<LocodeRecord>, source: string, at: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('locodes').execute();
      // The same code can appear twice (names in two languages); the first one is kept.
      await insertInBatches(rows, (batch) =>
        trx.insertInto('locodes').values(batch.map((row) => ({ ...row }))).onConflict((conflict) => conflict.column('code').doNothing()).execute(),
      );
      const { count } = await trx.selectFrom('locodes').select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
      await recordImport(trx, 'locode', source, Number(count), at);
      return Number(count);
    });
  }

  async listStatus(): Promise<ListStatus[]> {
    const rows = await this.db.selectFrom('code_lists').selectAll().execute();
    return rows.map((row) => ({ list: row.list, source: row.source, entries: row.entries, importedAt: row.imported_at }));
  }

  async knownHs(codes: readonly string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows = await this.db.selectFrom('hs_codes').select('code').where('code', 'in', [...new Set(codes)]).execute();
    return new Set(rows.map((row) => row.code));
  }

  async knownLocodes(codes: readonly string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows = await this.db.selectFrom('locodes').select('code').where('code', 'in', [...new Set(codes)]).execute();
    return new Set(rows.map((row) => row.code));
  }

  async searchHs(query: string, limit: number): Promise<HsRecord[]> {
    const needle = `%${escapeLike(query.toLowerCase())}%`;
    return this.db
      .selectFrom('hs_codes')
      .selectAll()
      .where((eb) => eb.or([eb('code', 'like', `${escapeLike(query)}%`), eb(eb.fn('lower', ['description']), 'like', needle)]))
      // Codes that start with what was typed come before descriptions that mention it.
      .orderBy((eb) => eb.case().when('code', 'like', `${escapeLike(query)}%`).then(0).else(1).end())
      .orderBy('code')
      .limit(limit)
      .execute();
  }

  async searchLocodes(query: string, limit: number): Promise<LocodeRecord[]> {
    const needle = `%${escapeLike(query.toLowerCase())}%`;
    return this.db
      .selectFrom('locodes')
      .selectAll()
      .where((eb) => eb.or([eb('code', 'like', `${escapeLike(query.toUpperCase())}%`), eb(eb.fn('lower', ['name']), 'like', needle)]))
      .orderBy((eb) => eb.case().when('code', 'like', `${escapeLike(query.toUpperCase())}%`).then(0).else(1).end())
      .orderBy('code')
      .limit(limit)
      .execute();
  }
}

async function insertInBatches<T>(rows: AsyncIterable<T>, insert: (batch: T[]) => Promise<unknown>): Promise<number> {
  let batch: T[] = [];
  let count = 0;
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      await insert(batch);
      count += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    await insert(batch);
    count += batch.length;
  }
  return count;
}

async function recordImport(trx: Transaction<Database>, list: string, source: string, entries: number, at: string): Promise<void> {
  await trx
    .insertInto('code_lists')
    .values({ list, source, entries, imported_at: at })
    .onConflict((conflict) => conflict.column('list').doUpdateSet({ source, entries, imported_at: at }))
    .execute();
}

function escapeLike(text: string): string {
  // LIKE wildcards in user input match literally; both stores take no ESCAPE clause by default, so drop them.
  return text.replace(/[%_\\]/g, '');
}
