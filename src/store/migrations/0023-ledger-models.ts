import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Ledger models (issue 12): a line is keyed by what its account's model says (an HS prefix, a temporary
 * admission's item number, a bill of lading's number and line, a currency), not by an HS code.
 *
 * - ledger_lines.key: the model's key, filled from hs_code for every existing line; hs_code becomes nullable.
 * - ledger_accounts.issuer no longer references parties: a carrier's own bill or Kouan itself (on an approval)
 *   issues accounts too. ledger_accounts.extensions counts the extensions of a deadline (temporary admission).
 * - ledger_reservations.write_off and ledger_entries.write_off: how a hold is written off (re-export,
 *   conversion, abandonment, destruction) when the model says; null otherwise. Adding a column rewrites no entry.
 *
 * SQLite cannot relax NOT NULL or drop a foreign key in place, so it rebuilds ledger_accounts and ledger_lines
 * with foreign keys off (this migration runs outside a transaction on SQLite, like every SQLite migration here)
 * inside one transaction of its own, and checks every foreign key before it commits. ledger_entries, with its
 * immutability triggers, is not rebuilt.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await db.schema.alterTable('ledger_lines').addColumn('key', 'text').execute();
    await sql`update ledger_lines set key = hs_code`.execute(db);
    await sql`alter table ledger_lines alter column key set not null, alter column hs_code drop not null`.execute(db);
    const { rows } = await sql<{ name: string }>`
      select con.conname as name from pg_constraint con join pg_class rel on rel.oid = con.conrelid
      where rel.relname = 'ledger_accounts' and con.contype = 'f' and con.confrelid = 'parties'::regclass`.execute(db);
    for (const { name } of rows) await sql`alter table ledger_accounts drop constraint ${sql.id(name)}`.execute(db);
    await db.schema.alterTable('ledger_accounts').addColumn('extensions', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  } else {
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await db.transaction().execute(async (trx) => {
        await sql`create table ledger_accounts_0023 (
          number text primary key,
          tenant_id text not null references tenants(id),
          type text not null,
          issuer text not null,
          holder text not null,
          direction text not null,
          valid_from text not null,
          valid_to text not null,
          max_uses integer,
          uses integer not null,
          status text not null,
          document text not null,
          signature text not null,
          issued_at text not null,
          updated_at text not null,
          signature_sm2 text,
          extensions integer not null default 0,
          constraint ledger_accounts_uses check (uses >= 0 and (max_uses is null or uses <= max_uses))
        )`.execute(trx);
        await sql`insert into ledger_accounts_0023 (number, tenant_id, type, issuer, holder, direction, valid_from, valid_to, max_uses, uses, status, document, signature, issued_at, updated_at, signature_sm2)
          select number, tenant_id, type, issuer, holder, direction, valid_from, valid_to, max_uses, uses, status, document, signature, issued_at, updated_at, signature_sm2 from ledger_accounts`.execute(trx);
        await sql`drop table ledger_accounts`.execute(trx);
        await sql`alter table ledger_accounts_0023 rename to ledger_accounts`.execute(trx);
        await sql`create index ledger_accounts_holder on ledger_accounts (holder, number)`.execute(trx);
        await sql`create index ledger_accounts_issuer on ledger_accounts (issuer, number)`.execute(trx);

        await sql`create table ledger_lines_0023 (
          account_number text not null references ledger_accounts(number),
          line_no integer not null,
          key text not null,
          hs_code text,
          unit text not null,
          granted integer not null,
          ceiling integer not null,
          reserved integer not null,
          posted integer not null,
          debit_reserved integer not null,
          debit_posted integer not null,
          constraint ledger_lines_pk primary key (account_number, line_no),
          constraint ledger_lines_balance check (reserved >= 0 and posted >= 0 and reserved + posted <= ceiling),
          constraint ledger_lines_debits check (debit_reserved >= 0 and debit_posted >= 0 and debit_reserved + debit_posted <= posted)
        )`.execute(trx);
        await sql`insert into ledger_lines_0023 (account_number, line_no, key, hs_code, unit, granted, ceiling, reserved, posted, debit_reserved, debit_posted)
          select account_number, line_no, hs_code, hs_code, unit, granted, ceiling, reserved, posted, debit_reserved, debit_posted from ledger_lines`.execute(trx);
        await sql`drop table ledger_lines`.execute(trx);
        await sql`alter table ledger_lines_0023 rename to ledger_lines`.execute(trx);

        const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(trx);
        if (broken.rows.length > 0) throw new Error(`0023-ledger-models: ${broken.rows.length} foreign keys broken after the rebuild`);
      });
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  }
  await db.schema.alterTable('ledger_reservations').addColumn('write_off', 'text').execute();
  await db.schema.alterTable('ledger_entries').addColumn('write_off', 'text').execute();
}
