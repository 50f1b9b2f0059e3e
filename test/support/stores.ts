/**
 * The stores integration tests run on: a fresh SQLite file, and a fresh PostgreSQL database created for the
 * test file and dropped after it, so runs never see each other's rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreConfig } from '../../src/config.js';

export type StoreKind = 'sqlite' | 'postgres';

export const POSTGRES_URL = process.env.KOUAN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  readonly kind: StoreKind;
  readonly config: StoreConfig;
  drop(): Promise<void>;
}

let probe: Promise<string | undefined> | undefined;

/** Why PostgreSQL cannot be used here, or undefined when it can. */
export function postgresUnavailable(): Promise<string | undefined> {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      return `PostgreSQL at ${POSTGRES_URL} is not reachable (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probe;
}

/** The store kinds to loop over; PostgreSQL is left out, with the reason printed, where it is not running. */
export async function storeKinds(): Promise<StoreKind[]> {
  const reason = await postgresUnavailable();
  if (reason !== undefined) {
    console.warn(`Skipping the PostgreSQL store: ${reason}`);
    return ['sqlite'];
  }
  return ['sqlite', 'postgres'];
}

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'kouan-test-'));
    return {
      kind,
      config: { databaseUrl: undefined, dataDir, sqliteSynchronous: 'NORMAL' },
      drop: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  const name = `kouan_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    config: { databaseUrl: url.toString(), dataDir: tmpdir(), sqliteSynchronous: 'NORMAL' },
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        // pg's pool.end() resolves before its sockets have closed; a forced drop would kill them mid-goodbye and
        // surface as an uncaught error in the test process, so wait for them to leave first.
        for (let attempt = 0; attempt < 50; attempt += 1) {
          const { rows } = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
          if (Number(rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
