import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

// Migrations use Kysely<any> so they stay frozen when src/store/schema.ts moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const sequence = dialect === 'postgres' ? 'bigserial' : 'integer';
  const sequenceColumn = (name: string) =>
    [name, sequence, (col: ColumnDefinitionBuilder) => (dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement())] as const;

  await db.schema.createTable('tenants')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.insertInto('tenants').values({ id: 'central', name: 'Central e-port', created_at: new Date().toISOString() }).execute();

  await db.schema.createTable('parties')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sqlIn('kind', ['enterprise', 'agency', 'operator'])))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('roles', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema.createTable('api_keys')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('party_id', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('secret_hash', 'text', (col) => col.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_party').on('api_keys').column('party_id').execute();

  await db.schema.createTable('code_lists')
    .addColumn('list', 'text', (col) => col.primaryKey())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('entries', 'integer', (col) => col.notNull())
    .addColumn('imported_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema.createTable('hs_codes')
    .addColumn('code', 'text', (col) => col.primaryKey())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('parent', 'text')
    .addColumn('level', 'integer', (col) => col.notNull())
    .execute();

  await db.schema.createTable('locodes')
    .addColumn('code', 'text', (col) => col.primaryKey())
    .addColumn('country', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('subdivision', 'text')
    .addColumn('functions', 'text', (col) => col.notNull())
    .addColumn('status', 'text')
    .execute();

  await db.schema.createTable('submissions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull().references('tenants.id'))
    .addColumn('doc_type', 'text', (col) => col.notNull())
    .addColumn('declarant_id', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('trader_id', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('submissions_idempotency', ['declarant_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('submissions_declarant').on('submissions').columns(['declarant_id', 'id']).execute();
  await db.schema.createIndex('submissions_trader').on('submissions').columns(['trader_id', 'id']).execute();

  await db.schema.createTable('parts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('submission_id', 'text', (col) => col.notNull().references('submissions.id'))
    .addColumn('agency', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('doc_type', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('reasons', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('parts_submission_agency', ['submission_id', 'agency'])
    .execute();
  await db.schema.createIndex('parts_agency').on('parts').columns(['agency', 'submission_id']).execute();

  await db.schema.createTable('submission_history')
    .addColumn(...sequenceColumn('seq'))
    .addColumn('submission_id', 'text', (col) => col.notNull().references('submissions.id'))
    .addColumn('agency', 'text')
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('reasons', 'text')
    .addColumn('at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('submission_history_submission').on('submission_history').columns(['submission_id', 'seq']).execute();

  await db.schema.createTable('outbox')
    .addColumn(...sequenceColumn('seq'))
    .addColumn('message_id', 'text', (col) => col.notNull().unique())
    .addColumn('agency', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('submission_id', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('dispatched_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').column('seq').where(sql.ref('dispatched_at'), 'is', null).execute();

  await db.schema.createTable('inbox')
    .addColumn(...sequenceColumn('seq'))
    .addColumn('message_id', 'text', (col) => col.notNull().unique())
    .addColumn('agency', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('submission_id', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('delivered_at', 'text', (col) => col.notNull())
    .addColumn('acked_at', 'text')
    .execute();
  await db.schema.createIndex('inbox_agency').on('inbox').columns(['agency', 'seq']).execute();
}

function sqlIn(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);
}
