import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

// Quantities are integers in millionths of the unit (micro-units): exact on both stores, compared in SQL.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema.createTable('signing_keys')
    .addColumn('kid', 'text', (col) => col.primaryKey())
    .addColumn('issuer', 'text', (col) => col.notNull())
    .addColumn('alg', 'text', (col) => col.notNull())
    .addColumn('public_jwk', 'text', (col) => col.notNull())
    .addColumn('private_jwk', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('signing_keys_issuer').on('signing_keys').columns(['issuer', 'created_at']).execute();

  await db.schema.createTable('ledger_accounts')
    .addColumn('number', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull().references('tenants.id'))
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('issuer', 'text', (col) => col.notNull().references('parties.id'))
    .addColumn('holder', 'text', (col) => col.notNull())
    .addColumn('direction', 'text', (col) => col.notNull())
    .addColumn('valid_from', 'text', (col) => col.notNull())
    .addColumn('valid_to', 'text', (col) => col.notNull())
    .addColumn('max_uses', 'integer')
    .addColumn('uses', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('document', 'text', (col) => col.notNull())
    .addColumn('signature', 'text', (col) => col.notNull())
    .addColumn('issued_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addCheckConstraint('ledger_accounts_uses', sql`uses >= 0 and (max_uses is null or uses <= max_uses)`)
    .execute();
  await db.schema.createIndex('ledger_accounts_holder').on('ledger_accounts').columns(['holder', 'number']).execute();
  await db.schema.createIndex('ledger_accounts_issuer').on('ledger_accounts').columns(['issuer', 'number']).execute();

  await db.schema.createTable('ledger_lines')
    .addColumn('account_number', 'text', (col) => col.notNull().references('ledger_accounts.number'))
    .addColumn('line_no', 'integer', (col) => col.notNull())
    .addColumn('hs_code', 'text', (col) => col.notNull())
    .addColumn('unit', 'text', (col) => col.notNull())
    .addColumn('granted', big, (col) => col.notNull())
    .addColumn('ceiling', big, (col) => col.notNull())
    .addColumn('reserved', big, (col) => col.notNull())
    .addColumn('posted', big, (col) => col.notNull())
    // A processing-trade manual's material lines are also debited by exports, up to what imports posted.
    .addColumn('debit_reserved', big, (col) => col.notNull())
    .addColumn('debit_posted', big, (col) => col.notNull())
    .addPrimaryKeyConstraint('ledger_lines_pk', ['account_number', 'line_no'])
    .addCheckConstraint('ledger_lines_balance', sql`reserved >= 0 and posted >= 0 and reserved + posted <= ceiling`)
    .addCheckConstraint('ledger_lines_debits', sql`debit_reserved >= 0 and debit_posted >= 0 and debit_reserved + debit_posted <= posted`)
    .execute();

  await db.schema.createTable('ledger_reservations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_number', 'text', (col) => col.notNull())
    .addColumn('line_no', 'integer', (col) => col.notNull())
    .addColumn('submission_id', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('side', 'text', (col) => col.notNull())
    .addColumn('quantity', big, (col) => col.notNull().check(sql`quantity > 0`))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addForeignKeyConstraint('ledger_reservations_line', ['account_number', 'line_no'], 'ledger_lines', ['account_number', 'line_no'])
    .execute();
  await db.schema.createIndex('ledger_reservations_submission').on('ledger_reservations').column('submission_id').execute();
  await db.schema.createIndex('ledger_reservations_account').on('ledger_reservations').columns(['account_number', 'status']).execute();
  await db.schema.createIndex('ledger_reservations_pending').on('ledger_reservations').column('expires_at').where(sql.ref('status'), '=', 'pending').execute();

  await db.schema.createTable('ledger_entries')
    .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (col: ColumnDefinitionBuilder) => (dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement()))
    .addColumn('entry_id', 'text', (col) => col.notNull().unique())
    .addColumn('account_number', 'text', (col) => col.notNull())
    .addColumn('line_no', 'integer')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('side', 'text')
    .addColumn('quantity', big)
    .addColumn('reservation_id', 'text')
    .addColumn('submission_id', 'text')
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account_number', 'seq']).execute();

  // Entries are the ledger's evidence: the database itself refuses to change or delete one.
  if (dialect === 'postgres') {
    await sql`create function ledger_entries_immutable() returns trigger language plpgsql as $$
      begin raise exception 'ledger entries are immutable'; end $$`.execute(db);
    await sql`create trigger ledger_entries_no_update before update or delete on ledger_entries
      for each row execute function ledger_entries_immutable()`.execute(db);
  } else {
    await sql`create trigger ledger_entries_no_update before update on ledger_entries
      begin select raise(abort, 'ledger entries are immutable'); end`.execute(db);
    await sql`create trigger ledger_entries_no_delete before delete on ledger_entries
      begin select raise(abort, 'ledger entries are immutable'); end`.execute(db);
  }
}
