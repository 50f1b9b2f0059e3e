import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * domain_events.tx_id: on PostgreSQL, the id of the transaction that appended the event. A bigserial is drawn
 * when a row is inserted, not when it commits, so seq alone is not the order in which events become visible;
 * readers order by (tx_id, seq) and read only below the oldest transaction still running (pg_snapshot_xmin),
 * where nothing can appear any more. Events already in the log are all committed: they keep 0 and come first,
 * in seq order. SQLite has one writer, so its seqs are in commit order and tx_id stays 0.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('domain_events').addColumn('tx_id', 'bigint', (column) => column.notNull().defaultTo(0)).execute();
  if (dialect === 'postgres') await sql`alter table domain_events alter column tx_id set default (pg_current_xact_id()::text::bigint)`.execute(db);
  await db.schema.createIndex('domain_events_position').on('domain_events').columns(['tx_id', 'seq']).execute();
}
