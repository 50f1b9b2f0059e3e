import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Failed logins with emails that have no account, counted and locked exactly as an account's are, so that the
 * lockout does not tell which addresses have accounts. Keyed by the SHA-256 of the address, not the address.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('login_failures')
    .addColumn('email_hash', 'text', (col) => col.primaryKey())
    .addColumn('failed_logins', 'integer', (col) => col.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // Housekeeping deletes the old ones.
  await db.schema.createIndex('login_failures_updated').on('login_failures').column('updated_at').execute();
}
