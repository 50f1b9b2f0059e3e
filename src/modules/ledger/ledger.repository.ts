import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import { InsertStatements } from '../../store/insert-statements.js';
import { listed, named, PreparedQueries } from '../../store/prepared-queries.js';
import { fromScaled } from '../../shared/decimal.js';
import type { EventLog } from '../events/index.js';
import { SCALE } from './models/index.js';
import type { Database } from '../../store/schema.js';
import type { LedgerAccountTable, LedgerEntryTable, LedgerLineTable, LedgerReservationTable } from './ledger.tables.js';
import type { LedgerViewer } from '../policies/index.js';
import type { AccountStatus } from './ledger.schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Which balance of a line a reservation holds. */
export type { Side } from './ledger.tables.js';
import type { Side } from './ledger.tables.js';

export type AccountRow = LedgerAccountTable;
export type LineRow = LedgerLineTable;
export type ReservationRow = LedgerReservationTable;
export type EntryRow = Omit<LedgerEntryTable, 'seq'> & { seq: number };
export type NewEntry = Omit<LedgerEntryTable, 'seq'>;

/** A reservation with what a reader needs to make sense of it. */
export type ReservationDetail = ReservationRow & { readonly type: string; readonly unit: string };

export interface AccountWithLines {
  readonly account: AccountRow;
  readonly lines: readonly LineRow[];
}

export class LedgerRepository {
  /** The write-off path's statements, compiled once (a reservation and its write-off run a dozen). */
  private readonly prepared = new PreparedQueries();
  private readonly inserts = new InsertStatements();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** The domain event log: every entry appended is a ledger.entry-appended event, in the entry's transaction. */
    private readonly events?: Pick<EventLog, 'append'>,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Accounts

  /** Inserts an account with its lines; false when the number is taken. */
  async insertAccount(trx: Transaction<Database>, account: AccountRow, lines: readonly LineRow[]): Promise<boolean> {
    const result = await trx.insertInto('ledger_accounts').values(account).onConflict((conflict) => conflict.column('number').doNothing()).executeTakeFirst();
    if ((result.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
    await trx.insertInto('ledger_lines').values([...lines]).execute();
    return true;
  }

  async findAccount(number: string, db: Db = this.db): Promise<AccountWithLines | undefined> {
    return (await this.findAccounts([number], db))[0];
  }

  async findAccounts(numbers: readonly string[], db: Db = this.db): Promise<AccountWithLines[]> {
    if (numbers.length === 0) return [];
    const unique = [...new Set(numbers)];
    const [accounts, lines] = await Promise.all([
      db.selectFrom('ledger_accounts').selectAll().where('number', 'in', unique).execute(),
      db.selectFrom('ledger_lines').selectAll().where('account_number', 'in', unique).orderBy('account_number').orderBy('line_no').execute(),
    ]);
    return accounts.map((account) => ({ account, lines: lines.filter((line) => line.account_number === account.number) }));
  }

  async listAccounts(viewer: LedgerViewer, filter: { type?: string | undefined; status?: AccountStatus | undefined; holder?: string | undefined; before?: string | undefined; limit: number }): Promise<AccountWithLines[]> {
    let query = this.db.selectFrom('ledger_accounts').select('number').orderBy('number', 'desc').limit(filter.limit);
    if (viewer.kind === 'holder') query = query.where((eb) => eb.or([eb('holder', '=', viewer.party), eb('issuer', '=', viewer.party)]));
    if (viewer.kind === 'issuer') query = query.where('issuer', '=', viewer.party);
    if (viewer.kind === 'all' && viewer.tenant !== undefined) query = query.where('tenant_id', '=', viewer.tenant);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.holder !== undefined) query = query.where('holder', '=', filter.holder);
    if (filter.before !== undefined) query = query.where('number', '<', filter.before);
    const numbers = (await query.execute()).map((row) => row.number);
    const found = await this.findAccounts(numbers);
    return numbers.flatMap((number) => found.filter((entry) => entry.account.number === number));
  }

  /** Reads accounts that will change; on PostgreSQL their rows stay locked until commit, in number order. */
  async lockAccounts(trx: Transaction<Database>, numbers: readonly string[]): Promise<AccountRow[]> {
    if (numbers.length === 0) return [];
    const unique = [...new Set(numbers)];
    return this.prepared.rows(trx, `lockAccounts:${unique.length}`, named('n', unique), (given) => {
      const query = trx.selectFrom('ledger_accounts').selectAll().where('number', 'in', listed(given, 'n', unique.length)).orderBy('number');
      return this.dialect === 'postgres' ? query.forUpdate() : query;
    });
  }

  /**
   * Whether a transaction's reads need the row locks `lockAccounts` takes to stay true until it commits.
   * PostgreSQL's do; SQLite has one writer, whose transaction excludes every other from its first write (and
   * fails, rather than read stale rows, if another process committed since it first read).
   */
  get locksRows(): boolean {
    return this.dialect === 'postgres';
  }

  /**
   * Active accounts of these types whose last day (valid_to) is before `today` and with some line not fully
   * written off (posted < granted), newest number first.
   */
  async overdueAccounts(viewer: LedgerViewer, filter: { types: readonly string[]; today: string; before?: string | undefined; limit: number }): Promise<AccountWithLines[]> {
    if (filter.types.length === 0) return [];
    let query = this.db
      .selectFrom('ledger_accounts as a')
      .select('a.number')
      .where('a.type', 'in', [...filter.types])
      .where('a.status', '=', 'active')
      .where('a.valid_to', '<', filter.today)
      .where((eb) => eb.exists(eb.selectFrom('ledger_lines as l').select('l.line_no').whereRef('l.account_number', '=', 'a.number').whereRef('l.posted', '<', 'l.granted')))
      .orderBy('a.number', 'desc')
      .limit(filter.limit);
    if (viewer.kind === 'holder') query = query.where((eb) => eb.or([eb('a.holder', '=', viewer.party), eb('a.issuer', '=', viewer.party)]));
    if (viewer.kind === 'issuer') query = query.where('a.issuer', '=', viewer.party);
    if (viewer.kind === 'all' && viewer.tenant !== undefined) query = query.where('a.tenant_id', '=', viewer.tenant);
    if (filter.before !== undefined) query = query.where('a.number', '<', filter.before);
    const numbers = (await query.execute()).map((row) => row.number);
    const found = await this.findAccounts(numbers);
    return numbers.flatMap((number) => found.filter((entry) => entry.account.number === number));
  }

  /** Moves the last day of an account on by one extension; false when another extension came first. */
  async extendValidity(trx: Transaction<Database>, number: string, extensions: number, validTo: string, at: string): Promise<boolean> {
    const result = await trx
      .updateTable('ledger_accounts')
      .set({ valid_to: validTo, extensions: extensions + 1, updated_at: at })
      .where('number', '=', number)
      .where('extensions', '=', extensions)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records the first entry of an account's goods and the deadline it starts; false when one was recorded already. */
  async setEntered(trx: Transaction<Database>, number: string, day: string, validTo: string, at: string): Promise<boolean> {
    const result = await trx.updateTable('ledger_accounts').set({ entered_on: day, valid_to: validTo, updated_at: at }).where('number', '=', number).where('entered_on', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setStatus(trx: Transaction<Database>, number: string, from: readonly AccountStatus[], to: AccountStatus, at: string): Promise<boolean> {
    const result = await trx.updateTable('ledger_accounts').set({ status: to, updated_at: at }).where('number', '=', number).where('status', 'in', [...from]).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Counts one more use if the account is active and has uses left. */
  async takeUse(trx: Transaction<Database>, number: string, at: string): Promise<boolean> {
    const changed = await this.prepared.affected(trx, 'takeUse', { number, at }, (given) =>
      trx
        .updateTable('ledger_accounts')
        .set((eb) => ({ uses: eb('uses', '+', 1), updated_at: given.at }))
        .where('number', '=', given.number)
        .where('status', '=', 'active')
        .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))])),
    );
    return changed > 0n;
  }

  async returnUse(trx: Transaction<Database>, number: string, at: string): Promise<void> {
    await trx
      .updateTable('ledger_accounts')
      .set((eb) => ({ uses: eb('uses', '-', 1), updated_at: at }))
      .where('number', '=', number)
      .where('uses', '>', 0)
      .execute();
  }

  // Balances: every change is a guarded update, so no race can overdraw a line. A `credit` reservation holds
  // part of the granted quantity (reserved, posted); a `debit` one holds part of a manual's imported material
  // for an export (debit_reserved, debit_posted), which can never exceed what imports posted.

  /** Holds `quantity` if it fits: reserved + posted within the ceiling, or debits within what was posted. */
  async reserveOnLine(trx: Transaction<Database>, number: string, lineNo: number, quantity: number, side: Side): Promise<boolean> {
    const changed = await this.prepared.affected(trx, `reserveOnLine:${side}`, { number, lineNo, quantity }, (given) => {
      const query = trx.updateTable('ledger_lines').where('account_number', '=', given.number).where('line_no', '=', given.lineNo);
      return side === 'credit'
        ? query.set((eb) => ({ reserved: eb('reserved', '+', given.quantity) })).where(sql<boolean>`reserved + posted + ${given.quantity} <= ceiling`)
        : query.set((eb) => ({ debit_reserved: eb('debit_reserved', '+', given.quantity) })).where(sql<boolean>`debit_reserved + debit_posted + ${given.quantity} <= posted`);
    });
    return changed > 0n;
  }

  /** Gives a held quantity back (a void or an expiry). */
  async unreserveOnLine(trx: Transaction<Database>, number: string, lineNo: number, quantity: number, side: Side): Promise<boolean> {
    const query = trx.updateTable('ledger_lines').where('account_number', '=', number).where('line_no', '=', lineNo);
    const result =
      side === 'credit'
        ? await query.set((eb) => ({ reserved: eb('reserved', '-', quantity) })).where('reserved', '>=', quantity).executeTakeFirst()
        : await query.set((eb) => ({ debit_reserved: eb('debit_reserved', '-', quantity) })).where('debit_reserved', '>=', quantity).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Turns a held quantity into a posted one (the write-off). */
  async postOnLine(trx: Transaction<Database>, number: string, lineNo: number, quantity: number, side: Side): Promise<boolean> {
    const changed = await this.prepared.affected(trx, `postOnLine:${side}`, { number, lineNo, quantity }, (given) => {
      const query = trx.updateTable('ledger_lines').where('account_number', '=', given.number).where('line_no', '=', given.lineNo);
      return side === 'credit'
        ? query.set((eb) => ({ reserved: eb('reserved', '-', given.quantity), posted: eb('posted', '+', given.quantity) })).where('reserved', '>=', given.quantity)
        : query.set((eb) => ({ debit_reserved: eb('debit_reserved', '-', given.quantity), debit_posted: eb('debit_posted', '+', given.quantity) })).where('debit_reserved', '>=', given.quantity);
    });
    return changed > 0n;
  }

  /**
   * Gives back what a post wrote off (a reversal). On the credit side never below what a manual's exports hold or
   * consumed of it (debits stay within what imports posted); false when that would not hold.
   */
  async unpostOnLine(trx: Transaction<Database>, number: string, lineNo: number, quantity: number, side: Side): Promise<boolean> {
    const query = trx.updateTable('ledger_lines').where('account_number', '=', number).where('line_no', '=', lineNo);
    const result =
      side === 'credit'
        ? await query.set((eb) => ({ posted: eb('posted', '-', quantity) })).where(sql<boolean>`posted - ${quantity} >= debit_reserved + debit_posted`).where('posted', '>=', quantity).executeTakeFirst()
        : await query.set((eb) => ({ debit_posted: eb('debit_posted', '-', quantity) })).where('debit_posted', '>=', quantity).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  // Reservations

  async insertReservations(trx: Transaction<Database>, reservations: readonly ReservationRow[]): Promise<void> {
    if (reservations.length > 0) await this.inserts.run(trx, 'ledger_reservations', reservations, () => trx.insertInto('ledger_reservations').values([...reservations]));
  }

  async reservationsOf(submissionId: string, db: Db = this.db): Promise<ReservationRow[]> {
    return this.prepared.rows(db, 'reservationsOf', { submissionId }, (given) =>
      db.selectFrom('ledger_reservations').selectAll().where('submission_id', '=', given.submissionId).orderBy('account_number').orderBy('line_no').orderBy('id'),
    );
  }

  /** A submission's reservations with their account's type and line's unit; `issuer` keeps those on accounts it issued. */
  async reservationDetailsOf(submissionId: string, issuer: string | undefined): Promise<ReservationDetail[]> {
    let query = this.db
      .selectFrom('ledger_reservations as r')
      .innerJoin('ledger_accounts as a', 'a.number', 'r.account_number')
      .innerJoin('ledger_lines as l', (join) => join.onRef('l.account_number', '=', 'r.account_number').onRef('l.line_no', '=', 'r.line_no'))
      .selectAll('r')
      .select(['a.type as type', 'l.unit as unit'])
      .where('r.submission_id', '=', submissionId)
      .orderBy('r.account_number')
      .orderBy('r.line_no')
      .orderBy('r.id');
    if (issuer !== undefined) query = query.where('a.issuer', '=', issuer);
    return query.execute();
  }

  async pendingReservationsOfAccount(trx: Transaction<Database>, number: string): Promise<ReservationRow[]> {
    return trx.selectFrom('ledger_reservations').selectAll().where('account_number', '=', number).where('status', '=', 'pending').orderBy('line_no').orderBy('id').execute();
  }

  /** Whether the submission still has a pending or posted reservation on the account. */
  async holdsAccount(trx: Transaction<Database>, submissionId: string, number: string): Promise<boolean> {
    const row = await trx
      .selectFrom('ledger_reservations')
      .select('id')
      .where('submission_id', '=', submissionId)
      .where('account_number', '=', number)
      .where('status', 'in', ['pending', 'posted'])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async dueReservations(now: string, limit: number): Promise<ReservationRow[]> {
    return this.db.selectFrom('ledger_reservations').selectAll().where('status', '=', 'pending').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute();
  }

  /** Moves a reservation out of `pending`; false when something else moved it first. */
  /** Marks a posted reservation reversed; false when it is not posted (reversed already, or never written off). */
  async reverseReservation(trx: Transaction<Database>, id: string, at: string): Promise<boolean> {
    const result = await trx.updateTable('ledger_reservations').set({ status: 'reversed', updated_at: at }).where('id', '=', id).where('status', '=', 'posted').executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async settleReservation(trx: Transaction<Database>, id: string, to: 'posted' | 'voided' | 'expired' | 'superseded', at: string): Promise<boolean> {
    const changed = await this.prepared.affected(trx, 'settleReservation', { id, to, at }, (given) =>
      trx.updateTable('ledger_reservations').set({ status: given.to, updated_at: given.at }).where('id', '=', given.id).where('status', '=', 'pending'),
    );
    return changed > 0n;
  }

  // Entries

  /** Appends an entry; false when an entry with this id exists (a retried write), which then changes nothing. */
  async appendEntry(trx: Transaction<Database>, entry: NewEntry): Promise<boolean> {
    return (await this.appendEntries(trx, [entry])).has(entry.entry_id);
  }

  /**
   * Appends entries in one insert, and their ledger.entry-appended events in one more; the ids of those
   * appended (an entry whose id exists is a retried write, which changes nothing and has no new event).
   */
  async appendEntries(trx: Transaction<Database>, entries: readonly NewEntry[]): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const inserted = await this.inserts.run(trx, 'ledger_entries', entries, () =>
      trx
        .insertInto('ledger_entries')
        .values([...entries])
        .onConflict((conflict) => conflict.column('entry_id').doNothing())
        .returning('entry_id'),
    );
    const appended = new Set(inserted.map((row) => row.entry_id));
    if (appended.size === 0 || this.events === undefined) return appended;
    const tenants = new Map<string, string>();
    for (const number of new Set(entries.map((entry) => entry.account_number))) {
      const [account] = await this.prepared.rows(trx, 'tenantOf', { number }, (given) => trx.selectFrom('ledger_accounts').select('tenant_id').where('number', '=', given.number));
      tenants.set(number, account?.tenant_id ?? 'central');
    }
    await this.events.append(
      trx,
      entries
        .filter((entry) => appended.has(entry.entry_id))
        .map((entry) => ({
          type: 'ledger.entry-appended',
          // Keyed on the entry: the entry is appended once, and so is its event.
          eventId: `ledger-${entry.entry_id}`,
          tenant: tenants.get(entry.account_number) ?? 'central',
          subject: { kind: 'ledger-account', id: entry.account_number },
          at: entry.at,
          payload: {
            entryId: entry.entry_id,
            account: entry.account_number,
            kind: entry.kind,
            submissionId: entry.submission_id ?? null,
            lines: entry.line_no === null || entry.line_no === undefined ? [] : [{ lineNo: entry.line_no, side: entry.side ?? null, quantity: entry.quantity === null || entry.quantity === undefined ? null : fromScaled(BigInt(entry.quantity), SCALE) }],
          },
        })),
    );
    return appended;
  }

  async entriesOf(number: string, after: number, limit: number): Promise<EntryRow[]> {
    return this.db.selectFrom('ledger_entries').selectAll().where('account_number', '=', number).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  }

  /** Every entry in order, a page at a time, for replaying the ledger. */
  async entriesPage(after: number, limit: number): Promise<EntryRow[]> {
    return this.db.selectFrom('ledger_entries').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute();
  }

  async allLines(): Promise<LineRow[]> {
    return this.db.selectFrom('ledger_lines').selectAll().orderBy('account_number').orderBy('line_no').execute();
  }

  async allAccounts(): Promise<AccountRow[]> {
    return this.db.selectFrom('ledger_accounts').selectAll().orderBy('number').execute();
  }

  async allReservations(): Promise<{ id: string; status: string }[]> {
    return this.db.selectFrom('ledger_reservations').select(['id', 'status']).orderBy('id').execute();
  }
}

