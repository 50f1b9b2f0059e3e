/**
 * The domain event log on both stores: appends live and die with the transaction of their change, are
 * idempotent by event id and read in seq order with filters; consumers resume from their durable cursor after a
 * restart, see each event once, and survive failures of the store; the pipeline appends its events; operators
 * read their tenant's log over HTTP, nobody else, and bad queries change nothing.
 */
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createEventsModule, type DomainEvent, type EventConsumer, type EventLog, type NewEvent } from '../src/modules/events/index.js';
import { StoreUnreachableError } from '../src/store/faults.js';
import type { Database } from '../src/store/schema.js';
import { openStore, type Store } from '../src/store/store.js';
import { IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const AT = '2026-11-30T08:00:00.000Z';
const silent = { error: () => undefined };

function submitted(id: string, tenant = 'central', eventId?: string): NewEvent {
  return {
    type: 'submission.submitted',
    ...(eventId === undefined ? {} : { eventId }),
    tenant,
    subject: { kind: 'submission', id },
    docType: 'goods-declaration',
    at: AT,
    payload: { submissionId: id, number: null, docType: 'goods-declaration', declarant: 'X', trader: null, parts: [] },
  };
}

describe.each(kinds)('the domain event log on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let log: EventLog;
  const open = async () => openStore(loadConfig({ dataDir: testStore.config.dataDir, databaseUrl: testStore.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent' }).store);

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await open();
    log = createEventsModule(store.db, store.dialect);
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  it('appends in the caller transaction: rolled back with it, idempotent by event id, read in seq order', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await log.append(trx, [submitted('sub_rolled_back')]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await log.read(0, 100)).toEqual([]);

    await store.db.transaction().execute((trx) => log.append(trx, [submitted('sub_a', 'central', 'evt-a'), submitted('sub_b', 'shenzhen')]));
    // The same event id again (a retried step) adds nothing.
    await store.db.transaction().execute((trx) => log.append(trx, [submitted('sub_a', 'central', 'evt-a')]));
    const events = await log.read(0, 100);
    expect(events.map((event) => event.subject.id)).toEqual(['sub_a', 'sub_b']);
    expect(events[0]).toMatchObject({ eventId: 'evt-a', type: 'submission.submitted', tenant: 'central', docType: 'goods-declaration', at: AT, payload: { submissionId: 'sub_a' } });
    expect(events[1]?.seq).toBeGreaterThan(events[0]?.seq ?? Infinity);
    expect((await log.read(0, 100, { tenant: 'shenzhen' })).map((event) => event.subject.id)).toEqual(['sub_b']);
    expect(await log.read(events[1]?.seq ?? 0, 100)).toEqual([]);
    expect(await log.read(0, 100, { types: ['part.status-changed'] })).toEqual([]);
  });

  it('feeds a consumer in batches from its durable cursor, which survives a restart', async () => {
    const seen: string[] = [];
    const consumer: EventConsumer = {
      name: 'test-resume',
      async handle(trx, events) {
        seen.push(...events.map((event) => event.subject.id));
        await trx.selectFrom('event_consumers').select('name').execute();
      },
    };
    const first = log.consumer(consumer, silent, { batch: 1 });
    expect(await first.runOnce()).toBe(1);
    expect(seen).toEqual(['sub_a']);

    // A new process: the cursor is in the store, not in the runner.
    await store.close();
    store = await open();
    log = createEventsModule(store.db, store.dialect);
    await store.db.transaction().execute((trx) => log.append(trx, [submitted('sub_c')]));
    const second = log.consumer(consumer, silent, { batch: 1 });
    expect(await second.catchUp()).toBe(2);
    expect(seen).toEqual(['sub_a', 'sub_b', 'sub_c']);
    expect(await log.cursorOf('test-resume')).toBe(await log.head());
    expect(await second.catchUp()).toBe(0);
  });

  it('survives a store fault: the failed batch is rolled back with its cursor and read again, never lost or doubled', async () => {
    const counted: DomainEvent[] = [];
    let faults = 2;
    const told: unknown[] = [];
    const consumer: EventConsumer = {
      name: 'test-faults',
      types: ['submission.submitted'],
      handle(_trx, events) {
        if (faults > 0) {
          faults -= 1;
          return Promise.reject(new StoreUnreachableError(new Error('connect ECONNREFUSED')));
        }
        counted.push(...events);
        return Promise.resolve();
      },
    };
    const runner = log.consumer(consumer, { error: (object) => void told.push(object) }, { pollMs: 20, retry: { attempts: Infinity, baseDelayMs: 1, maxDelayMs: 5 } });
    runner.start();
    for (let waited = 0; counted.length < 3 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await runner.stop();
    expect(told.length).toBeGreaterThanOrEqual(2);
    expect(told[0]).toMatchObject({ consumer: 'test-faults', fault: 'unavailable' });
    expect(counted.map((event) => event.subject.id)).toEqual(['sub_a', 'sub_b', 'sub_c']);
    expect(await log.cursorOf('test-faults')).toBe(await log.head());
  });

  it('keeps two runners of one consumer from handling one batch twice', async () => {
    await store.db.transaction().execute((trx) => log.append(trx, Array.from({ length: 40 }, (_, index) => submitted(`sub_many_${String(index)}`))));
    const seen: string[] = [];
    const consumer: EventConsumer = {
      name: 'test-shared',
      handle(_trx, events) {
        seen.push(...events.map((event) => event.eventId));
        return Promise.resolve();
      },
    };
    const other = await open();
    try {
      const runners = [log.consumer(consumer, silent, { batch: 5 }), createEventsModule(other.db, other.dialect).consumer(consumer, silent, { batch: 5 })];
      await Promise.all(runners.map((runner) => runner.catchUp()));
    } finally {
      await other.close();
    }
    expect(seen).toHaveLength(43);
    expect(new Set(seen).size).toBe(43);
  });

  /** Holds a transaction open after `work` until told to commit, running `last` in it first: two writers whose commits cross. */
  function held(work: (trx: Transaction<Database>) => Promise<unknown>): { ready: Promise<void>; commit: (last?: (trx: Transaction<Database>) => Promise<unknown>) => Promise<void> } {
    let ready!: () => void;
    let release!: (last: (trx: Transaction<Database>) => Promise<unknown>) => void;
    const readyPromise = new Promise<void>((resolve) => (ready = resolve));
    const released = new Promise<(trx: Transaction<Database>) => Promise<unknown>>((resolve) => (release = resolve));
    const done = store.db.transaction().execute(async (trx) => {
      await work(trx);
      ready();
      await (await released)(trx);
    });
    return {
      ready: readyPromise,
      commit: async (last = () => Promise.resolve()) => {
        release(last);
        await done;
      },
    };
  }

  // Two writers whose seqs and commits cross: the event drawn first commits last. A cursor over seq alone moves
  // past it while it is in flight and never reads it; the log's order must not.
  it.runIf(kind === 'postgres')('never skips an event whose transaction commits after a later seq (PostgreSQL)', async () => {
    const seen: string[] = [];
    const consumer: EventConsumer = {
      name: 'test-commit-order',
      handle(_trx, events) {
        seen.push(...events.map((event) => event.eventId));
        return Promise.resolve();
      },
    };
    const runner = log.consumer(consumer, silent, { batch: 500 });
    await runner.catchUp();
    const mark = seen.length;

    // The first writer draws the lower seq and holds; the second draws the next and commits.
    const first = held((trx) => log.append(trx, [submitted('sub_drawn_first', 'central', 'evt-drawn-first')]));
    await first.ready;
    await store.db.transaction().execute((trx) => log.append(trx, [submitted('sub_drawn_second', 'central', 'evt-drawn-second')]));
    await runner.catchUp();
    await first.commit();
    await runner.catchUp();

    // The older transaction's event was held back, not passed: both come, once each, the first writer's first.
    expect(seen.slice(mark)).toEqual(['evt-drawn-first', 'evt-drawn-second']);
    const drawn = (await log.read(0, 1000)).filter((event) => event.eventId.startsWith('evt-drawn-'));
    expect(drawn.map((event) => event.eventId)).toEqual(['evt-drawn-first', 'evt-drawn-second']);
    expect((drawn[0]?.seq ?? 0) < (drawn[1]?.seq ?? 0)).toBe(true);

    // And the other crossing: the older transaction draws the higher seq and commits first, so the cursor reads
    // past the lower seq the younger one drew and commits after it.
    const older = held((trx) => sql`select pg_current_xact_id()`.execute(trx));
    await older.ready;
    const younger = held((trx) => log.append(trx, [submitted('sub_younger', 'central', 'evt-younger')]));
    await younger.ready;
    await older.commit((trx) => log.append(trx, [submitted('sub_older', 'central', 'evt-older')]));
    await runner.catchUp();
    expect(seen.slice(mark + 2)).toEqual(['evt-older']);
    await younger.commit();
    await runner.catchUp();
    expect(seen.slice(mark + 2)).toEqual(['evt-older', 'evt-younger']);
    const crossed = (await log.read(0, 1000)).filter((event) => event.eventId === 'evt-older' || event.eventId === 'evt-younger');
    // Read in commit order although the younger's seq is the lower.
    expect(crossed.map((event) => event.eventId)).toEqual(['evt-older', 'evt-younger']);
    expect((crossed[1]?.seq ?? 0) < (crossed[0]?.seq ?? 0)).toBe(true);
    expect(await log.cursorOf('test-commit-order')).toBe(await log.head());
  });
});

describe.each(kinds)('domain events of the pipeline and GET /api/v1/domain-events on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let operator: string;
  let submissionId: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    const { parties } = t.kouan.services;
    await parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    operator = (await parties.createKey('ops')).key;
    await parties.createTenant({ id: 'shenzhen', name: 'Shenzhen e-port' });
    await parties.createParty({ id: 'ops-sz', kind: 'operator', name: 'Shenzhen operations', tenant: 'shenzhen' });
    const response = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
    expect(response.statusCode, response.body).toBe(201);
    submissionId = response.json<Json>().id as string;
    await t.kouan.services.exchange.dispatchPending();
    const inbox = (await t.request('GET', '/api/v1/inbox?limit=500', { key: keys.cus })).json<Json>().messages as Json[];
    expect((await t.request('POST', `/api/v1/inbox/${String(inbox[0]?.messageId)}/ack`, { key: keys.cus })).statusCode).toBe(200);
    expect((await t.request('POST', `/api/v1/submissions/${submissionId}/decisions`, { key: keys.cus, body: { outcome: 'accepted' } })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('appends the submission, its parts, the ack, the decision and the clearance events, in order', async () => {
    const page = (await t.request('GET', '/api/v1/domain-events?limit=1000', { key: operator })).json<Json>();
    const ofThis = (page.events as Json[]).filter((event) => event.subject.id === submissionId || event.payload?.references?.submission === submissionId);
    expect(ofThis.map((event) => `${String(event.type)} ${String(event.payload.to ?? event.payload.outcome ?? event.payload.code ?? '')}`)).toEqual([
      'submission.submitted ',
      'part.status-changed submitted',
      'message.queued ',
      'tracking.event-appended RECE',
      // The ack's meaning (the part delivered) is appended first, then the ack itself, in one transaction.
      'part.status-changed delivered',
      'submission.status-changed delivered',
      'message.acked ',
      'part.status-changed accepted',
      'decision.recorded accepted',
      'tracking.event-appended ACCE',
      'submission.status-changed accepted',
    ]);
    expect(ofThis[0]).toMatchObject({ tenant: 'central', docType: 'goods-declaration', payload: { submissionId, declarant: expect.any(String), parts: [{ agency: 'CUS' }] } });
    expect(page.next).toBe((page.events as Json[]).at(-1)?.seq);
  });

  it('pages with a cursor and a type filter, shows an operator only its tenant, and refuses everyone else', async () => {
    const first = (await t.request('GET', '/api/v1/domain-events?limit=2', { key: operator })).json<Json>();
    expect(first.events).toHaveLength(2);
    const next = (await t.request('GET', `/api/v1/domain-events?after=${String(first.next)}&limit=2`, { key: operator })).json<Json>();
    expect(next.events[0].seq).toBeGreaterThan(first.next as number);
    const decisions = (await t.request('GET', '/api/v1/domain-events?type=decision.recorded', { key: operator })).json<Json>();
    expect((decisions.events as Json[]).map((event) => event.type)).toEqual(['decision.recorded']);
    const shenzhen = (await t.kouan.services.parties.createKey('ops-sz')).key;
    expect((await t.request('GET', '/api/v1/domain-events', { key: shenzhen })).json<Json>()).toEqual({ events: [], next: 0 });
    for (const key of [keys.broker, keys.cus]) expect((await t.request('GET', '/api/v1/domain-events', { key })).json<Json>()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await t.request('GET', '/api/v1/domain-events')).statusCode).toBe(401);
  });

  it('appends every ledger entry in its transaction: the issue, the hold, the write-off, each once', async () => {
    const number = `AIL-EVT-${kind.toUpperCase()}-0001`;
    const today = new Date().toISOString().slice(0, 10);
    const issued = await t.request('POST', '/api/v1/ledger/accounts', {
      key: keys.moc,
      body: { type: 'automatic-import-licence', number, holder: IMPORTER, direction: 'import', validFrom: today, validTo: `${Number(today.slice(0, 4)) + 1}-01-01`, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const filed = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines: [{ ...LAPTOPS, documents: [{ type: 'automatic-import-licence', number }] }] }) } });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json<Json>().id as string;
    for (const outcome of ['accepted', 'released']) expect((await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: keys.cus, body: { outcome } })).statusCode).toBe(200);
    const page = (await t.request('GET', '/api/v1/domain-events?type=ledger.entry-appended&limit=1000', { key: operator })).json<Json>();
    const ofAccount = (page.events as Json[]).filter((event) => event.subject.id === number);
    expect(ofAccount.map((event) => [event.payload.kind, event.payload.submissionId, event.payload.lines])).toEqual([
      ['issue', null, []],
      ['reserve', id, [{ lineNo: 1, side: 'credit', quantity: '200' }]],
      ['post', id, [{ lineNo: 1, side: 'credit', quantity: '200' }]],
    ]);
    expect(ofAccount[0]).toMatchObject({ tenant: 'central', subject: { kind: 'ledger-account', id: number } });
    // The ledger's own entries say the same, one for one.
    const entries = (await t.request('GET', `/api/v1/ledger/accounts/${number}/entries`, { key: keys.moc })).json<Json>().entries as Json[];
    expect(ofAccount.map((event) => event.payload.entryId)).toEqual(entries.map((entry) => entry.entryId));
  });

  it('answers a bad query with problem+json naming the parameter', async () => {
    for (const [query, path] of [
      ['?after=-1', 'querystring:$.after'],
      ['?limit=0', 'querystring:$.limit'],
      ['?limit=1001', 'querystring:$.limit'],
      ['?type=submission.deleted', 'querystring:$.type'],
      ['?tenant=shenzhen', 'querystring:$.tenant'],
    ] as const) {
      const response = await t.request('GET', `/api/v1/domain-events${query}`, { key: operator });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json<Json>()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path }] });
    }
  });
});
