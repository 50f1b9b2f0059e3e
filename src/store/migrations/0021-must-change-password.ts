import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * users.must_change_password: 1 while the password is one somebody else chose (an admin or operator created the
 * account or reset its password), so that the person must choose their own before doing anything else. Accounts
 * that exist already keep 0: their people have been using those passwords.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (col) => col.notNull().defaultTo(0)).execute();
}
