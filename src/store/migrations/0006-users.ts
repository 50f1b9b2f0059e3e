import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

// People of a party (portal users), their login sessions, and scopes, expiry and rotation for API keys.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('party_id', 'text', (col) => col.notNull().references('parties.id'))
    // Lower-case; one account per address across the deployment, since people log in by address alone.
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('roles', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('totp_secret', 'text')
    // Enrolment in progress: becomes totp_secret once the user proves the app shows the right code.
    .addColumn('totp_pending_secret', 'text')
    .addColumn('totp_last_step', 'integer')
    .addColumn('failed_logins', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('disabled_at', 'text')
    .addCheckConstraint('users_failed_logins', sql`failed_logins >= 0`)
    .execute();
  await db.schema.createIndex('users_party').on('users').columns(['party_id', 'email']).execute();

  await db.schema.createTable('sessions')
    // SHA-256 (hex) of the session token: a copy of the database does not give anyone a live session.
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
    .addColumn('party_id', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('csrf_token_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('last_seen_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();

  // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
  await db.schema.alterTable('api_keys').addColumn('scopes', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('rotated_from', 'text').execute();
}
