import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('party_keys')
    .addColumn('kid', 'text', (col) => col.primaryKey())
    .addColumn('party_id', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('alg', 'text', (col) => col.notNull())
    .addColumn('jwk', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('party_keys_party').on('party_keys').column('party_id').execute();

  await db.schema.createTable('party_policies')
    .addColumn('party_id', 'text', (col) => col.primaryKey().references('parties.id'))
    .addColumn('require_signed_submissions', 'integer', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  // The declarant's detached JWS over the request body, kept for non-repudiation, and the key that made it.
  await db.schema.alterTable('submissions').addColumn('signature', 'text').execute();
  await db.schema.alterTable('submissions').addColumn('signature_kid', 'text').execute();
}
