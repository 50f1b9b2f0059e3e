/**
 * Invariants 1 and 2 of DESIGN.md against the real `kouan serve` process: a submission acknowledged with 201 survives
 * a SIGKILL in the middle of a load (SQLite at its default synchronous=FULL, and PostgreSQL), and a rejected one
 * leaves no row behind. The kill is real, so these are the only tests that see the store recover from a crash.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditModule } from '../src/modules/audit/index.js';
import { openStore, type Store } from '../src/store/store.js';
import { BROKER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { running, seedBroker, sleep, startServer, stopServer, storeConfig, type Server } from './support/serve.js';
import { createTestStore, storeKinds, type StoreKind, type TestStore } from './support/stores.js';

const CLIENTS = 16;
/** The kill comes at least this long into the load, once enough of both kinds of answer were seen (at most KILL_BY_MS). */
const KILL_AFTER_MS = 1500;
const KILL_BY_MS = 20_000;
/** Bounds every client's loop, whatever happens to the kill. */
const MAX_REQUESTS_PER_CLIENT = 2000;
const REQUEST_TIMEOUT_MS = 10_000;

interface Acknowledged {
  readonly marker: string;
  readonly idempotencyKey: string;
  readonly id: string;
  readonly agencies: readonly string[];
}

interface LoadOutcome {
  readonly acknowledged: Acknowledged[];
  /** Markers of requests answered 4xx: none of them may leave a trace. */
  readonly rejected: string[];
  /** Anything else answered, or a failure before the kill: each is a finding. */
  readonly unexpected: string[];
  /** Requests cut off by the kill: their fate is unknown, either way is correct. */
  cutOff: number;
  inFlightAtKill: number;
}

/** 16 clients submit in a loop, one in four invalid (unknown country of dispatch); the server is SIGKILLed mid-flight. */
async function loadAndKill(server: Server, apiKey: string, run: string): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { acknowledged: [], rejected: [], unexpected: [], cutOff: 0, inFlightAtKill: 0 };
  const base = importDeclaration();
  const transport = base.transport as Record<string, unknown>;
  let killed = false;
  let inFlight = 0;

  const client = async (index: number) => {
    for (let n = 0; n < MAX_REQUESTS_PER_CLIENT && !killed; n += 1) {
      const invalid = n % 4 === 3;
      const marker = `${invalid ? 'BAD' : 'OK'}-${run}-${index}-${n}`;
      const idempotencyKey = `${run}-${index}-${n}`;
      const data = importDeclaration({ transport: { ...transport, billOfLading: marker }, ...(invalid ? { countryOfDispatch: 'XX' } : {}) });
      inFlight += 1;
      try {
        const response = await fetch(`${server.base}/api/v1/submissions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify({ docType: 'goods-declaration', data }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        // Only a complete answer is an acknowledgement; a body cut off by the kill is not.
        const text = await response.text();
        if (response.status === 201 && !invalid) {
          const body = JSON.parse(text) as { id: string; parts: { agency: string }[] };
          outcome.acknowledged.push({ marker, idempotencyKey, id: body.id, agencies: body.parts.map((part) => part.agency) });
        } else if (response.status >= 400 && response.status < 500) {
          outcome.rejected.push(marker);
          if (!invalid || response.status !== 422) outcome.unexpected.push(`${response.status} for ${marker}: ${text.slice(0, 300)}`);
        } else {
          outcome.unexpected.push(`${response.status} for ${marker}: ${text.slice(0, 300)}`);
        }
      } catch (error) {
        if (killed) outcome.cutOff += 1;
        else outcome.unexpected.push(`request ${marker} failed before the kill: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        inFlight -= 1;
      }
    }
  };

  const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
  await sleep(KILL_AFTER_MS);
  // A slow machine answers fewer in the same time: wait for enough to make the checks below meaningful.
  for (const deadline = Date.now() + KILL_BY_MS; Date.now() < deadline && (outcome.acknowledged.length <= 20 || outcome.rejected.length <= 5); ) await sleep(50);
  outcome.inFlightAtKill = inFlight;
  killed = true;
  server.child.kill('SIGKILL');
  await Promise.all(clients);
  await server.exited;
  return outcome;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

const markerOf = (json: string): unknown => (JSON.parse(json) as { transport?: { billOfLading?: unknown } }).transport?.billOfLading;

/** Reads the store after the crash and checks both invariants on every row. */
async function verifyStore(store: Store, outcome: LoadOutcome, run: string): Promise<void> {
  const { db } = store;

  // Every acknowledged submission is there, with its data, its parts, their outbox messages and its history.
  for (const batch of chunks(outcome.acknowledged, 400)) {
    const ids = batch.map((entry) => entry.id);
    const submissions = new Map((await db.selectFrom('submissions').selectAll().where('id', 'in', ids).execute()).map((row) => [row.id, row]));
    const parts = await db.selectFrom('parts').select(['submission_id', 'agency', 'data']).where('submission_id', 'in', ids).execute();
    const outbox = await db.selectFrom('outbox').select(['submission_id', 'agency', 'kind', 'payload']).where('submission_id', 'in', ids).execute();
    const history = await db.selectFrom('submission_history').select(['submission_id', 'agency', 'to_status']).where('submission_id', 'in', ids).execute();
    for (const entry of batch) {
      const row = submissions.get(entry.id);
      expect(row, `acknowledged submission ${entry.id} (${entry.marker}) is missing after the crash`).toBeDefined();
      if (row === undefined) continue;
      expect({ marker: markerOf(row.data), key: row.idempotency_key, declarant: row.declarant_id, trader: row.trader_id, docType: row.doc_type }).toEqual({
        marker: entry.marker,
        key: entry.idempotencyKey,
        declarant: BROKER,
        trader: IMPORTER,
        docType: 'goods-declaration',
      });
      const own = parts.filter((part) => part.submission_id === entry.id);
      expect(own.map((part) => part.agency).sort(), `parts of ${entry.id}`).toEqual([...entry.agencies].sort());
      expect(own.map((part) => part.agency)).toContain('CUS');
      const messages = outbox.filter((message) => message.submission_id === entry.id && message.kind === 'part.submitted');
      expect(messages.map((message) => message.agency).sort(), `outbox of ${entry.id}`).toEqual([...entry.agencies].sort());
      for (const message of messages) expect(JSON.stringify(JSON.parse(message.payload))).toContain(entry.marker);
      const ownHistory = history.filter((item) => item.submission_id === entry.id);
      expect(ownHistory.filter((item) => item.agency === null).map((item) => item.to_status), `history of ${entry.id}`).toContain('submitted');
      expect(ownHistory.filter((item) => item.agency !== null).map((item) => item.agency).sort()).toEqual(expect.arrayContaining([...entry.agencies].sort()));
    }
  }

  // Every stored submission, acknowledged or cut off, came from a valid request and was stored whole.
  const stored = await db.selectFrom('submissions').select(['id', 'data', 'idempotency_key']).execute();
  expect(stored.length).toBeGreaterThanOrEqual(outcome.acknowledged.length);
  for (const row of stored) {
    expect(String(markerOf(row.data))).toMatch(new RegExp(`^OK-${run}-`));
    expect(row.idempotency_key).not.toBeNull();
  }
  const count = async (table: 'parts' | 'outbox' | 'submission_history'): Promise<Map<string, number>> => {
    let query = db.selectFrom(table).select((eb) => ['submission_id', eb.fn.countAll<number>().as('count')]).groupBy('submission_id');
    // Other kinds of message may follow a submission one day; each part has exactly one 'part.submitted'.
    if (table === 'outbox') query = query.where(sql.ref('kind'), '=', 'part.submitted');
    const rows = await query.execute();
    return new Map(rows.map((row) => [row.submission_id, Number(row.count)]));
  };
  const [partCounts, outboxCounts, historyCounts] = await Promise.all([count('parts'), count('outbox'), count('submission_history')]);
  const storedIds = new Set(stored.map((row) => row.id));
  for (const counts of [partCounts, outboxCounts, historyCounts]) {
    expect([...counts.keys()].filter((id) => !storedIds.has(id)), 'rows whose submission was not stored').toEqual([]);
  }
  for (const id of storedIds) {
    const partCount = partCounts.get(id) ?? 0;
    expect(partCount, `parts of ${id}`).toBeGreaterThan(0);
    expect(outboxCounts.get(id), `outbox rows of ${id}`).toBe(partCount);
    expect(historyCounts.get(id) ?? 0, `history rows of ${id}`).toBeGreaterThanOrEqual(partCount + 1);
  }

  // Every acknowledged submission has its audit record, committed with it and settled before the answer left:
  // chained, with the submission as its resource and the 201 it answered.
  for (const batch of chunks(outcome.acknowledged, 400)) {
    const ids = batch.map((entry) => entry.id);
    const audited = await db.selectFrom('audit_log').select(['resource', 'outcome', 'actor']).where('action', '=', 'POST /api/v1/submissions').where('resource', 'in', ids).execute();
    const byResource = new Map(audited.map((row) => [row.resource, row]));
    const missing = batch.filter((entry) => byResource.get(entry.id)?.outcome !== 201).map((entry) => entry.id);
    expect(missing, 'acknowledged submissions without a chained audit record of their 201').toEqual([]);
    expect(audited.every((row) => row.actor === BROKER)).toBe(true);
  }
  // The chain is whole; records of writes that committed but were cut off before their answer wait as pending.
  const verdict = await createAuditModule(db).verify();
  expect(verdict.problems, 'audit verify after the crash').toEqual([]);

  // No rejected request left anything: not in submissions, parts, the outbox, the inboxes or the history.
  const trace = `%BAD-${run}-%`;
  const leaks = await Promise.all([
    db.selectFrom('submissions').select('id').where('data', 'like', trace).execute(),
    db.selectFrom('parts').select('id').where('data', 'like', trace).execute(),
    db.selectFrom('outbox').select('message_id').where('payload', 'like', trace).execute(),
    db.selectFrom('inbox').select('message_id').where('payload', 'like', trace).execute(),
  ]);
  expect(leaks.map((rows) => rows.length), 'rows carrying a rejected marker (submissions, parts, outbox, inbox)').toEqual([0, 0, 0, 0]);
  const rejectedKeys = outcome.rejected.map((marker) => marker.replace(/^(BAD|OK)-/, ''));
  for (const batch of chunks(rejectedKeys, 400)) {
    const rows = await db.selectFrom('submissions').select('id').where('idempotency_key', 'in', batch).execute();
    expect(rows, 'submissions stored under the idempotency key of a rejected request').toEqual([]);
  }
}

const kinds = await storeKinds();

describe.each(kinds)('durability across a crash on %s', (kind: StoreKind) => {
  let store: TestStore | undefined;

  beforeAll(async () => {
    store = await createTestStore(kind);
  });

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await store?.drop();
  });

  it('keeps every acknowledged submission and no trace of a rejected one after SIGKILL under load', { timeout: 90_000 }, async () => {
    if (store === undefined) throw new Error('store not created');
    const apiKey = await seedBroker(store);
    const run = randomBytes(4).toString('hex');

    const server = await startServer(store);
    const outcome = await loadAndKill(server, apiKey, run);
    console.info(
      `${kind}: ${outcome.acknowledged.length} acknowledged, ${outcome.rejected.length} rejected, ${outcome.cutOff} cut off by the kill (${outcome.inFlightAtKill} in flight)`,
    );

    // The test must be able to fail: the kill has to land on a server that was answering both kinds of request.
    expect({ count: outcome.unexpected.length, first: outcome.unexpected.slice(0, 5) }, `unexpected answers before the kill; server output:\n${server.output()}`).toEqual({
      count: 0,
      first: [],
    });
    expect(outcome.acknowledged.length, 'submissions acknowledged before the kill').toBeGreaterThan(20);
    expect(outcome.rejected.length, 'invalid submissions rejected before the kill').toBeGreaterThan(5);
    expect(outcome.inFlightAtKill, 'requests in flight when the server was killed').toBeGreaterThan(0);

    // Read only: the crashed server already migrated this store.
    const opened = await openStore(storeConfig(store).store, { migrate: false });
    try {
      await verifyStore(opened, outcome, run);
    } finally {
      await opened.close();
    }

    // The restarted server recovers the store and serves what it acknowledged before the crash.
    const restarted = await startServer(store);
    try {
      const sample = [...outcome.acknowledged.slice(0, 25), ...outcome.acknowledged.slice(-25)];
      for (const entry of sample) {
        const response = await fetch(`${restarted.base}/api/v1/submissions/${entry.id}`, {
          headers: { authorization: `Bearer ${apiKey}` },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        expect(response.status, `GET ${entry.id} after restart`).toBe(200);
        const view = (await response.json()) as { id: string; data: unknown; parts: { agency: string }[]; history: unknown[] };
        expect(markerOf(JSON.stringify(view.data))).toBe(entry.marker);
        expect(view.parts.map((part) => part.agency).sort()).toEqual([...entry.agencies].sort());
        expect(view.history.length).toBeGreaterThanOrEqual(entry.agencies.length + 1);
      }
      // The restarted server chains what the crash left pending, once its grace has passed; the chain stays whole.
      const reader = await openStore(storeConfig(store).store, { migrate: false });
      try {
        const audit = createAuditModule(reader.db);
        let verdict = await audit.verify();
        const deadline = Date.now() + 30_000;
        while (verdict.pending > 0 && Date.now() < deadline) {
          await sleep(500);
          verdict = await audit.verify();
        }
        expect({ pending: verdict.pending, problems: verdict.problems }, 'audit after the restart').toEqual({ pending: 0, problems: [] });
      } finally {
        await reader.close();
      }
    } finally {
      await stopServer(restarted, 'SIGTERM');
    }
  });
});
