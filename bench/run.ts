/**
 * `npm run bench`: Kouan against the limits of the same machine (DESIGN.md, "Quality targets"), for what exists so far.
 *
 * - HTTP: POST /api/v1/submissions with a 10-line goods declaration, each request with its own Idempotency-Key,
 *   driven by autocannon against (a) a bare Fastify route that parses and echoes the body (the HTTP limit), (b) Kouan
 *   on SQLite, (c) Kouan on PostgreSQL. Every server is a child process, so the load generator never shares its loop.
 * - Pipeline: submissions per second through `services.submissions.submit` in this process, against raw batched
 *   inserts of the same rows into the same store (the store limit), on each store.
 *
 * Writes bench/results/latest.json and prints a table. Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (32).
 * `node --import tsx bench/run.ts --echo-server PORT` is the echo server itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig, type Config } from '../src/config.js';
import { createServices } from '../src/main.js';
import { newId } from '../src/shared/ids.js';
import { openStore, type Store } from '../src/store/store.js';
import { BROKER, declarationWithLines } from '../test/support/fixtures.js';
import { createTestStore, postgresUnavailable, type StoreKind, type TestStore } from '../test/support/stores.js';
import { freePort } from '../test/support/net.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = new URL('results/', import.meta.url);
const SECONDS = positiveInteger('BENCH_SECONDS', 10);
const CONNECTIONS = positiveInteger('BENCH_CONNECTIONS', 32);
const WARMUP_SECONDS = 1;
/** Concurrent callers of submit() in the in-process pipeline figure, as many as the HTTP connections. */
const PIPELINE_CONCURRENCY = CONNECTIONS;
/** Submissions per transaction in the raw-insert figure. */
const RAW_BATCH = 100;
const LINES = 10;
const BODY = JSON.stringify({ docType: 'goods-declaration', data: declarationWithLines(LINES) });

interface HttpFigure {
  readonly target: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Submissions in the store afterwards (warm-up included); at least the 2xx count. */
  readonly stored?: number;
  readonly skipped?: string;
}

interface PipelineFigure {
  readonly store: StoreKind;
  readonly submitPerSecond: number;
  readonly submitted: number;
  readonly failed: number;
  readonly rawInsertPerSecond: number;
  readonly rawInserted: number;
  readonly rowsPerSubmission: number;
  readonly skipped?: string;
}

interface Child {
  readonly process: ChildProcess;
  readonly base: string;
  readonly exited: Promise<void>;
  output(): string;
}

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Starts a child server and waits until `readyPath` answers 200. */
async function startChild(args: readonly string[], env: NodeJS.ProcessEnv, port: number, readyPath: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      alive = false;
      children.delete(child);
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!alive) throw new Error(`${args.join(' ')} exited before it was ready:\n${output}`);
    try {
      if ((await fetch(`${base}${readyPath}`, { signal: AbortSignal.timeout(1000) })).ok) return { process: child, base, exited, output: () => output };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} was not ready within 30 s:\n${output}`);
}

async function stopChild(child: Child): Promise<void> {
  if (!children.has(child.process)) return;
  child.process.kill('SIGTERM');
  if (!(await Promise.race([child.exited.then(() => true), sleep(10_000).then(() => false)]))) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
}

/** The HTTP limit: Fastify parsing the JSON body and sending it back, nothing else. */
async function runEchoServer(port: number): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.post('/api/v1/submissions', (request, reply) => reply.status(201).send(request.body));
  await app.listen({ port, host: '127.0.0.1' });
  const stop = () => void app.close();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function load(base: string, headers: Record<string, string>, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${base}/api/v1/submissions`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    // autocannon puts a fresh id in place of [<id>] in every request, so that each one is a new submission.
    idReplacement: true,
    headers: { 'content-type': 'application/json', 'idempotency-key': 'bench-[<id>]', ...headers },
    body: BODY,
  });
}

function httpFigure(target: string, result: autocannon.Result, stored?: number): HttpFigure {
  return {
    target,
    requestsPerSecond: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    ...(stored === undefined ? {} : { stored }),
  };
}

const skippedHttp = (target: string, why: string): HttpFigure => ({ target, requestsPerSecond: 0, p50Ms: 0, p99Ms: 0, requests: 0, errors: 0, timeouts: 0, non2xx: 0, skipped: why });

async function benchEcho(): Promise<HttpFigure> {
  const port = await freePort();
  const child = await startChild(['bench/run.ts', '--echo-server', String(port)], { ...process.env }, port, '/healthz');
  try {
    await load(child.base, {}, WARMUP_SECONDS);
    return httpFigure('fastify echo (HTTP limit)', await load(child.base, {}, SECONDS));
  } finally {
    await stopChild(child);
  }
}

function storeConfig(store: TestStore): Config {
  // The store as `kouan serve` opens it: SQLite at its default synchronous mode.
  return loadConfig({ dataDir: store.config.dataDir, databaseUrl: store.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', ...sqliteSynchronousEnv() });
}

function sqliteSynchronousEnv(): Record<string, string> {
  const value = process.env.KOUAN_SQLITE_SYNCHRONOUS;
  return value === undefined || value === '' ? {} : { KOUAN_SQLITE_SYNCHRONOUS: value };
}

/** A fresh store with the broker registered; returns the store and the broker's API key. */
async function preparedStore(kind: StoreKind): Promise<{ store: TestStore; key: string }> {
  const store = await createTestStore(kind);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await store.drop();
  };
  cleanups.push(drop);
  const config = storeConfig(store);
  const opened = await openStore(config.store);
  try {
    const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
    await services.parties.seedAgencies();
    await services.parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Bench Broker', roles: ['declarant', 'broker'] });
    return { store: { ...store, drop }, key: (await services.parties.createKey(BROKER)).key };
  } finally {
    await opened.close();
  }
}

async function countSubmissions(store: TestStore): Promise<number> {
  const opened = await openStore(storeConfig(store).store, { migrate: false });
  try {
    const row = await opened.db.selectFrom('submissions').select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  } finally {
    await opened.close();
  }
}

async function benchKouan(kind: StoreKind): Promise<HttpFigure> {
  const target = `kouan serve, ${kind}`;
  if (kind === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable !== undefined) return skippedHttp(target, unavailable);
  }
  const { store, key } = await preparedStore(kind);
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, KOUAN_LOG_LEVEL: 'silent' };
    for (const name of ['KOUAN_DATABASE_URL', 'KOUAN_DATA_DIR', 'PORT', 'KOUAN_HOST']) delete env[name];
    if (store.config.databaseUrl === undefined) env.KOUAN_DATA_DIR = store.config.dataDir;
    else env.KOUAN_DATABASE_URL = store.config.databaseUrl;
    const port = await freePort();
    const child = await startChild(['src/cli/main.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'], env, port, '/readyz');
    let result: autocannon.Result;
    try {
      const headers = { authorization: `Bearer ${key}` };
      await load(child.base, headers, WARMUP_SECONDS);
      result = await load(child.base, headers, SECONDS);
    } finally {
      await stopChild(child);
    }
    if (result.non2xx > 0) console.warn(`${target}: ${result.non2xx} answers were not 2xx`);
    return httpFigure(target, result, await countSubmissions(store));
  } finally {
    await store.drop();
  }
}

/** The rows one submission writes, read back from the store so that the raw figure inserts exactly those. */
async function rowsOf(store: Store, id: string) {
  const { db } = store;
  const submission = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const parts = await db.selectFrom('parts').selectAll().where('submission_id', '=', id).execute();
  const history = await db.selectFrom('submission_history').select(['agency', 'from_status', 'to_status', 'actor', 'reasons', 'at']).where('submission_id', '=', id).execute();
  const outbox = await db.selectFrom('outbox').select(['agency', 'kind', 'payload', 'created_at']).where('submission_id', '=', id).execute();
  return { submission, parts, history, outbox };
}

async function rawInserts(store: Store, template: Awaited<ReturnType<typeof rowsOf>>, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let inserted = 0;
  while (Date.now() < deadline) {
    const ids = Array.from({ length: RAW_BATCH }, () => newId('sub'));
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('submissions').values(ids.map((id) => ({ ...template.submission, id, idempotency_key: `raw-${id}` }))).execute();
      await trx.insertInto('parts').values(ids.flatMap((id) => template.parts.map((part) => ({ ...part, id: newId('part'), submission_id: id })))).execute();
      await trx.insertInto('submission_history').values(ids.flatMap((id) => template.history.map((entry) => ({ ...entry, submission_id: id })))).execute();
      await trx
        .insertInto('outbox')
        .values(ids.flatMap((id) => template.outbox.map((message) => ({ ...message, message_id: newId('msg'), submission_id: id, payload: message.payload.replaceAll(template.submission.id, id), dispatched_at: null }))))
        .execute();
    });
    inserted += RAW_BATCH;
  }
  return inserted;
}

async function benchPipeline(kind: StoreKind): Promise<PipelineFigure> {
  const empty = { store: kind, submitPerSecond: 0, submitted: 0, failed: 0, rawInsertPerSecond: 0, rawInserted: 0, rowsPerSubmission: 0 };
  if (kind === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable !== undefined) return { ...empty, skipped: unavailable };
  }
  const { store, key } = await preparedStore(kind);
  try {
    const config = storeConfig(store);
    const opened = await openStore(config.store);
    try {
      const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
      const principal = await services.parties.authenticate(key);
      if (principal === undefined) throw new Error('the bench key does not authenticate');
      const request = JSON.parse(BODY) as Parameters<typeof services.submissions.submit>[1];

      let submitted = 0;
      let failed = 0;
      let lastId: string | undefined;
      let firstError: unknown;
      const started = performance.now();
      const deadline = Date.now() + SECONDS * 1000;
      const worker = async () => {
        while (Date.now() < deadline) {
          try {
            const outcome = await services.submissions.submit(principal, request, newId('bench'));
            lastId = outcome.submission.id;
            submitted += 1;
          } catch (error) {
            failed += 1;
            firstError ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: PIPELINE_CONCURRENCY }, worker));
      const submitSeconds = (performance.now() - started) / 1000;
      if (firstError !== undefined) console.warn(`pipeline on ${kind}: ${failed} submissions failed, the first with: ${reason(firstError)}`);
      if (lastId === undefined) throw new Error(`no submission went through on ${kind}`);

      const template = await rowsOf(opened, lastId);
      const rawStarted = performance.now();
      const rawInserted = await rawInserts(opened, template, SECONDS);
      const rawSeconds = (performance.now() - rawStarted) / 1000;
      return {
        store: kind,
        submitPerSecond: round(submitted / submitSeconds),
        submitted,
        failed,
        rawInsertPerSecond: round(rawInserted / rawSeconds),
        rawInserted,
        rowsPerSubmission: 1 + template.parts.length + template.history.length + template.outbox.length,
      };
    } finally {
      await opened.close();
    }
  } finally {
    await store.drop();
  }
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const [first, ...rest] = cells;
  return [line(first ?? []), widths.map((width) => '-'.repeat(width)).join('  '), ...rest.map(line)].join('\n');
}

async function cleanUp(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => console.warn(`cleanup failed: ${reason(error)}`));
}

async function main(): Promise<void> {
  const onSignal = (signal: NodeJS.Signals) => {
    console.warn(`${signal}: stopping the servers and dropping the bench databases`);
    void cleanUp().finally(() => {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });

  const sqliteSynchronous = loadConfig({}, { ...sqliteSynchronousEnv() }).store.sqliteSynchronous;
  console.log(`Kouan bench: ${SECONDS} s per target, ${CONNECTIONS} connections, a ${LINES}-line goods declaration (${BODY.length} bytes), SQLite synchronous=${sqliteSynchronous}`);
  const http: HttpFigure[] = [];
  const pipeline: PipelineFigure[] = [];
  try {
    http.push(await benchEcho());
    for (const kind of ['sqlite', 'postgres'] as const) http.push(await benchKouan(kind));
    for (const kind of ['sqlite', 'postgres'] as const) pipeline.push(await benchPipeline(kind));
  } finally {
    await cleanUp();
  }

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { platform: platform(), release: release(), arch: arch(), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, memoryGiB: round(totalmem() / 1024 ** 3) },
    settings: { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, lines: LINES, bodyBytes: BODY.length, sqliteSynchronous, pipelineConcurrency: PIPELINE_CONCURRENCY, rawBatch: RAW_BATCH },
    http,
    pipeline,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL('latest.json', RESULTS), `${JSON.stringify(results, null, 2)}\n`);

  console.log(`\nHTTP: POST /api/v1/submissions (${results.machine.cpus} × ${results.machine.cpu}, Node ${process.version})\n`);
  console.log(
    table(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'non-2xx'],
      http.map((figure) =>
        figure.skipped === undefined
          ? [figure.target, figure.requestsPerSecond, figure.p50Ms, figure.p99Ms, figure.requests, figure.errors, figure.non2xx]
          : [figure.target, 'skipped', '', '', '', '', ''],
      ),
    ),
  );
  console.log('\nIn-process pipeline: submissions/s through submit() against raw batched inserts of the same rows\n');
  console.log(
    table(
      ['store', 'submit/s', 'raw insert/s', 'submit / raw', 'rows per submission'],
      pipeline.map((figure) =>
        figure.skipped === undefined
          ? [figure.store, figure.submitPerSecond, figure.rawInsertPerSecond, `${round((100 * figure.submitPerSecond) / figure.rawInsertPerSecond)} %`, figure.rowsPerSubmission]
          : [figure.store, 'skipped', '', '', ''],
      ),
    ),
  );
  for (const figure of [...http, ...pipeline]) if (figure.skipped !== undefined) console.log(`skipped ${'target' in figure ? figure.target : figure.store}: ${figure.skipped}`);
  console.log(`\nWritten to ${fileURLToPath(new URL('latest.json', RESULTS))}`);
}

if (process.argv[2] === '--echo-server') {
  await runEchoServer(Number(process.argv[3]));
} else {
  await main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
