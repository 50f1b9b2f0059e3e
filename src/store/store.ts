/**
 * The store: one Kysely query layer over the embedded SQLite file (default) or PostgreSQL
 * (`KOUAN_DATABASE_URL`), with one set of migrations applied on open.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  TransactionBuilder,
  sql,
  type AccessMode,
  type IsolationLevel,
  type KyselyConfig,
  type Migration,
  type MigrationProvider,
  type PostgresPool,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { StoreConfig } from '../config.js';
import { GroupCommit } from './group-commit.js';
import { syncedStatement, WalSync } from './wal-sync.js';
import { backoffMs, DEFAULT_RETRY, StoreUnreachableError, storeFault, type RetryPolicy } from './faults.js';
import type { Database } from './schema.js';
import * as foundation from './migrations/0001-foundation.js';
import * as webhooks from './migrations/0002-webhooks.js';
import * as ledger from './migrations/0003-ledger.js';
import * as audit from './migrations/0004-audit.js';
import * as delegations from './migrations/0005-delegations.js';
import * as users from './migrations/0006-users.js';
import * as signatures from './migrations/0007-signatures.js';
import * as tracking from './migrations/0008-tracking.js';
import * as trackingSubscriptions from './migrations/0009-tracking-subscriptions.js';
import * as drafts from './migrations/0010-drafts.js';
import * as stats from './migrations/0011-stats.js';
import * as auditPending from './migrations/0012-audit-pending.js';
import * as trackingPublishers from './migrations/0013-tracking-publishers.js';
import * as signedBytes from './migrations/0014-signed-bytes.js';
import * as loginFailures from './migrations/0015-login-failures.js';
import * as ledgerSm2 from './migrations/0016-ledger-sm2.js';
import * as trackingDocuments from './migrations/0017-tracking-documents.js';
import * as tariff from './migrations/0018-tariff.js';
import * as customsOffices from './migrations/0019-customs-offices.js';
import * as declarationNumbers from './migrations/0020-declaration-numbers.js';
import * as mustChangePassword from './migrations/0021-must-change-password.js';
import * as ledgerReasonCodes from './migrations/0022-ledger-reason-codes.js';
import * as ledgerModels from './migrations/0023-ledger-models.js';
import * as codeListEntries from './migrations/0025-code-list-entries.js';
import * as eventsAndDeliveries from './migrations/0024-events-and-deliveries.js';
import * as attachments from './migrations/0026-attachments.js';
import * as amendments from './migrations/0027-amendments.js';
import * as admissionEntry from './migrations/0028-admission-entry.js';
import * as eventLogOrder from './migrations/0029-event-log-order.js';
import * as subscriptionDeliveries from './migrations/0030-subscription-deliveries.js';
import * as amendmentReceiptSm2 from './migrations/0031-amendment-receipt-sm2.js';
import * as draftAttachments from './migrations/0032-draft-attachments.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  /** Every `db.transaction().execute(...)` retries on contention and joins the request's audit record (see StoreDatabase). */
  readonly db: StoreDatabase;
  /**
   * The background workers' (the exchange's dispatcher and the delivery engine's leases and settlements): on
   * PostgreSQL a small pool of its own, so that their transactions never queue for a connection behind the
   * requests' (an agency's push would otherwise wait for every submission queued before it); on SQLite the same
   * database as `db` (one connection, one writer).
   */
  readonly background: StoreDatabase;
  readonly dialect: Dialect;
  /** Where the data lives, for logs (no credentials). */
  readonly location: string;
  close(): Promise<void>;
}

/** Work that joins every transaction: it runs after the callback and before the commit, in the same transaction. */
export interface TransactionParticipant {
  /** Returns what to do once the transaction has committed, if anything. */
  beforeCommit(trx: Transaction<Database>): Promise<(() => void) | undefined>;
}

/**
 * Kysely whose transactions survive contention: a serialization failure, a deadlock or a busy SQLite file ends
 * the attempt, and the whole callback runs again on a fresh transaction, a bounded number of times with a
 * jittered backoff. A connection that broke before the commit was sent is retried the same way (the store
 * rolled the attempt back); one that broke during the commit is not, since the commit may have happened.
 * Callbacks must therefore only touch the database through `trx`: everything else they do is done again.
 * (`withPlugin`, `withSchema` and friends return a plain Kysely without either; Kouan uses none of them.)
 */
export class StoreDatabase extends Kysely<Database> {
  #participant: TransactionParticipant | undefined;
  /** SQLite's: concurrent transactions share one commit (group-commit.ts). */
  readonly #batcher: GroupCommit | undefined;
  readonly #walSync: WalSync | undefined;

  constructor(
    config: KyselyConfig,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    /** Given for the embedded store: whether its one connection is inside a transaction, and transactions are batched. */
    inTransaction?: () => boolean,
    /** Given for the embedded store at synchronous=FULL: a batch keeps the connection until its WAL is on the disk (wal-sync.ts). */
    walSync?: WalSync,
  ) {
    super(config);
    this.#walSync = walSync;
    const commitBatch =
      walSync === undefined
        ? <T>(callback: (trx: Transaction<Database>) => Promise<T>) => super.transaction().execute(callback)
        : <T>(callback: (trx: Transaction<Database>) => Promise<T>) => super.connection().execute((connection) => walSync.deferred(() => connection.transaction().execute(callback)));
    this.#batcher = inTransaction === undefined ? undefined : new GroupCommit(commitBatch, inTransaction);
  }

  /** The WAL's fsyncs, after batches and after other statements (wal-sync.ts); undefined unless SQLite at FULL. */
  get walSyncs(): WalSync['stats'] | undefined {
    return this.#walSync?.stats;
  }

  /** How many batches the group commit committed, with how many transactions; undefined on PostgreSQL. */
  get groupCommit(): GroupCommit['stats'] | undefined {
    return this.#batcher?.stats;
  }

  /** Has `participant` join every transaction from now on (the audit record of the request's write). */
  join(participant: TransactionParticipant): void {
    this.#participant = participant;
  }

  override transaction(): TransactionBuilder<Database> {
    return new RetryingTransactionBuilder(super.transaction(), this.retry, () => this.#participant, this.#batcher);
  }
}

class RetryingTransactionBuilder extends TransactionBuilder<Database> {
  constructor(
    private readonly inner: TransactionBuilder<Database>,
    private readonly retry: RetryPolicy,
    private readonly participant: () => TransactionParticipant | undefined,
    private readonly batcher: GroupCommit | undefined,
  ) {
    // Kysely's builder keeps its settings private; this one holds the configured inner builder and adds the retry.
    super({} as never);
  }

  // SQLite has neither access modes nor isolation levels (every transaction is serializable), so its batches need none.
  override setAccessMode(accessMode: AccessMode): TransactionBuilder<Database> {
    return new RetryingTransactionBuilder(this.inner.setAccessMode(accessMode), this.retry, this.participant, this.batcher);
  }

  override setIsolationLevel(isolationLevel: IsolationLevel): TransactionBuilder<Database> {
    return new RetryingTransactionBuilder(this.inner.setIsolationLevel(isolationLevel), this.retry, this.participant, this.batcher);
  }

  override async execute<T>(callback: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const committing = { value: false };
      const work = async (trx: Transaction<Database>) => {
        const value = await callback(trx);
        const afterCommit = await this.participant()?.beforeCommit(trx);
        // A batch says so itself when its commit is sent; its callers' work ends before that.
        if (this.batcher === undefined) committing.value = true;
        return { value, afterCommit };
      };
      try {
        const { value, afterCommit } = this.batcher === undefined ? await this.inner.execute(work) : await this.batcher.run(work, committing);
        afterCommit?.();
        return value;
      } catch (error) {
        const fault = storeFault(error);
        // No connection at all means the store is down: answer now rather than hold the caller through retries.
        const retriable = fault === 'contention' || (fault === 'unavailable' && !committing.value && !(error instanceof StoreUnreachableError));
        if (!retriable || attempt >= this.retry.attempts) throw error;
        await sleep(backoffMs(this.retry, attempt));
      }
    }
  }
}

/** Timeouts of the PostgreSQL connections, in milliseconds. */
export interface StoreTimeouts {
  /** How long to wait for a new connection (and for a free one from a full pool). */
  readonly connectMs: number;
  /** The longest a statement may run before the server cancels it (PostgreSQL statement_timeout); 0: no limit. */
  readonly statementMs: number;
  /** A transaction left open without a statement this long is ended by the server (idle_in_transaction_session_timeout). */
  readonly idleInTransactionMs: number;
}

export const DEFAULT_TIMEOUTS: StoreTimeouts = { connectMs: 5000, statementMs: 0, idleInTransactionMs: 60_000 };

export interface OpenOptions {
  readonly migrate?: boolean;
  readonly poolSize?: number;
  readonly timeouts?: Partial<StoreTimeouts>;
  /** How transactions are retried on contention (DEFAULT_RETRY). */
  readonly retry?: RetryPolicy;
  /** Told of connection errors the store survives (a terminated backend, a reset socket); the next query reconnects. */
  readonly onConnectionError?: (error: Error) => void;
  /** SQLite at FULL: how a batch's WAL is fsynced off the event loop (fs.fsync; the tests hold it to see who waits). */
  readonly syncWal?: (fd: number) => Promise<void>;
}

// PostgreSQL bigint (int8) and numeric come back as strings by default; our sequences fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> on purpose
type MigrationUp = (db: Kysely<any>, dialect: Dialect) => Promise<void>;

const MIGRATIONS: Readonly<Record<string, MigrationUp>> = {
  '0001-foundation': foundation.up,
  '0002-webhooks': webhooks.up,
  '0003-ledger': ledger.up,
  '0004-audit': audit.up,
  '0005-delegations': delegations.up,
  '0006-users': users.up,
  '0007-signatures': signatures.up,
  '0008-tracking': tracking.up,
  '0009-tracking-subscriptions': trackingSubscriptions.up,
  '0010-drafts': drafts.up,
  '0011-stats': stats.up,
  '0012-audit-pending': auditPending.up,
  '0013-tracking-publishers': trackingPublishers.up,
  '0014-signed-bytes': signedBytes.up,
  '0015-login-failures': loginFailures.up,
  '0016-ledger-sm2': ledgerSm2.up,
  '0017-tracking-documents': trackingDocuments.up,
  '0018-tariff': tariff.up,
  '0019-customs-offices': customsOffices.up,
  '0020-declaration-numbers': declarationNumbers.up,
  '0021-must-change-password': mustChangePassword.up,
  '0022-ledger-reason-codes': ledgerReasonCodes.up,
  '0023-ledger-models': ledgerModels.up,
  '0025-code-list-entries': codeListEntries.up,
  '0024-events-and-deliveries': eventsAndDeliveries.up,
  '0026-attachments': attachments.up,
  '0027-amendments': amendments.up,
  '0028-admission-entry': admissionEntry.up,
  '0029-event-log-order': eventLogOrder.up,
  '0030-subscription-deliveries': subscriptionDeliveries.up,
  '0031-amendment-receipt-sm2': amendmentReceiptSm2.up,
  '0032-draft-attachments': draftAttachments.up,
};

/** Opens the configured store and brings its schema up to date. */
export async function openStore(config: StoreConfig, options: OpenOptions = {}): Promise<Store> {
  const store = config.databaseUrl === undefined ? openSqlite(config, options) : openPostgres(config.databaseUrl, options);
  if (options.migrate ?? true) {
    try {
      await migrate(store);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/** Applies every pending migration; several processes may race here, the migrator's lock serialises them. */
export async function migrate(store: Store): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: () =>
      Promise.resolve(Object.fromEntries(Object.entries(MIGRATIONS).map(([name, up]): [string, Migration] => [name, { up: (db) => up(db, store.dialect) }]))),
  };
  // Migrations are numbered on parallel branches and each stands alone, so one merged late (or re-run after its
  // record was removed) is applied even though later ones already were; pending ones still run in name order.
  const { error, results } = await new Migrator({ db: store.db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
}

/** The names of the migrations the code knows, in order. */
export function knownMigrations(): readonly string[] {
  return Object.keys(MIGRATIONS);
}

/**
 * The data directory cannot hold the store (not writable, not a directory, read-only file system). Not a store
 * fault: waiting does not fix it, so it is reported at once with the path (the original error is only its text).
 */
export class StoreLocationError extends Error {
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`cannot open the store at ${location}: ${reason}`);
    this.name = 'StoreLocationError';
  }
}

/** Where a store's data lives, for logs and messages: the SQLite file, or the PostgreSQL URL without its password. */
export function storeLocation(config: StoreConfig): string {
  if (config.databaseUrl === undefined) return join(config.dataDir, 'kouan.db');
  const url = new URL(config.databaseUrl);
  url.password = '';
  url.searchParams.delete('password');
  return url.toString();
}

/**
 * Whether the store was created before: the SQLite file exists, or the PostgreSQL database has Kouan's
 * migrations. Opening a store creates it, so the CLI asks this first (a read of a store that is not there is
 * refused rather than made; a write says when it made a new, empty store).
 */
export async function storeExists(config: StoreConfig): Promise<boolean> {
  if (config.databaseUrl === undefined) return existsSync(storeLocation(config));
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ found: string | null }>("select to_regclass('kysely_migration')::text as found");
    return rows[0]?.found != null;
  } catch (error) {
    // 3D000: no such database; Kouan does not create databases, so opening it will say so too.
    if ((error as { code?: unknown }).code === '3D000') return false;
    throw new StoreUnreachableError(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function openSqlite(config: StoreConfig, options: OpenOptions): Store {
  const file = storeLocation(config);
  let database: SQLite.Database;
  try {
    mkdirSync(config.dataDir, { recursive: true });
    database = new SQLite(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reasons: Record<string, string> = { EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system', ENOTDIR: 'a part of the path is a file, not a directory', EEXIST: 'a file is in the way of the directory', ENOSPC: 'no space left on the device' };
    throw new StoreLocationError(file, (typeof code === 'string' ? reasons[code] : undefined) ?? (error instanceof Error ? error.message : String(error)));
  }
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // FULL is kept with its fsync off the event loop (wal-sync.ts): the connection at NORMAL, every commit synced
  // before anyone sees it. The WAL exists once the connection has read the database in WAL mode.
  let walSync: WalSync | undefined;
  if (config.sqliteSynchronous === 'FULL') {
    database.pragma('synchronous = NORMAL');
    database.prepare('select count(*) from sqlite_master').get();
    walSync = new WalSync(file, options.syncWal);
  } else {
    database.pragma(`synchronous = ${config.sqliteSynchronous}`);
  }
  const db = new StoreDatabase({ dialect: new SqliteDialect({ database: withStatementCache(database, walSync) }) }, options.retry, () => database.inTransaction, walSync);
  return {
    db,
    background: db,
    dialect: 'sqlite',
    location: file,
    close: async () => {
      await db.destroy();
      walSync?.close();
    },
  };
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, and preparing was a tenth of the
 * time of a submission. The connection runs one statement at a time, so sharing a statement is safe.
 */
function withStatementCache(database: SQLite.Database, walSync: WalSync | undefined): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(text: string): SqliteStatement {
      let statement = statements.get(text);
      if (statement === undefined) {
        const prepared = database.prepare(text);
        statement = walSync === undefined ? prepared : syncedStatement(database, prepared, walSync);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value ?? '');
      } else {
        // Re-inserting keeps the map in least-recently-used order.
        statements.delete(text);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

/**
 * A pool that survives the server: pg emits 'error' on an idle client whose backend was terminated (through the
 * pool) and on a checked-out client whose socket died (on the client itself); an 'error' event nobody listens
 * to ends the process. Both are listened to here; pg-pool drops the broken client, and the next checkout
 * connects anew. A failure to get a connection at all is marked, so that it is answered 503 and not retried.
 */
function openPostgres(url: string, options: OpenOptions): Store {
  const db = postgresDatabase(url, options, options.poolSize ?? 10);
  const background = postgresDatabase(url, options, BACKGROUND_POOL_SIZE);
  return {
    db,
    background,
    dialect: 'postgres',
    location: storeLocation({ databaseUrl: url, dataDir: '', sqliteSynchronous: 'NORMAL' }),
    close: async () => {
      await Promise.all([db.destroy(), background.destroy()]);
    },
  };
}

/** Connections of the background workers' pool on PostgreSQL: the dispatcher's and the pushes' settlements. */
const BACKGROUND_POOL_SIZE = 2;

function postgresDatabase(url: string, options: OpenOptions, max: number): StoreDatabase {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const onError = options.onConnectionError ?? (() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: timeouts.connectMs,
    keepAlive: true,
    ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
    ...(timeouts.idleInTransactionMs > 0 ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionMs } : {}),
  });
  // Every client reports its own errors (checked out or idle); the pool repeats an idle one's, heard once here.
  pool.on('connect', (client) => client.on('error', onError));
  pool.on('error', () => undefined);
  const resilient: PostgresPool = {
    connect: async () => {
      try {
        return await pool.connect();
      } catch (error) {
        throw new StoreUnreachableError(error);
      }
    },
    end: () => pool.end(),
  };
  return new StoreDatabase({ dialect: new PostgresDialect({ pool: resilient }) }, options.retry);
}

/** Readiness: the store answers and every migration the code knows has been applied. */
export async function isReady(store: Store): Promise<{ ready: true } | { ready: false; problem: string }> {
  try {
    const applied = await store.db.introspection.getTables({ withInternalKyselyTables: true });
    if (!applied.some((table) => table.name === 'kysely_migration')) return { ready: false, problem: 'migrations not applied' };
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
    const names = new Set(rows.rows.map((row) => row.name));
    const missing = knownMigrations().filter((name) => !names.has(name));
    return missing.length === 0 ? { ready: true } : { ready: false, problem: `pending migrations: ${missing.join(', ')}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ready: false, problem: storeFault(error) === 'unavailable' ? `store unreachable: ${message}` : message };
  }
}
