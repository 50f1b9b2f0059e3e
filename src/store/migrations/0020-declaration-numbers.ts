import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * The 18-digit declaration number (office 4 + year 4 + direction 1 + sequence 9): one counter row per office,
 * year and direction, and a unique `number` on submissions. Submissions stored before get their numbers here,
 * in submission order (created_at, then id), the year read in China's time (UTC+8, the default platform zone);
 * those without a 4-digit customsOffice and an import/export direction keep none.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('declaration_counters')
    .addColumn('office', 'text', (col) => col.notNull())
    .addColumn('year', 'integer', (col) => col.notNull())
    .addColumn('direction', 'text', (col) => col.notNull())
    .addColumn('last', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('declaration_counters_pk', ['office', 'year', 'direction'])
    .execute();
  await db.schema.alterTable('submissions').addColumn('number', 'text').execute();
  await db.schema.createIndex('submissions_number').on('submissions').column('number').unique().execute();

  const last = new Map<string, number>();
  const rows = (await db.selectFrom('submissions').select(['id', 'data', 'created_at']).orderBy('created_at').orderBy('id').execute()) as { id: string; data: string; created_at: string }[];
  for (const row of rows) {
    const series = seriesOf(row.data, row.created_at);
    if (series === undefined) continue;
    const sequence = (last.get(series) ?? 0) + 1;
    last.set(series, sequence);
    await db.updateTable('submissions').set({ number: `${series}${String(sequence).padStart(9, '0')}` }).where('id', '=', row.id).execute();
  }
  for (const [series, sequence] of last) {
    await db.insertInto('declaration_counters').values({ office: series.slice(0, 4), year: Number(series.slice(4, 8)), direction: series.slice(8), last: sequence }).execute();
  }
}

/** office + year + direction as the first nine digits, as the code of 0020 knew them (frozen here on purpose). */
function seriesOf(data: string, createdAt: string): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null) return undefined;
  const { customsOffice, direction } = document as { customsOffice?: unknown; direction?: unknown };
  if (typeof customsOffice !== 'string' || !/^\d{4}$/.test(customsOffice) || (direction !== 'import' && direction !== 'export')) return undefined;
  const year = new Date(Date.parse(createdAt) + 8 * 3_600_000).getUTCFullYear();
  return `${customsOffice}${year}${direction === 'import' ? '1' : '0'}`;
}
