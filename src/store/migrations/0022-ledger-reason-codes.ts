import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * ledger_entries.reason_code and reason_params: the reasons Kouan writes on an entry itself (a hold given back
 * because a declaration was cancelled, rejected or refused, a hold that lapsed, an account revoked or suspended)
 * keep their code and parameters, so they can be worded in the reader's language. `reason` keeps the English text
 * as before. Entries are immutable; adding columns rewrites none of them, and older entries are recognised from
 * their English text when read.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('ledger_entries').addColumn('reason_code', 'text').execute();
  await db.schema.alterTable('ledger_entries').addColumn('reason_params', 'text').execute();
}
