import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Audit records written in the transaction of the request's write, before they are chained: the chainer moves
 * them into audit_log (assigning seq and hashes under the head's lock) and deletes them, in one transaction.
 * `id` only orders them; the chain's order is the order they are chained in.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_pending')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (col) => (dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement()))
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
    .execute();
  await db.schema.createIndex('audit_pending_at').on('audit_pending').column('at').execute();
}
