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

export interface TariffRecord {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly unit1: string;
  readonly unit2: string | null;
  readonly declarationElements: readonly string[];
  readonly rates: Readonly<Record<string, string>>;
}

export interface CustomsOfficeRecord {
  readonly code: string;
  readonly nameZh: string;
  readonly district: string;
}

export interface CodeListEntryRecord {
  readonly code: string;
  readonly en: string;
  readonly zh: string;
  readonly extra: Readonly<Record<string, string>>;
}

/** A file that held no entries: thrown inside the import's transaction so that the list stays as it was. */
export class EmptyImportError extends Error {
  constructor() {
    super('the file has no entries');
    this.name = 'EmptyImportError';
  }
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
      if (count === 0) throw new EmptyImportError();
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
      if (Number(count) === 0) throw new EmptyImportError();
      await recordImport(trx, 'locode', source, Number(count), at);
      return Number(count);
    });
  }

  /** Replaces the whole national tariff in one transaction. */
  replaceTariff(rows: AsyncIterable<TariffRecord>, source: string, at: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tariff_lines').execute();
      const count = await insertInBatches(rows, (batch) =>
        trx
          .insertInto('tariff_lines')
          .values(
            batch.map((row) => ({
              code: row.code,
              chapter: row.code.slice(0, 2),
              name_zh: row.nameZh,
              name_en: row.nameEn,
              unit1: row.unit1,
              unit2: row.unit2,
              declaration_elements: row.declarationElements.join('|'),
              rates: JSON.stringify(row.rates),
            })),
          )
          .execute(),
      );
      if (count === 0) throw new EmptyImportError();
      await recordImport(trx, 'tariff', source, count, at);
      return count;
    });
  }

  /** Replaces the whole list of customs offices in one transaction. */
  replaceCustomsOffices(rows: AsyncIterable<CustomsOfficeRecord>, source: string, at: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('customs_offices').execute();
      const count = await insertInBatches(rows, (batch) =>
        trx.insertInto('customs_offices').values(batch.map((row) => ({ code: row.code, name_zh: row.nameZh, district: row.district }))).execute(),
      );
      if (count === 0) throw new EmptyImportError();
      await recordImport(trx, 'customs-offices', source, count, at);
      return count;
    });
  }

  /**
   * Replaces the entries of one store-backed list in one transaction: readers see the old list or the new one.
   * A file with no entries is refused inside the transaction, so it leaves the list it would have replaced.
   */
  replaceEntries(list: string, rows: AsyncIterable<CodeListEntryRecord>, source: string, at: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('code_list_entries').where('list', '=', list).execute();
      const count = await insertInBatches(rows, (batch) =>
        trx
          .insertInto('code_list_entries')
          .values(batch.map((row) => ({ list, code: row.code, en: row.en, zh: row.zh, extra: JSON.stringify(row.extra) })))
          .execute(),
      );
      if (count === 0) throw new EmptyImportError();
      await recordImport(trx, list, source, count, at);
      return count;
    });
  }

  /** The codes among these that each store-backed list has: one query for every list of a document. */
  async knownEntries(codesByList: ReadonlyMap<string, readonly string[]>): Promise<Map<string, Set<string>>> {
    const known = new Map<string, Set<string>>([...codesByList.keys()].map((list) => [list, new Set<string>()]));
    const codes = [...new Set([...codesByList.values()].flat())];
    if (codes.length === 0) return known;
    const rows = await this.db
      .selectFrom('code_list_entries')
      .select(['list', 'code'])
      .where('list', 'in', [...codesByList.keys()])
      .where('code', 'in', codes)
      .execute();
    // The query asks every list for every code; keep only the pairs that were asked.
    for (const row of rows) if (codesByList.get(row.list)?.includes(row.code) === true) known.get(row.list)?.add(row.code);
    return known;
  }

  /** Entries of one store-backed list whose code starts with the query or whose names hold it, codes first. */
  async searchEntries(list: string, query: string, limit: number): Promise<CodeListEntryRecord[]> {
    const prefix = `${escapeLike(query.toUpperCase())}%`;
    const rows = await this.db
      .selectFrom('code_list_entries')
      .select(['code', 'en', 'zh', 'extra'])
      .where('list', '=', list)
      .where((eb) =>
        eb.or([eb('code', 'like', prefix), eb(eb.fn('lower', ['en']), 'like', `%${escapeLike(query.toLowerCase())}%`), eb('zh', 'like', `%${escapeLike(query)}%`)]),
      )
      .orderBy((eb) => eb.case().when('code', 'like', prefix).then(0).else(1).end())
      .orderBy('code')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ code: row.code, en: row.en, zh: row.zh, extra: JSON.parse(row.extra) as Record<string, string> }));
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

  /** The places among these codes, with their country and function classifier. */
  async locodePlaces(codes: readonly string[]): Promise<Map<string, { country: string; functions: string }>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db.selectFrom('locodes').select(['code', 'country', 'functions']).where('code', 'in', [...new Set(codes)]).execute();
    return new Map(rows.map((row) => [row.code, { country: row.country, functions: row.functions }]));
  }

  /** The tariff lines among these ten-digit codes. */
  async tariffLines(codes: readonly string[]): Promise<Map<string, TariffRecord>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db.selectFrom('tariff_lines').selectAll().where('code', 'in', [...new Set(codes)]).execute();
    return new Map(rows.map((row) => [row.code, tariffRecord(row)]));
  }

  /** Which of these two-digit chapters the loaded tariff has lines in. */
  async tariffChapters(chapters: readonly string[]): Promise<Set<string>> {
    if (chapters.length === 0) return new Set();
    const rows = await this.db.selectFrom('tariff_lines').select('chapter').distinct().where('chapter', 'in', [...new Set(chapters)]).execute();
    return new Set(rows.map((row) => row.chapter));
  }

  async knownCustomsOffices(codes: readonly string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows = await this.db.selectFrom('customs_offices').select('code').where('code', 'in', [...new Set(codes)]).execute();
    return new Set(rows.map((row) => row.code));
  }

  /**
   * Tariff lines matching every term of the query: digits match a code prefix; a term with Chinese characters
   * matches names holding each of its characters (Chinese has no word boundaries: 冻牛肉 finds 冻藏的去骨牛肉);
   * other words match inside the English or Chinese name. At most `cap` candidates, in code order; the caller ranks them.
   */
  async searchTariff(query: string, cap: number): Promise<TariffRecord[]> {
    const terms = query.split(/\s+/).filter((term) => escapeLike(term) !== '');
    if (terms.length === 0) return [];
    const rows = await this.db
      .selectFrom('tariff_lines')
      .selectAll()
      .where((eb) =>
        eb.and(
          terms.map((raw) => {
            const term = escapeLike(raw);
            if (/^\d+$/.test(term)) return eb('code', 'like', `${term}%`);
            const characters = [...term].filter((character) => CJK.test(character));
            if (characters.length > 0) return eb.and(characters.map((character) => eb('name_zh', 'like', `%${character}%`)));
            return eb.or([eb(eb.fn('lower', ['name_en']), 'like', `%${term.toLowerCase()}%`), eb('name_zh', 'like', `%${term}%`)]);
          }),
        ),
      )
      .orderBy('code')
      .limit(cap)
      .execute();
    return rows.map(tariffRecord);
  }

  /** Customs offices whose code starts with the query or whose name holds it. */
  async searchCustomsOffices(query: string, limit: number): Promise<CustomsOfficeRecord[]> {
    const term = escapeLike(query.toUpperCase());
    const rows = await this.db
      .selectFrom('customs_offices')
      .selectAll()
      .where((eb) => eb.or([eb('code', 'like', `${term}%`), eb('name_zh', 'like', `%${escapeLike(query)}%`)]))
      .orderBy((eb) => eb.case().when('code', 'like', `${term}%`).then(0).else(1).end())
      .orderBy('code')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ code: row.code, nameZh: row.name_zh, district: row.district }));
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

// The CJK Unified Ideographs and their extension A, and the compatibility ideographs.
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

function tariffRecord(row: { code: string; name_zh: string; name_en: string; unit1: string; unit2: string | null; declaration_elements: string; rates: string }): TariffRecord {
  return {
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    unit1: row.unit1,
    unit2: row.unit2,
    declarationElements: row.declaration_elements === '' ? [] : row.declaration_elements.split('|'),
    rates: JSON.parse(row.rates) as Record<string, string>,
  };
}

function escapeLike(text: string): string {
  // LIKE wildcards in user input match literally; both stores take no ESCAPE clause by default, so drop them.
  return text.replace(/[%_\\]/g, '');
}
