import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Who may publish movements: the places a terminal or port operates (UN/LOCODEs, set by an operator with the
 * role), and the carrier each bill of lading belongs to (claimed by the first carrier to publish on it).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('parties').addColumn('locations', 'text', (column) => column.notNull().defaultTo('[]')).execute();
  await db.schema
    .createTable('tracking_bill_carriers')
    .addColumn('tenant_id', 'text', (column) => column.notNull())
    .addColumn('bill_of_lading', 'text', (column) => column.notNull())
    .addColumn('carrier', 'text', (column) => column.notNull())
    .addColumn('claimed_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('tracking_bill_carriers_pk', ['tenant_id', 'bill_of_lading'])
    .execute();
  // A carrier's events on a container or vessel alone are checked against its bills.
  await db.schema.createIndex('tracking_bill_carriers_carrier').on('tracking_bill_carriers').columns(['tenant_id', 'carrier']).execute();
}
