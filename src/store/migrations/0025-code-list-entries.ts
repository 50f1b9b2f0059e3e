import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * code_list_entries: the entries of every store-backed code list of the registry (trade modes, levy natures,
 * domestic ports ...), imported by an operator (`kouan codes import <list> FILE`), which replaces one list's
 * rows in a transaction. `extra` keeps the file's other columns (a JSON object of text). The import itself is
 * recorded in code_lists, as for the lists with tables of their own.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('code_list_entries')
    .addColumn('list', 'text', (col) => col.notNull())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('en', 'text', (col) => col.notNull())
    .addColumn('zh', 'text', (col) => col.notNull())
    .addColumn('extra', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('code_list_entries_pk', ['list', 'code'])
    .execute();
}
