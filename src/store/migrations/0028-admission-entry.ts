import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * ledger_accounts.entered_on: the day the goods of an account with a deadline entered (a temporary admission's
 * exhibits, released under 2700 or 2600). The deadline runs from it: valid_to is entered_on + the model's months,
 * then each extension; null until the first entry (the deadline the account was signed with stands until then).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('ledger_accounts').addColumn('entered_on', 'text').execute();
}
