/**
 * A real `kouan serve` on PostgreSQL keeps serving while its store fails under it: its backends are terminated
 * (pg_terminate_backend) several times in the middle of a load and once while it is idle, and its database
 * is made unreachable for a while. The process must stay up, answer only 201 or 503 (never 500, never a
 * dropped connection), report not-ready while the store is gone, recover by itself, and have kept every
 * submission it acknowledged, with its parts.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/store.js';
import { importDeclaration } from './support/fixtures.js';
import { eventually, running, seedBroker, sleep, startServer, stopServer, storeConfig, type Server } from './support/serve.js';
import { createTestStore, postgresUnavailable, POSTGRES_URL, type TestStore } from './support/stores.js';

const CLIENTS = 12;
const TERMINATIONS = 4;
const TERMINATE_EVERY_MS = 700;
/** Acknowledgements between two terminations, and after the last. */
const ACKS_BETWEEN = 6;
const REQUEST_TIMEOUT_MS = 15_000;
/** How soon after a fault the server must answer 201 again. */
const RECOVERY_MS = 5000;

interface Answered {
  readonly status: number;
  readonly body: string;
  readonly marker: string;
}

interface Acknowledged {
  readonly marker: string;
  readonly id: string;
  readonly agencies: readonly string[];
}

interface Load {
  readonly answers: Answered[];
  readonly acknowledged: Acknowledged[];
  /** Requests that got no HTTP answer at all (a reset connection, a timeout): each is a finding. */
  readonly dropped: string[];
  stop(): Promise<void>;
}

const unavailable = await postgresUnavailable();
if (unavailable !== undefined) console.warn(`Skipping the store fault tests: ${unavailable}`);

/** The name of the test database, from its URL. */
const databaseOf = (store: TestStore): string => new URL(store.config.databaseUrl ?? '').pathname.slice(1);

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Terminates every backend of the database but the caller's; returns how many there were. */
function terminateBackends(database: string): Promise<number> {
  return asAdmin(async (client) => {
    const result = await client.query<{ pid: number }>('select pg_terminate_backend(pid) as done, pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
    return result.rowCount ?? 0;
  });
}

async function submit(server: Server, apiKey: string, marker: string): Promise<Answered> {
  const base = importDeclaration();
  const data = importDeclaration({ transport: { ...(base.transport as Record<string, unknown>), billOfLading: marker } });
  const response = await fetch(`${server.base}/api/v1/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': marker },
    body: JSON.stringify({ docType: 'goods-declaration', data }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await response.text();
  if (response.status === 503) expect(response.headers.get('retry-after'), `Retry-After of a 503 for ${marker}`).toMatch(/^\d+$/);
  return { status: response.status, body, marker };
}

/** Clients submit in a loop until stopped; every answer and every request without one is kept. */
function startLoad(server: Server, apiKey: string, run: string): Load {
  let stopped = false;
  const answers: Answered[] = [];
  const acknowledged: Acknowledged[] = [];
  const dropped: string[] = [];
  const client = async (index: number) => {
    for (let n = 0; !stopped; n += 1) {
      const marker = `F-${run}-${index}-${n}`;
      try {
        const answer = await submit(server, apiKey, marker);
        answers.push(answer);
        if (answer.status === 201) {
          const body = JSON.parse(answer.body) as { id: string; parts: { agency: string }[] };
          acknowledged.push({ marker, id: body.id, agencies: body.parts.map((part) => part.agency) });
        } else if (answer.status === 503) {
          // What a client does with Retry-After: wait a little before the next request.
          await sleep(50);
        }
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
        dropped.push(`${marker}: ${error instanceof Error ? error.message : String(error)}${cause}`);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
  return {
    answers,
    acknowledged,
    dropped,
    async stop() {
      stopped = true;
      await Promise.all(clients);
    },
  };
}

const alive = (server: Server) => server.child.exitCode === null && server.child.signalCode === null;

describe.skipIf(unavailable !== undefined)('kouan serve on PostgreSQL survives store faults', () => {
  let store: TestStore | undefined;
  let server: Server | undefined;
  let apiKey = '';

  beforeAll(async () => {
    store = await createTestStore('postgres');
    apiKey = await seedBroker(store);
    // Its logs go to the test's output on failure: a crash shows its stack there.
    server = await startServer(store, { KOUAN_LOG_LEVEL: 'warn' });
  }, 60_000);

  afterAll(async () => {
    if (store !== undefined) await asAdmin((client) => client.query(`alter database ${databaseOf(store as TestStore)} allow_connections true`)).catch(() => undefined);
    if (server !== undefined) await stopServer(server, 'SIGTERM');
    for (const child of running) child.kill('SIGKILL');
    await store?.drop();
  });

  it('keeps serving through terminated backends, under load and idle, and loses no acknowledged submission', { timeout: 90_000 }, async () => {
    if (store === undefined || server === undefined) throw new Error('not started');
    const live = server;
    const database = databaseOf(store);
    const run = randomBytes(4).toString('hex');

    const load = startLoad(live, apiKey, run);
    let terminated = 0;
    // Each termination lands on a server that is answering: it waits for a few new acknowledgements first
    // (a slow, shared machine answers fewer per second).
    const acknowledgedSince = async (count: number, atLeast: number) => eventually(() => Promise.resolve(load.acknowledged.length >= count + atLeast), 20_000, 20);
    for (let round = 0; round < TERMINATIONS; round += 1) {
      const before = load.acknowledged.length;
      await sleep(TERMINATE_EVERY_MS);
      await acknowledgedSince(before, ACKS_BETWEEN);
      terminated += await terminateBackends(database);
    }
    await acknowledgedSince(load.acknowledged.length, ACKS_BETWEEN);
    await load.stop();

    // Once more while nothing runs: the pool's idle connections die under it.
    await sleep(300);
    terminated += await terminateBackends(database);
    await sleep(200);
    expect(alive(live), `the server exited; its output:\n${live.output()}`).toBe(true);
    const afterIdle = await eventually(async () => (await submit(live, apiKey, `F-${run}-idle`)).status === 201, RECOVERY_MS);
    expect(afterIdle, `201 again within ${RECOVERY_MS} ms of the idle termination; output:\n${live.output()}`).toBe(true);

    const statuses = new Map<number, number>();
    for (const answer of load.answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    console.info(`store faults: ${terminated} backends terminated; answers ${JSON.stringify(Object.fromEntries(statuses))}; ${load.dropped.length} dropped`);

    // The test must be able to fail: the terminations landed on a server that was taking submissions.
    expect(terminated, 'backends terminated').toBeGreaterThanOrEqual(TERMINATIONS);
    expect(load.acknowledged.length, 'submissions acknowledged during the load').toBeGreaterThan(20);
    expect(load.dropped, 'requests that got no answer').toEqual([]);
    const unexpected = load.answers.filter((answer) => answer.status !== 201 && answer.status !== 503).map((answer) => `${answer.status} ${answer.marker}: ${answer.body.slice(0, 300)}`);
    expect(unexpected, 'answers other than 201 and 503').toEqual([]);
    for (const answer of load.answers.filter((item) => item.status === 503)) {
      expect(JSON.parse(answer.body) as { code: string }, `503 for ${answer.marker}`).toMatchObject({ code: expect.stringMatching(/^STORE_(UNAVAILABLE|BUSY)$/) as unknown });
    }

    // Every acknowledged submission is stored, with its parts.
    const opened = await openStore(storeConfig(store).store, { migrate: false });
    try {
      const ids = load.acknowledged.map((entry) => entry.id);
      const rows = await opened.db.selectFrom('submissions').select(['id', 'idempotency_key']).where('id', 'in', ids).execute();
      const parts = await opened.db.selectFrom('parts').select(['submission_id', 'agency']).where('submission_id', 'in', ids).execute();
      const keys = new Map(rows.map((row) => [row.id, row.idempotency_key]));
      for (const entry of load.acknowledged) {
        expect(keys.get(entry.id), `acknowledged ${entry.id} (${entry.marker})`).toBe(entry.marker);
        const own = parts.filter((part) => part.submission_id === entry.id).map((part) => part.agency).sort();
        expect(own, `parts of ${entry.id}`).toEqual([...entry.agencies].sort());
      }
    } finally {
      await opened.close();
    }
  });

  it('reports not ready and answers 503 while its database refuses connections, and recovers by itself', { timeout: 60_000 }, async () => {
    if (store === undefined || server === undefined) throw new Error('not started');
    const live = server;
    const database = databaseOf(store);
    const run = randomBytes(4).toString('hex');
    const readiness = async () => {
      const response = await fetch(`${live.base}/readyz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      return { status: response.status, body: (await response.json()) as { status: string; problem?: string } };
    };
    expect((await readiness()).status).toBe(200);

    await asAdmin(async (client) => {
      await client.query(`alter database ${database} allow_connections false`);
      await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
    });
    try {
      const down = await readiness();
      expect(down.status, JSON.stringify(down.body)).toBe(503);
      expect(down.body.status).toBe('not ready');
      const refused = await submit(live, apiKey, `F-${run}-down`);
      expect({ status: refused.status, code: (JSON.parse(refused.body) as { code: string }).code }).toEqual({ status: 503, code: 'STORE_UNAVAILABLE' });
      // Authenticated reads need the store as well: 503, not 500.
      const read = await fetch(`${live.base}/api/v1/submissions`, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      expect(read.status).toBe(503);
      expect(read.headers.get('retry-after')).toMatch(/^\d+$/);
      await sleep(500);
      expect(alive(live), `the server exited; its output:\n${live.output()}`).toBe(true);
    } finally {
      await asAdmin((client) => client.query(`alter database ${database} allow_connections true`));
    }

    expect(await eventually(async () => (await readiness()).status === 200, RECOVERY_MS), 'ready again after the database came back').toBe(true);
    const again = await submit(live, apiKey, `F-${run}-back`);
    expect(again.status, again.body).toBe(201);

    // The background workers lived through the outage: the exchange dispatcher moves every part of the new
    // submission (and of everything acknowledged before) into the agencies' inboxes.
    const opened = await openStore(storeConfig(store).store, { migrate: false });
    try {
      const undispatched = () => opened.db.selectFrom('outbox').select('message_id').where('dispatched_at', 'is', null).execute();
      expect(await eventually(async () => (await undispatched()).length === 0, 10_000), 'outbox rows still undispatched after the outage').toBe(true);
      const id = (JSON.parse(again.body) as { id: string }).id;
      expect((await opened.db.selectFrom('inbox').select('agency').where('submission_id', '=', id).execute()).length).toBeGreaterThan(0);
    } finally {
      await opened.close();
    }
  });

  it('waits at start for a database that does not accept connections yet, and serves once it does', { timeout: 60_000 }, async () => {
    const late = await createTestStore('postgres');
    const database = databaseOf(late);
    const allow = (allowed: boolean) => asAdmin((client) => client.query(`alter database ${database} allow_connections ${String(allowed)}`));
    try {
      await allow(false);
      let refused: () => void = () => undefined;
      const sawRefusal = new Promise<void>((resolve) => (refused = resolve));
      const starting = startServer(late, { KOUAN_LOG_LEVEL: 'warn' }, (output) => {
        if (output.includes('not reachable yet')) refused();
      });
      // The database comes back only once the server has been refused at least once.
      await Promise.race([sawRefusal, starting.then(() => undefined, () => undefined)]);
      await allow(true);
      const started = await starting;
      try {
        const ready = await fetch(`${started.base}/readyz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        expect(ready.status).toBe(200);
        expect(started.output()).toContain('not reachable yet');
      } finally {
        await stopServer(started, 'SIGTERM');
      }
    } finally {
      await allow(true).catch(() => undefined);
      await late.drop();
    }
  });
});
