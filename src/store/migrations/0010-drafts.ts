import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/** Drafts: an enterprise's unfinished declarations, kept between visits and browsers. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('drafts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('party_id', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('doc_type', 'text', (col) => col.notNull())
    .addColumn('title', 'text')
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // A party's drafts, most recently saved first: the list and its cursor.
  await db.schema.createIndex('drafts_party_updated').on('drafts').columns(['party_id', 'updated_at', 'id']).execute();
}
