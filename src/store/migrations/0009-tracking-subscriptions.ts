import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const sequence = dialect === 'postgres' ? 'bigserial' : 'integer';

  // A webhook subscription to one reference. cursor_seq is the last event of the log delivered (or passed over
  // as not the subscriber's); head_seq the newest event of the reference, raised by ingest in its transaction,
  // so "something to deliver" is head_seq > cursor_seq without scanning the log.
  await db.schema.createTable('tracking_subscriptions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('party_id', 'text', (col) => col.notNull())
    .addColumn('party_kind', 'text', (col) => col.notNull())
    .addColumn('reference_kind', 'text', (col) => col.notNull())
    .addColumn('reference', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('cursor_seq', 'bigint', (col) => col.notNull())
    .addColumn('head_seq', 'bigint', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_delivered_at', 'text')
    .addColumn('delivered_events', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('tracking_subscriptions_reference').on('tracking_subscriptions').columns(['tenant_id', 'reference_kind', 'reference']).execute();
  await db.schema.createIndex('tracking_subscriptions_party').on('tracking_subscriptions').columns(['party_id', 'created_at']).execute();
  await db.schema.createIndex('tracking_subscriptions_due').on('tracking_subscriptions').columns(['status', 'next_attempt_at']).execute();

  // Every delivery attempt, kept so a subscriber can see what failed and why.
  await db.schema.createTable('tracking_deliveries')
    .addColumn('seq', sequence, (col) => (dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement()))
    .addColumn('subscription_id', 'text', (col) => col.notNull().references('tracking_subscriptions.id').onDelete('cascade'))
    .addColumn('attempted_at', 'text', (col) => col.notNull())
    .addColumn('first_seq', 'bigint', (col) => col.notNull())
    .addColumn('last_seq', 'bigint', (col) => col.notNull())
    .addColumn('events', 'integer', (col) => col.notNull())
    .addColumn('attempt', 'integer', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('tracking_deliveries_subscription').on('tracking_deliveries').columns(['subscription_id', 'seq']).execute();
}
