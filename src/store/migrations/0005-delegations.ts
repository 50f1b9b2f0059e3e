import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/** Delegations (委托报关): an enterprise authorises a customs broker to declare for it. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('delegations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('principal', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('agent', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('doc_types', 'text', (col) => col.notNull())
    .addColumn('directions', 'text', (col) => col.notNull())
    .addColumn('valid_from', 'text', (col) => col.notNull())
    .addColumn('valid_to', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    // Dates are YYYY-MM-DD text, so text order is date order on both stores.
    .addCheckConstraint('delegations_period', sql`valid_from <= valid_to`)
    .addCheckConstraint('delegations_not_self', sql`principal <> agent`)
    .execute();
  // The check of every broker's declaration: does this agent hold a delegation from this principal?
  await db.schema.createIndex('delegations_agent_principal').on('delegations').columns(['agent', 'principal']).execute();
  await db.schema.createIndex('delegations_principal').on('delegations').column('principal').execute();
}
