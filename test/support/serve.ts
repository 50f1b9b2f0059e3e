/**
 * A real `kouan serve` child process over a test store, for the tests that kill it or take its store away
 * (test/durability.test.ts, test/store-faults.test.ts) and for the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config.js';
import { createServices } from '../../src/main.js';
import { openStore } from '../../src/store/store.js';
import { BROKER, IMPORTER } from './fixtures.js';
import { delegateGoods } from './kouan.js';
import { freePort } from './net.js';
import type { TestStore } from './stores.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** Every server started and not yet exited, for an afterAll that kills what a failed test left running. */
export const running = new Set<ChildProcess>();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The environment of `kouan serve` over this store only: silent logs, rate limits off (the load comes from one key and
 * one address), SQLite's synchronous left at its default; `extra` goes on top.
 */
export function serverEnvironment(store: TestStore, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KOUAN_LOG_LEVEL: 'silent', KOUAN_RATE_LIMIT_PER_KEY: '0', KOUAN_RATE_LIMIT_PER_ADDRESS: '0' };
  for (const name of ['KOUAN_SQLITE_SYNCHRONOUS', 'KOUAN_DATABASE_URL', 'KOUAN_DATA_DIR', 'PORT', 'KOUAN_HOST']) delete env[name];
  if (store.config.databaseUrl === undefined) env.KOUAN_DATA_DIR = store.config.dataDir;
  else env.KOUAN_DATABASE_URL = store.config.databaseUrl;
  return { ...env, ...extra };
}

/** Starts `kouan serve` on a free port and resolves once /readyz answers 200; `onOutput` sees its output as it comes. */
/**
 * `kouan serve` over the store: from the TypeScript source (through tsx), or `compiled`, as `npm start` runs it
 * (bin/kouan.js, over dist/, which must be built).
 */
export async function startServer(store: TestStore, env: Record<string, string> = {}, onOutput?: (output: string) => void, nodeArgs: readonly string[] = [], compiled = false): Promise<Server> {
  const port = await freePort();
  const command = ['serve', '--port', String(port), '--host', '127.0.0.1'];
  return compiled
    ? startChild([...nodeArgs, 'bin/kouan.js', ...command], serverEnvironment(store, env), port, '/readyz', onOutput, false)
    : startChild([...nodeArgs, 'src/cli/main.ts', ...command], serverEnvironment(store, env), port, '/readyz', onOutput);
}

/**
 * Runs `node --import tsx ...args` (`node ...args` without `tsx`) from the repository root and resolves once
 * `readyPath` on `port` answers 200; `onOutput` sees the tail of its output as it comes.
 */
export async function startChild(args: readonly string[], env: NodeJS.ProcessEnv, port: number, readyPath: string, onOutput?: (output: string) => void, tsx = true): Promise<Server> {
  const child = spawn(process.execPath, [...(tsx ? ['--import', 'tsx'] : []), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
    onOutput?.(output);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const server: Server = { child, base: `http://127.0.0.1:${port}`, exited, output: () => output };
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitCode: number | null | 'running' = 'running';
  void exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== 'running') throw new Error(`${args.join(' ')} exited with ${String(exitCode)} before it was ready:\n${output}`);
    try {
      const response = await fetch(`${server.base}${readyPath}`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} was not ready within ${START_TIMEOUT_MS} ms:\n${output}`);
}

export async function stopServer(server: Server, signal: NodeJS.Signals): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill(signal);
  const stopped = await Promise.race([server.exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!stopped) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/** The configuration the server uses for this store: default synchronous mode, no test overrides. */
export function storeConfig(store: TestStore): Config {
  return loadConfig({ dataDir: store.config.dataDir, databaseUrl: store.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent' });
}

/** Registers the broker and its principal (with a delegation) over the store the server will use; returns the broker's API key. */
export async function seedBroker(store: TestStore): Promise<string> {
  const config = storeConfig(store);
  const opened = await openStore(config.store);
  try {
    const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
    await services.parties.seedAgencies();
    await services.parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Durability Broker', roles: ['declarant', 'broker'] });
    await services.parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Durability Importer' });
    await delegateGoods(services, IMPORTER, BROKER);
    return (await services.parties.createKey(BROKER)).key;
  } finally {
    await opened.close();
  }
}

/** Waits until `check` holds, polling; false when it did not within `ms`. */
export async function eventually(check: () => Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(everyMs);
  }
  return false;
}
