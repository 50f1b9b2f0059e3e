/**
 * The store: one Kysely query layer over the embedded SQLite file (default) or PostgreSQL
 * (`KOUAN_DATABASE_URL`), with one set of migrations applied on open.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import type { StoreConfig } from '../config.js';
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
import * as trackingPublishers from './migrations/0013-tracking-publishers.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, for logs (no credentials). */
  readonly location: string;
  close(): Promise<void>;
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
  '0013-tracking-publishers': trackingPublishers.up,
};

/** Opens the configured store and brings its schema up to date. */
export async function openStore(config: StoreConfig, options: { migrate?: boolean; poolSize?: number } = {}): Promise<Store> {
  const store = config.databaseUrl === undefined ? openSqlite(config) : openPostgres(config.databaseUrl, options.poolSize ?? 10);
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
  const { error, results } = await new Migrator({ db: store.db, provider }).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
}

/** The names of the migrations the code knows, in order. */
export function knownMigrations(): readonly string[] {
  return Object.keys(MIGRATIONS);
}

function openSqlite(config: StoreConfig): Store {
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'kouan.db');
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${config.sqliteSynchronous}`);
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, and preparing was a tenth of the
 * time of a submission. The connection runs one statement at a time, so sharing a statement is safe.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(text: string): SqliteStatement {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = database.prepare(text);
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

function openPostgres(url: string, poolSize: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const location = new URL(url);
  location.password = '';
  return { db, dialect: 'postgres', location: location.toString(), close: () => db.destroy() };
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
    return { ready: false, problem: error instanceof Error ? error.message : String(error) };
  }
}
