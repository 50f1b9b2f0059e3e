/**
 * synchronous=FULL for the embedded store, with the group commit's fsync off the event loop.
 *
 * In WAL mode FULL differs from NORMAL in one thing only: FULL fsyncs the WAL at every commit, NORMAL leaves the
 * commit in the operating system's cache until the next checkpoint (a process crash loses nothing either way;
 * a power cut loses NORMAL's latest commits). NORMAL still syncs the WAL before each checkpoint, the database
 * after it and the WAL's header when the WAL is reused. better-sqlite3 is synchronous, so FULL's fsync (a
 * millisecond or more) blocks the event loop: no request is read, validated or answered meanwhile.
 *
 * So the connection runs at NORMAL, and this makes every commit durable before anyone sees it:
 *
 * - a group commit's batch (group-commit.ts) holds the connection from BEGIN until the WAL is fsynced, with the
 *   fsync in libuv's thread pool: the loop goes on with other requests' work, every statement waits for the
 *   connection (Kysely's mutex), so nobody reads the batch's writes, and none of its callers is answered,
 *   before they are on the disk;
 * - any other statement that ends a transaction or writes outside one (a commit not batched, an autocommit
 *   write) is followed by an fsync at once, on the loop, as FULL would do it.
 *
 * The WAL's directory entry is synced once on open (FULL does it at the WAL's first sync), so that a new WAL
 * file survives a power cut too.
 */
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type SQLite from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';

const fsyncAsync = promisify(fsync);

export class WalSync {
  readonly #fd: number;
  #deferring = false;
  /** Fsyncs done after a batch (off the loop) and after another statement (on it), for the tests and the bench. */
  readonly stats = { deferred: 0, inline: 0 };

  /**
   * Opens the WAL of `file` (the connection must already be in WAL mode and have read the database); `sync` is how
   * a batch's WAL is fsynced, off the loop.
   */
  constructor(
    file: string,
    private readonly sync: (fd: number) => Promise<void> = fsyncAsync,
  ) {
    this.#fd = openSync(`${file}-wal`, 'r');
    const directory = openSync(dirname(file), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }

  /** Runs `commit` (a whole transaction, up to its COMMIT) and resolves once the WAL it wrote is on the disk. */
  async deferred<T>(commit: () => Promise<T>): Promise<T> {
    this.#deferring = true;
    let value: T;
    try {
      value = await commit();
    } finally {
      this.#deferring = false;
    }
    await this.sync(this.#fd);
    this.stats.deferred += 1;
    return value;
  }

  /** A statement whose run ends a transaction, or writes outside one: its commit is synced now, as FULL does. */
  ran(statement: SQLite.Statement, wasInTransaction: boolean, inTransaction: boolean): void {
    if (this.#deferring || inTransaction) return;
    if (!wasInTransaction && statement.readonly) return;
    fsyncSync(this.#fd);
    this.stats.inline += 1;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** `statement` as Kysely's driver runs it, telling `sync` about each run. */
export function syncedStatement(database: SQLite.Database, statement: SQLite.Statement, sync: WalSync): SqliteStatement {
  const observed =
    <A extends unknown[], R>(run: (...args: A) => R) =>
    (...args: A): R => {
      const was = database.inTransaction;
      const result = run(...args);
      sync.ran(statement, was, database.inTransaction);
      return result;
    };
  return {
    reader: statement.reader,
    all: observed((parameters: readonly unknown[]) => statement.all(parameters)),
    run: observed((parameters: readonly unknown[]) => statement.run(parameters)),
    // A reader's rows, read lazily: it never writes (a RETURNING statement is run with all()).
    iterate: (parameters: readonly unknown[]) => statement.iterate(parameters),
  };
}
