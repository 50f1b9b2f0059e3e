/**
 * `npm run bench`: Kouan against the limits of the same machine (DESIGN.md, "Quality targets"), for what exists so far.
 *
 * - HTTP: POST /api/v1/submissions with a 10-line goods declaration, each request with its own Idempotency-Key,
 *   driven by autocannon against (a) a bare Fastify route that parses and echoes the body (the HTTP limit), (b) Kouan
 *   on SQLite, (c) Kouan on PostgreSQL. Every server is a child process, so the load generator never shares its loop.
 * - Pipeline: submissions per second through `services.submissions.submit` in this process, against raw batched
 *   inserts of the same rows into the same store (the store limit), on each store.
 * - Ledger: write-offs per second with 64 concurrent clients on 10 hot accounts, each a reserve and a write-off in
 *   one transaction through the ledger service, against the bare guarded UPDATE of the same lines (the store limit
 *   for a hot row); afterwards no line may be overdrawn and the audit must be clean, or the bench fails.
 * - Tracking (bench/tracking.ts): a log of a million events ingested through the tracking service, timeline
 *   latencies over it, and a stored batch sent again; EDIFACT (bench/edifact.ts): IFTSTA and CODECO parse and map.
 * - Tracking streams (bench/fanout.ts): 500 server-sent-event streams on a container with 10,000 events, the time
 *   to deliver 5 new events to all of them, /healthz meanwhile and the server's memory.
 * - Latency (bench/latency.ts): submissions offered at a constant rate (BENCH_RATE, 1,000/s), the 201's p50 and p99,
 *   and how soon customs has each part in its inbox (pulled) and at its webhook (pushed).
 * `npm run bench -- tracking edifact` runs only the parts named (http, pipeline, ledger, tracking, edifact, fanout,
 * latency).
 * Writes bench/results/latest.json (keeping the figures of the parts not run) and prints a table per part.
 * Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (32), and those of bench/tracking.ts and bench/edifact.ts.
 * `node --import tsx bench/run.ts --echo-server PORT` is the echo server itself.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/main.js';
import type { Principal } from '../src/modules/parties/index.js';
import { newId, nowIso } from '../src/shared/ids.js';
import { openStore, type Store } from '../src/store/store.js';
import { BROKER, IMPORTER } from '../test/support/fixtures.js';
import { delegateGoods } from '../test/support/kouan.js';
import { postgresUnavailable, type StoreKind, type TestStore } from '../test/support/stores.js';
import { freePort } from '../test/support/net.js';
import { startChild, stopServer } from '../test/support/serve.js';
import { benchEdifact, type EdifactFigure } from './edifact.js';
import { benchFanout, fanoutWrong, type FanoutFigure } from './fanout.js';
import { RATE, benchLatency, type LatencyFigure } from './latency.js';
import { benchDeclaration, benchServerEnv, peakRssMiB, startBenchServer, cleanUpStores, killChildren, positiveInteger, reason, round, sqliteSynchronousEnv, storeConfig, table, throwawayStore } from './support.js';
import { POSTGRES_INGEST_CALLERS, TRACKING_EVENTS, benchTracking, trackingWrong, type TrackingFigure } from './tracking.js';

const RESULTS = new URL('results/', import.meta.url);
const SECONDS = positiveInteger('BENCH_SECONDS', 10);
const CONNECTIONS = positiveInteger('BENCH_CONNECTIONS', 32);
const WARMUP_SECONDS = 1;
/** Concurrent callers of submit() in the in-process pipeline figure, as many as the HTTP connections. */
const PIPELINE_CONCURRENCY = CONNECTIONS;
/** Submissions per transaction in the raw-insert figure. */
const RAW_BATCH = 100;
const LINES = 10;
/** DESIGN.md's ledger figure: this many clients write off against this many hot accounts. */
const LEDGER_CLIENTS = 64;
const LEDGER_ACCOUNTS = 10;
/** Units granted by each hot account, and written off by each write-off (in the ledger's millionths). */
const LEDGER_GRANTED_UNITS = 1_000_000;
const LEDGER_WRITE_OFF = 1_000_000;
const BODY = benchBody(0);

/** The n-th request's body (bench/support.ts: one of 200 vessels, a bill of lading and a container of its own). */
function benchBody(n: number): string {
  return JSON.stringify(benchDeclaration(n, LINES));
}

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
  /** The server's peak resident memory over the run (MiB, Linux). */
  readonly rssPeakMiB?: number;
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
  /** SQLite: the commits the submissions shared (group-commit.ts), and how many transactions each held. */
  readonly groupCommit?: { readonly batches: number; readonly transactions: number; readonly mean: number; readonly largest: number };
  readonly skipped?: string;
}

interface LedgerFigure {
  readonly store: StoreKind;
  readonly writeOffsPerSecond: number;
  readonly writeOffs: number;
  readonly failed: number;
  readonly clients: number;
  readonly accounts: number;
  /** Lines whose posted + reserved passed the ceiling afterwards; must be 0. */
  readonly overdraws: number;
  /** Write-offs acknowledged but not posted, or posted twice (posted minus acknowledged, in write-offs); must be 0. */
  readonly postedMismatch: number;
  /** Problems `kouan ledger verify` would report afterwards (entries replayed against balances); must be 0. */
  readonly auditProblems: number;
  readonly firstAuditProblems?: readonly string[];
  readonly entriesAudited: number;
  readonly auditSeconds: number;
  /** The same clients doing only the guarded UPDATE of a hot line per transaction. */
  readonly rawGuardedUpdatesPerSecond: number;
  readonly rawGuardedUpdates: number;
  readonly skipped?: string;
}

const PARTS = ['http', 'pipeline', 'ledger', 'tracking', 'edifact', 'fanout', 'latency'] as const;
type Part = (typeof PARTS)[number];

/** The parts named on the command line, every part when none is. */
function selectedParts(args: readonly string[]): ReadonlySet<Part> {
  const unknown = args.filter((arg) => !PARTS.some((part) => part === arg));
  if (unknown.length > 0) throw new Error(`unknown bench part ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
  return new Set(args.length === 0 ? PARTS : PARTS.filter((part) => args.includes(part)));
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

/** Requests sent so far, so that each one names its own bill of lading and container. */
let requestCount = 0;

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
    requests: [{ setupRequest: (request) => ({ ...request, body: benchBody((requestCount += 1)) }) }],
  });
}

function httpFigure(target: string, result: autocannon.Result, stored?: number, rssPeakMiB?: number): HttpFigure {
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
    ...(rssPeakMiB === undefined ? {} : { rssPeakMiB }),
  };
}

const skippedHttp = (target: string, why: string): HttpFigure => ({ target, requestsPerSecond: 0, p50Ms: 0, p99Ms: 0, requests: 0, errors: 0, timeouts: 0, non2xx: 0, skipped: why });

async function benchEcho(): Promise<HttpFigure> {
  const port = await freePort();
  const echo = await startChild(['bench/run.ts', '--echo-server', String(port)], { ...process.env }, port, '/healthz');
  try {
    await load(echo.base, {}, WARMUP_SECONDS);
    return httpFigure('fastify echo (HTTP limit)', await load(echo.base, {}, SECONDS));
  } finally {
    await stopServer(echo, 'SIGTERM');
  }
}

/** A fresh store with the broker registered; returns the store and the broker's API key. */
async function preparedStore(kind: StoreKind): Promise<{ store: TestStore; key: string }> {
  const store = await throwawayStore(kind);
  const config = storeConfig(store);
  const opened = await openStore(config.store);
  try {
    const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
    await services.parties.seedAgencies();
    await services.parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Bench Broker', roles: ['declarant', 'broker'] });
    await services.parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Bench Importer' });
    await delegateGoods(services, IMPORTER, BROKER);
    return { store, key: (await services.parties.createKey(BROKER)).key };
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
    const server = await startBenchServer(store, benchServerEnv());
    let result: autocannon.Result;
    let rss: number | undefined;
    try {
      const headers = { authorization: `Bearer ${key}` };
      await load(server.base, headers, WARMUP_SECONDS);
      result = await load(server.base, headers, SECONDS);
      rss = peakRssMiB(server.child.pid);
    } finally {
      await stopServer(server, 'SIGTERM');
    }
    if (result.non2xx > 0) console.warn(`${target}: ${result.non2xx} answers were not 2xx`);
    return httpFigure(target, result, await countSubmissions(store), rss);
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
      // Each row takes a number of its own (the column is unique), as the counter would give it.
      await trx.insertInto('submissions').values(ids.map((id) => ({ ...template.submission, id, idempotency_key: `raw-${id}`, number: `raw-${id}` }))).execute();
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
      let sent = 0;

      let submitted = 0;
      let failed = 0;
      const grouped = { ...opened.db.groupCommit };
      let lastId: string | undefined;
      let firstError: unknown;
      const started = performance.now();
      const deadline = Date.now() + SECONDS * 1000;
      const worker = async () => {
        while (Date.now() < deadline) {
          try {
            const outcome = await services.submissions.submit(principal, benchDeclaration((sent += 1), LINES), newId('bench'));
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
      const commits = opened.db.groupCommit;
      const batches = commits === undefined ? 0 : commits.batches - (grouped.batches ?? 0);
      const transactions = commits === undefined ? 0 : commits.transactions - (grouped.transactions ?? 0);
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
        ...(commits === undefined ? {} : { groupCommit: { batches, transactions, mean: round(transactions / Math.max(1, batches)), largest: commits.largest } }),
      };
    } finally {
      await opened.close();
    }
  } finally {
    await store.drop();
  }
}

/** Runs `clients` loops of `work` until the deadline; returns how many calls completed, failed, and the first error. */
async function loops(clients: number, seconds: number, work: (client: number) => Promise<void>) {
  let completed = 0;
  let failed = 0;
  let firstError: unknown;
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < deadline) {
        try {
          await work(client);
          completed += 1;
        } catch (error) {
          failed += 1;
          firstError ??= error;
        }
      }
    }),
  );
  return { completed, failed, firstError, seconds: (performance.now() - started) / 1000 };
}

async function benchLedger(kind: StoreKind): Promise<LedgerFigure> {
  const empty = { store: kind, writeOffsPerSecond: 0, writeOffs: 0, failed: 0, clients: LEDGER_CLIENTS, accounts: LEDGER_ACCOUNTS, overdraws: 0, postedMismatch: 0, auditProblems: 0, entriesAudited: 0, auditSeconds: 0, rawGuardedUpdatesPerSecond: 0, rawGuardedUpdates: 0 };
  if (kind === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable !== undefined) return { ...empty, skipped: unavailable };
  }
  const { store } = await preparedStore(kind);
  try {
    const config = storeConfig(store);
    const opened = await openStore(config.store);
    try {
      const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
      const { ledger } = services;
      const commerce: Principal | undefined = await services.parties.authenticate((await services.parties.createKey('MOC')).key);
      if (commerce === undefined) throw new Error('the MOC key does not authenticate');
      const today = new Date().toISOString().slice(0, 10);
      const numbers: string[] = [];
      for (let index = 0; index < LEDGER_ACCOUNTS; index += 1) {
        const { account } = await ledger.issue(commerce, {
          type: 'automatic-import-licence',
          holder: IMPORTER,
          direction: 'import',
          validFrom: today,
          validTo: today,
          lines: [{ hsCode: '8471300000', quantity: LEDGER_GRANTED_UNITS, unit: 'PCE' }],
        });
        numbers.push(account.number);
      }

      // Round-robin over the hot accounts; every write-off is a new declaration reserving and being released.
      let turn = 0;
      const writeOff = async () => {
        const accountNumber = numbers[turn++ % numbers.length] ?? '';
        const submissionId = newId('bench');
        await opened.db.transaction().execute(async (trx) => {
          const at = nowIso();
          await ledger.reserve(trx, submissionId, [{ accountNumber, lineNo: 1, path: '$', quantity: LEDGER_WRITE_OFF, side: 'credit' }], 'bench', at);
          await ledger.writeOff(trx, submissionId, 'CUS', at);
        });
      };
      const warmup = await loops(LEDGER_CLIENTS, WARMUP_SECONDS, writeOff);
      const run = await loops(LEDGER_CLIENTS, SECONDS, writeOff);
      if (run.firstError !== undefined) console.warn(`ledger on ${kind}: ${run.failed} write-offs failed, the first with: ${reason(run.firstError)}`);

      const lines = await opened.db.selectFrom('ledger_lines').select(['account_number', 'ceiling', 'reserved', 'posted']).execute();
      const overdraws = lines.filter((line) => line.reserved + line.posted > line.ceiling).length;
      const posted = lines.reduce((sum, line) => sum + line.posted, 0);
      const auditStarted = performance.now();
      const audit = await ledger.audit();
      const auditSeconds = (performance.now() - auditStarted) / 1000;
      const postedMismatch = posted / LEDGER_WRITE_OFF - (warmup.completed + run.completed);

      // The store limit: the guarded UPDATE each write-off needs, alone, one per transaction, on the same hot lines.
      // It posts without entries, so it runs after the audit (and would fail one).
      const rawGuardedUpdate = async () => {
        const accountNumber = numbers[turn++ % numbers.length] ?? '';
        await opened.db.transaction().execute(async (trx) => {
          const result = await trx
            .updateTable('ledger_lines')
            .set((eb) => ({ posted: eb('posted', '+', LEDGER_WRITE_OFF) }))
            .where('account_number', '=', accountNumber)
            .where('line_no', '=', 1)
            .where(sql<boolean>`reserved + posted + ${LEDGER_WRITE_OFF} <= ceiling`)
            .executeTakeFirst();
          if (result.numUpdatedRows === 0n) throw new Error(`${accountNumber} is exhausted`);
        });
      };
      const raw = await loops(LEDGER_CLIENTS, SECONDS, rawGuardedUpdate);
      if (raw.firstError !== undefined) console.warn(`raw guarded updates on ${kind}: ${raw.failed} failed, the first with: ${reason(raw.firstError)}`);

      return {
        store: kind,
        writeOffsPerSecond: round(run.completed / run.seconds),
        writeOffs: run.completed,
        failed: run.failed,
        clients: LEDGER_CLIENTS,
        accounts: LEDGER_ACCOUNTS,
        overdraws,
        postedMismatch,
        auditProblems: audit.problems.length,
        ...(audit.problems.length === 0 ? {} : { firstAuditProblems: audit.problems.slice(0, 10) }),
        entriesAudited: audit.entries,
        auditSeconds: round(auditSeconds, 2),
        rawGuardedUpdatesPerSecond: round(raw.completed / raw.seconds),
        rawGuardedUpdates: raw.completed,
      };
    } finally {
      await opened.close();
    }
  } finally {
    await store.drop();
  }
}

async function cleanUp(): Promise<void> {
  killChildren();
  await cleanUpStores();
}

/** The figures of the previous run, kept for the parts this run does not measure. */
function previousResults(file: URL): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    console.warn(`${fileURLToPath(file)} is not JSON; it is replaced`);
    return {};
  }
}

async function main(args: readonly string[]): Promise<void> {
  const parts = selectedParts(args);
  const onSignal = (signal: NodeJS.Signals) => {
    console.warn(`${signal}: stopping the servers and dropping the bench databases`);
    void cleanUp().finally(() => {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', killChildren);

  const started = performance.now();
  const sqliteSynchronous = loadConfig({}, { ...sqliteSynchronousEnv() }).store.sqliteSynchronous;
  console.log(`Kouan bench (${[...parts].join(', ')}): ${SECONDS} s per target, ${CONNECTIONS} connections, a ${LINES}-line goods declaration (${BODY.length} bytes), SQLite synchronous=${sqliteSynchronous}`);
  if (parts.has('tracking')) console.log(`Tracking: ${TRACKING_EVENTS} events per store, ${POSTGRES_INGEST_CALLERS} ingest caller(s) on PostgreSQL`);
  const http: HttpFigure[] = [];
  const pipeline: PipelineFigure[] = [];
  const ledger: LedgerFigure[] = [];
  const tracking: TrackingFigure[] = [];
  let edifact: EdifactFigure[] = [];
  const fanout: FanoutFigure[] = [];
  const latency: LatencyFigure[] = [];
  try {
    if (parts.has('http')) {
      http.push(await benchEcho());
      for (const kind of ['sqlite', 'postgres'] as const) http.push(await benchKouan(kind));
    }
    if (parts.has('pipeline')) for (const kind of ['sqlite', 'postgres'] as const) pipeline.push(await benchPipeline(kind));
    if (parts.has('ledger')) for (const kind of ['sqlite', 'postgres'] as const) ledger.push(await benchLedger(kind));
    if (parts.has('tracking')) for (const kind of ['sqlite', 'postgres'] as const) tracking.push(await benchTracking(kind));
    if (parts.has('edifact')) edifact = benchEdifact();
    if (parts.has('fanout')) for (const kind of ['sqlite', 'postgres'] as const) fanout.push(await benchFanout(kind));
    if (parts.has('latency')) for (const kind of ['sqlite', 'postgres'] as const) latency.push(await benchLatency(kind));
  } finally {
    await cleanUp();
  }

  const file = new URL('latest.json', RESULTS);
  const previous = previousResults(file);
  const date = new Date().toISOString();
  const measured: Record<string, unknown> = { ...(typeof previous.measured === 'object' && previous.measured !== null ? previous.measured : {}) };
  for (const part of parts) measured[part] = date;
  const machine = { platform: platform(), release: release(), arch: arch(), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, memoryGiB: round(totalmem() / 1024 ** 3) };
  const settings = {
    ...(typeof previous.settings === 'object' && previous.settings !== null ? previous.settings : {}),
    ...(parts.has('http') || parts.has('pipeline') || parts.has('ledger')
      ? { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, lines: LINES, bodyBytes: BODY.length, pipelineConcurrency: PIPELINE_CONCURRENCY, rawBatch: RAW_BATCH, ledgerClients: LEDGER_CLIENTS, ledgerAccounts: LEDGER_ACCOUNTS }
      : {}),
    ...(parts.has('tracking') ? { trackingEvents: TRACKING_EVENTS, trackingPostgresIngestCallers: POSTGRES_INGEST_CALLERS } : {}),
    ...(parts.has('latency') ? { latencyRate: RATE } : {}),
    sqliteSynchronous,
  };
  const results = {
    ...previous,
    date,
    /** When each part's figures were measured (a run of some parts keeps the others'). */
    measured,
    node: process.version,
    machine,
    settings,
    ...(parts.has('http') ? { http } : {}),
    ...(parts.has('pipeline') ? { pipeline } : {}),
    ...(parts.has('ledger') ? { ledger } : {}),
    ...(parts.has('tracking') ? { tracking } : {}),
    ...(parts.has('edifact') ? { edifact } : {}),
    ...(parts.has('fanout') ? { fanout } : {}),
    ...(parts.has('latency') ? { latency } : {}),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  if (parts.has('http')) {
    console.log(`\nHTTP: POST /api/v1/submissions (${machine.cpus} × ${machine.cpu}, Node ${process.version})\n`);
    console.log(
      table(
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'non-2xx', 'peak RSS MiB'],
        http.map((figure) =>
          figure.skipped === undefined
            ? [figure.target, figure.requestsPerSecond, figure.p50Ms, figure.p99Ms, figure.requests, figure.errors, figure.non2xx, figure.rssPeakMiB ?? '']
            : [figure.target, 'skipped', '', '', '', '', '', ''],
        ),
      ),
    );
  }
  if (parts.has('pipeline')) {
    console.log('\nIn-process pipeline: submissions/s through submit() against raw batched inserts of the same rows\n');
    console.log(
      table(
        ['store', 'submit/s', 'raw insert/s', 'submit / raw', 'rows per submission', 'transactions per commit'],
        pipeline.map((figure) =>
          figure.skipped === undefined
            ? [figure.store, figure.submitPerSecond, figure.rawInsertPerSecond, `${round((100 * figure.submitPerSecond) / figure.rawInsertPerSecond)} %`, figure.rowsPerSubmission, figure.groupCommit === undefined ? '1' : `${figure.groupCommit.mean} (at most ${figure.groupCommit.largest})`]
            : [figure.store, 'skipped', '', '', '', ''],
        ),
      ),
    );
  }
  if (parts.has('ledger')) {
    console.log(`\nLedger: write-offs/s, ${LEDGER_CLIENTS} clients on ${LEDGER_ACCOUNTS} hot accounts (reserve + write-off per transaction), against the bare guarded UPDATE\n`);
    console.log(
      table(
        ['store', 'write-offs/s', 'raw guarded update/s', 'write-off / raw', 'write-offs', 'failed', 'overdraws', 'posted - acknowledged', 'audit problems'],
        ledger.map((figure) =>
          figure.skipped === undefined
            ? [figure.store, figure.writeOffsPerSecond, figure.rawGuardedUpdatesPerSecond, `${round((100 * figure.writeOffsPerSecond) / figure.rawGuardedUpdatesPerSecond)} %`, figure.writeOffs, figure.failed, figure.overdraws, figure.postedMismatch, figure.auditProblems]
            : [figure.store, 'skipped', '', '', '', '', '', '', ''],
        ),
      ),
    );
  }
  const measuredTracking = tracking.filter((figure) => figure.skipped === undefined);
  if (parts.has('tracking')) {
    const window = measuredTracking[0]?.rateWindow ?? 0;
    console.log(`\nTracking ingest: events/s through tracking.ingest() in batches of ${measuredTracking[0]?.batchSize ?? ''}, by one carrier\n`);
    console.log(
      table(
        ['store', 'events', 'callers', 'events/s', `first ${window} ev/s`, `last ${window} ev/s`, 'batch p50 ms', 'batch p99 ms', 'rejected', 'in log', 'store MiB', 'seconds'],
        tracking.map((figure) =>
          figure.skipped === undefined
            ? [figure.store, figure.events, figure.callers, figure.eventsPerSecond, figure.firstWindowEventsPerSecond, figure.lastWindowEventsPerSecond, figure.batchP50Ms, figure.batchP99Ms, figure.rejected, figure.stored, figure.storeMiB, figure.ingestSeconds]
            : [figure.store, 'skipped', '', '', '', '', '', '', '', '', '', ''],
        ),
      ),
    );
    for (const figure of measuredTracking) console.log(`${figure.store}: events/s per ${window} events, first to last: ${figure.windowsEventsPerSecond.join(', ')}`);
    console.log('\nTracking timelines with the whole log in place, by the carrier that published the events\n');
    console.log(
      table(
        ['store', 'timeline', 'queries', 'concurrency', 'queries/s', 'p50 ms', 'p99 ms', 'max ms', 'events each', 'wrong'],
        measuredTracking.flatMap((figure) => figure.timelines.map((timeline) => [figure.store, timeline.kind, timeline.queries, timeline.concurrency, timeline.perSecond, timeline.p50Ms, timeline.p99Ms, timeline.maxMs, timeline.eventsPerTimeline, timeline.wrong])),
      ),
    );
    for (const { store, postgresStatistics } of measuredTracking) {
      if (postgresStatistics === undefined) continue;
      const emulated = postgresStatistics.autovacuum === 'off' ? `; the bench ran autovacuum's ANALYZE ${postgresStatistics.emulatedAnalyzes} times during the load in its place` : '';
      console.log(`${store}: autovacuum ${postgresStatistics.autovacuum} on this server${emulated}; ANALYZE of the log before the timelines took ${postgresStatistics.analyzeSeconds} s`);
    }
    console.log('\nTracking resubmission: a stored batch sent again\n');
    console.log(
      table(
        ['store', 'resubmitted', 'duplicate', 'other results', 'log before', 'log after', 'ms', 'verdict'],
        measuredTracking.map(({ store, duplicate }) => [
          store,
          duplicate.resubmitted,
          duplicate.duplicates,
          duplicate.others,
          duplicate.countBefore,
          duplicate.countAfter,
          duplicate.ms,
          duplicate.others === 0 && duplicate.duplicates === duplicate.resubmitted && duplicate.countAfter === duplicate.countBefore ? 'all duplicate, log unchanged' : 'WRONG',
        ]),
      ),
    );
  }
  if (parts.has('edifact')) {
    console.log('\nEDIFACT: parseInterchange + interchangeToEvents on one interchange near the default limits (MB = 10^6 bytes)\n');
    console.log(
      table(
        ['message', 'MB', 'segments', 'messages', 'events', 'runs', 'MB/s', 'parse-only MB/s', 'events/s', 'p50 ms', 'max ms', 'wrong'],
        edifact.map((figure) => [figure.message, round(figure.bytes / 1e6, 2), figure.segments, figure.messages, figure.events, figure.runs, figure.mbPerSecond, figure.parseMbPerSecond, figure.eventsPerSecond, figure.p50Ms, figure.maxMs, figure.wrong]),
      ),
    );
  }
  if (parts.has('fanout')) {
    console.log('\nTracking streams: server-sent-event streams on one container with a long history, then two batches posted one after the other\n');
    console.log(
      table(
        ['store', 'streams', 'viewers', 'history', 'new', 'refused', 'delivered to all ms', 'second batch ms', 'complete', 'healthz p50 ms', 'p99 ms', 'max ms', 'RSS before MiB', 'RSS idle MiB', 'RSS peak MiB'],
        fanout.map((figure) =>
          figure.skipped === undefined
            ? [figure.store, figure.streams, figure.viewers, figure.history, figure.newEvents, figure.refused, figure.deliveryMs ?? 'timeout', figure.secondDeliveryMs ?? 'timeout', figure.complete, figure.healthP50Ms, figure.healthP99Ms, figure.healthMaxMs, figure.rssBeforeStreamsMiB, figure.rssIdleMiB, figure.rssPeakMiB]
            : [figure.store, 'skipped', '', '', '', '', '', '', '', '', '', '', '', '', ''],
        ),
      ),
    );
  }
  if (parts.has('latency')) {
    console.log(`\nLatency: submissions offered at ${RATE}/s over HTTP; from each 201 to the customs part in the inbox (pulled) and at the webhook (pushed)\n`);
    console.log(
      table(
        ['store', 'offered/s', 'achieved/s', '201s', 'non-2xx', 'p50 ms', 'p99 ms', 'inbox p50 ms', 'inbox p99 ms', 'webhook p50 ms', 'webhook p99 ms', 'missing (inbox, webhook)', 'peak RSS MiB'],
        latency.map((figure) =>
          figure.skipped === undefined
            ? [figure.store, figure.offeredPerSecond, figure.achievedPerSecond, figure.answered, figure.non2xx, figure.p50Ms, figure.p99Ms, figure.inboxP50Ms, figure.inboxP99Ms, figure.webhookP50Ms, figure.webhookP99Ms, `${figure.inboxMissing}, ${figure.webhookMissing}`, figure.rssPeakMiB ?? '']
            : [figure.store, 'skipped', '', '', '', '', '', '', '', '', '', '', ''],
        ),
      ),
    );
  }
  for (const figure of [...http, ...pipeline, ...ledger, ...tracking, ...fanout, ...latency]) if (figure.skipped !== undefined) console.log(`skipped ${'target' in figure ? figure.target : figure.store}: ${figure.skipped}`);
  console.log(`\nWritten to ${fileURLToPath(file)} in ${round((performance.now() - started) / 1000)} s`);
  // The ledger figure is only worth having if the ledger stayed right under the load.
  for (const figure of ledger) {
    if (figure.overdraws > 0 || figure.postedMismatch !== 0 || figure.auditProblems > 0) {
      console.error(`LEDGER WRONG on ${figure.store}: ${figure.overdraws} overdrawn lines, posted - acknowledged = ${figure.postedMismatch} write-offs, ${figure.auditProblems} audit problems ${JSON.stringify(figure.firstAuditProblems ?? [])}`);
      process.exitCode = 1;
    }
  }
  // Likewise the tracking figures: every event stored, every timeline complete, a resubmission changing nothing.
  for (const figure of tracking) {
    const wrong = trackingWrong(figure);
    if (wrong !== undefined) {
      console.error(`TRACKING WRONG on ${figure.store}: ${wrong}`);
      process.exitCode = 1;
    }
  }
  for (const figure of fanout) {
    const wrong = fanoutWrong(figure);
    if (wrong !== undefined) {
      console.error(`TRACKING STREAMS WRONG on ${figure.store}: ${wrong}`);
      process.exitCode = 1;
    }
  }
  for (const figure of edifact) {
    if (figure.wrong > 0) {
      console.error(`EDIFACT WRONG for ${figure.message}: ${figure.wrong} events missing or mapping problems`);
      process.exitCode = 1;
    }
  }
}

if (process.argv[2] === '--echo-server') {
  await runEchoServer(Number(process.argv[3]));
} else {
  await main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
