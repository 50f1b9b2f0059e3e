import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const sequence = dialect === 'postgres' ? 'bigserial' : 'integer';
  const sequencePrimaryKey = (col: ColumnDefinitionBuilder) => (dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement());

  // The event log: append-only, seq is the ingestion order; event_id makes a republished event a no-op.
  await db.schema.createTable('tracking_events')
    .addColumn('seq', sequence, sequencePrimaryKey)
    .addColumn('event_id', 'text', (col) => col.notNull().unique())
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('classifier', 'text', (col) => col.notNull())
    .addColumn('event_time', 'text', (col) => col.notNull())
    .addColumn('location', 'text')
    .addColumn('facility', 'text')
    .addColumn('container', 'text')
    .addColumn('bill_of_lading', 'text')
    .addColumn('vessel_imo', 'text')
    .addColumn('voyage', 'text')
    .addColumn('submission_id', 'text')
    .addColumn('agency', 'text')
    .addColumn('publisher', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('received_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('tracking_events_container').on('tracking_events').columns(['container', 'event_time'])
    .where(sql.ref('container'), 'is not', null).execute();
  await db.schema.createIndex('tracking_events_bill_of_lading').on('tracking_events').columns(['bill_of_lading', 'event_time'])
    .where(sql.ref('bill_of_lading'), 'is not', null).execute();
  await db.schema.createIndex('tracking_events_vessel').on('tracking_events').columns(['vessel_imo', 'voyage', 'event_time'])
    .where(sql.ref('vessel_imo'), 'is not', null).execute();
  await db.schema.createIndex('tracking_events_submission').on('tracking_events').columns(['submission_id', 'event_time'])
    .where(sql.ref('submission_id'), 'is not', null).execute();

  // The projection: one current state per reference, recomputed from the log on ingest and by rebuild().
  await db.schema.createTable('tracking_current')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('reference_kind', 'text', (col) => col.notNull())
    .addColumn('reference', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('last_seq', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('tracking_current_pk', ['tenant_id', 'reference_kind', 'reference'])
    .execute();
}
