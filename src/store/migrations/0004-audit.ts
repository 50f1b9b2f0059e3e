import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

// The hash that the first record chains from.
const GENESIS = '0'.repeat(64);

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // `seq` is assigned by the appender from the head (head seq + 1) inside the locked transaction, not by a
  // database sequence: a PostgreSQL sequence burns numbers on rollback, and a gap must only ever mean that a
  // record was deleted. It is still an integer primary key (a rowid alias on SQLite).
  const big = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema.createTable('audit_log')
    .addColumn('seq', big, (col) => col.primaryKey())
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('actor_kind', 'text', (col) => col.notNull())
    .addColumn('key_id', 'text')
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('resource', 'text')
    .addColumn('resource_owner', 'text')
    .addColumn('outcome', 'integer', (col) => col.notNull())
    .addColumn('ip', 'text', (col) => col.notNull())
    .addColumn('request_id', 'text', (col) => col.notNull())
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'seq']).execute();
  await db.schema.createIndex('audit_log_resource_owner').on('audit_log').columns(['resource_owner', 'seq']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  // One row: the last appended seq and hash, moved in the same transaction as every append. Without it,
  // deleting the newest records would leave a shorter chain that is still perfectly consistent.
  await db.schema.createTable('audit_head')
    .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('seq', big, (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute();
  await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: GENESIS }).execute();
}
