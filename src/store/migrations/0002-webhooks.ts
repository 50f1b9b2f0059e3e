import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('webhooks')
    .addColumn('agency', 'text', (col) => col.primaryKey().references('parties.id'))
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema.createTable('webhook_deliveries')
    .addColumn('message_id', 'text', (col) => col.primaryKey())
    .addColumn('agency', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').column('next_attempt_at')
    .where(sql.ref('delivered_at'), 'is', null).execute();
}
