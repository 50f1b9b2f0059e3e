import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * drafts.attachments: the files an unfinished document carries (JSON array of {kind, sha256, name, mediaType,
 * size}, as POST /attachments answered), so that a draft saved with its invoice comes back with it. Drafts saved
 * before have none.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('drafts').addColumn('attachments', 'text', (column) => column.notNull().defaultTo('[]')).execute();
}
