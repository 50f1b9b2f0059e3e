/**
 * What the bench parts share: settings read from the environment, throwaway stores that are dropped at the end or
 * on a signal, the store configuration `kouan serve` would use, percentiles and the printed tables.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/config.js';
import { containerCheckDigit } from '../src/modules/codes/check-digits.js';
import { declarationWithLines } from '../test/support/fixtures.js';
import { running, startServer, type Server } from '../test/support/serve.js';
import { createTestStore, type StoreKind, type TestStore } from '../test/support/stores.js';

const cleanups: (() => Promise<void>)[] = [];

export function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The p-th percentile (0 < p <= 1) of values sorted ascending, nearest rank; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

export function sqliteSynchronousEnv(): Record<string, string> {
  const value = process.env.KOUAN_SQLITE_SYNCHRONOUS;
  return value === undefined || value === '' ? {} : { KOUAN_SQLITE_SYNCHRONOUS: value };
}

/**
 * What the bench adds to the server's environment: the load comes from one key and one address, so the connection
 * cap is off too; SQLite's synchronous mode is the bench's, as in storeConfig.
 */
export function benchServerEnv(): Record<string, string> {
  return { KOUAN_MAX_CONNECTIONS_PER_ADDRESS: '0', ...sqliteSynchronousEnv() };
}

export function storeConfig(store: TestStore): Config {
  // The store as `kouan serve` opens it: SQLite at its default synchronous mode.
  return loadConfig({ dataDir: store.config.dataDir, databaseUrl: store.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', ...sqliteSynchronousEnv() });
}

/** A fresh store (temp SQLite directory or a new PostgreSQL database), dropped once: by its user or by cleanUpStores(). */
export async function throwawayStore(kind: StoreKind): Promise<TestStore> {
  const store = await createTestStore(kind);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await store.drop();
  };
  cleanups.push(drop);
  return { ...store, drop };
}

/** Drops every throwaway store still there. */
export async function cleanUpStores(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => console.warn(`cleanup failed: ${reason(error)}`));
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const [first, ...rest] = cells;
  return [line(first ?? []), widths.map((width) => '-'.repeat(width)).join('  '), ...rest.map(line)].join('\n');
}

/** Kills every child server still running (on exit). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Vessels the bench's declarations arrive on. */
const BENCH_VESSELS = 200;

/**
 * The n-th declaration of the submission figures (HTTP, pipeline, profile), with `lines` goods lines: on one of 200
 * vessels (a port's day; a vessel's call brings thousands of declarations), each on its own bill of lading and in
 * its own container, as real declarations are. (A container is on one declaration per shipment: a bench that put
 * every declaration in one container would measure a container with a hundred thousand declarations on it.)
 */
export function benchDeclaration(n: number, lines: number): { docType: 'goods-declaration'; data: Record<string, unknown> } {
  const serial = `BNCU${String(n % 1_000_000).padStart(6, '0')}`;
  const transport = { mode: 'sea', vesselImo: imoNumber(n % BENCH_VESSELS), voyage: '012E', billOfLading: `BENCH${n}`, containers: [`${serial}${containerCheckDigit(serial) ?? ''}`] };
  return { docType: 'goods-declaration', data: declarationWithLines(lines, { transport }) };
}

/** The IMO number of the bench's v-th vessel: 930000v and its check digit (the six digits weighted 7 to 2, mod 10). */
function imoNumber(v: number): string {
  const six = String(930_000 + v);
  const sum = [...six].reduce((total, digit, index) => total + Number(digit) * (7 - index), 0);
  return `${six}${sum % 10}`;
}

/** A child process's peak resident memory so far (VmHWM, Linux), in MiB; undefined where /proc does not say. */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : round(Number(match[1]) / 1024);
  } catch {
    return undefined;
  }
}

let built = false;

/**
 * `kouan serve` over the store as `npm start` runs it: the compiled CLI (bin/kouan.js over dist/), compiled from the
 * current source once per bench run, so that the figures and the memory are those of what is deployed, not of the
 * TypeScript loader. KOUAN_BENCH_PROFILE_DIR runs it under the CPU profiler, writing its .cpuprofile there on exit.
 */
export async function startBenchServer(store: TestStore, env: Record<string, string>): Promise<Server> {
  if (!built) {
    const root = fileURLToPath(new URL('..', import.meta.url));
    execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    built = true;
  }
  const profileDir = process.env.KOUAN_BENCH_PROFILE_DIR;
  return startServer(store, env, undefined, profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], true);
}
