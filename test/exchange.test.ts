/** The exchange on both stores: outbox to inbox, at least once, deduplicated by message id, cursor order. */
import type { Subject } from '../src/modules/policies/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/main.js';
import type { Services } from '../src/http/app.js';
import { newId } from '../src/shared/ids.js';
import { openStore, type Store } from '../src/store/store.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();
const silent = { error: () => undefined };


/** An agency calling the exchange as its routes do (the tenant plays no part in an inbox). */
const agency = (partyId: string): Subject => ({ partyId, tenant: 'central', kind: 'agency' });
describe.each(kinds)('exchange on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    services = createServices(loadConfig({}, {}), store, silent);
    await services.parties.seedAgencies();
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  const enqueue = (messages: { messageId: string; agency: string }[]) =>
    store.db.transaction().execute((trx) =>
      services.exchange.enqueue(
        trx,
        'central',
        messages.map((message) => ({ ...message, kind: 'part.submitted' as const, submissionId: 'sub_test', payload: { n: message.messageId }, createdAt: new Date().toISOString() })),
      ),
    );

  it('moves outbox rows into the right inboxes once, in order', async () => {
    const ids = Array.from({ length: 250 }, (_, index) => ({ messageId: newId('msg'), agency: index % 2 === 0 ? 'CUS' : 'CIQ' }));
    await enqueue(ids);
    expect(await services.exchange.pendingCount()).toBe(250);
    expect(await services.exchange.dispatchPending()).toBe(250);
    expect(await services.exchange.pendingCount()).toBe(0);
    expect(await services.exchange.dispatchPending()).toBe(0);

    const cus = await services.exchange.readInbox(agency('CUS'), 0, 500, false);
    expect(cus.messages.map((message) => message.messageId)).toEqual(ids.filter((id) => id.agency === 'CUS').map((id) => id.messageId));
    expect(cus.messages.every((message) => message.agency === 'CUS')).toBe(true);
    const seqs = cus.messages.map((message) => message.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const page = await services.exchange.readInbox(agency('CUS'), seqs[99] ?? 0, 10, false);
    expect(page.messages.map((message) => message.seq)).toEqual(seqs.slice(100, 110));
    expect(page.next).toBe(seqs[109]);
  });

  it('delivers a redelivered message once (a crash between inbox write and outbox mark)', async () => {
    const messageId = newId('msg');
    await enqueue([{ messageId, agency: 'MSA' }]);
    await services.exchange.dispatchPending();
    // The outbox forgets it was dispatched, as if the process died before marking it.
    await store.db.updateTable('outbox').set({ dispatched_at: null }).where('message_id', '=', messageId).execute();
    expect(await services.exchange.dispatchPending()).toBe(1);
    const inbox = await services.exchange.readInbox(agency('MSA'), 0, 100, false);
    expect(inbox.messages.filter((message) => message.messageId === messageId)).toHaveLength(1);
  });

  it('keeps undelivered rows when dispatch fails, and delivers them on the next run', async () => {
    const messageId = newId('msg');
    await enqueue([{ messageId, agency: 'BOR' }]);
    await store.db.schema.alterTable('inbox').renameTo('inbox_away').execute();
    try {
      await expect(services.exchange.dispatchPending()).rejects.toThrow();
    } finally {
      await store.db.schema.alterTable('inbox_away').renameTo('inbox').execute();
    }
    expect(await services.exchange.pendingCount()).toBe(1);
    expect(await services.exchange.dispatchPending()).toBe(1);
    expect((await services.exchange.readInbox(agency('BOR'), 0, 10, false)).messages.map((message) => message.messageId)).toEqual([messageId]);
  });

  // Several dispatchers means several processes sharing PostgreSQL; SQLite serves one process (its busy wait
  // would block the event loop that holds the other connection's transaction).
  it.skipIf(kind === 'sqlite')('several dispatchers racing deliver every message exactly once', async () => {
    const others = await Promise.all([openStore(testStore.config, { migrate: false }), openStore(testStore.config, { migrate: false })]);
    try {
      const dispatchers = [services, ...others.map((other) => createServices(loadConfig({}, {}), other, silent))];
      const ids = Array.from({ length: 300 }, () => ({ messageId: newId('msg'), agency: 'MOC' }));
      const writing = (async () => {
        for (let index = 0; index < ids.length; index += 30) await enqueue(ids.slice(index, index + 30));
      })();
      let done = false;
      void writing.finally(() => (done = true));
      while (!done) await Promise.all(dispatchers.map((dispatcher) => dispatcher.exchange.dispatchPending()));
      await writing;
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.exchange.dispatchPending()));
      const inbox = await services.exchange.readInbox(agency('MOC'), 0, 1000, false);
      expect(inbox.messages.map((message) => message.messageId)).toEqual(ids.map((id) => id.messageId));
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });
});

describe.runIf(kinds.includes('postgres'))('the exchange on PostgreSQL, with every request connection taken', () => {
  it('dispatches on the background pool instead of queueing behind the requests', async () => {
    const testStore = await createTestStore('postgres');
    const store = await openStore(testStore.config, { poolSize: 1 });
    try {
      const services = createServices(loadConfig({}, {}), store, silent);
      await services.parties.seedAgencies();
      await store.db.transaction().execute((trx) =>
        services.exchange.enqueue(trx, 'central', [{ messageId: newId('msg'), agency: 'CUS', kind: 'part.submitted', submissionId: 'sub_busy', payload: {}, createdAt: new Date().toISOString() }]),
      );
      // A request holds the pool's one connection until the dispatch has answered (or 5 s have passed).
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let holding = false;
      let taken: () => void = () => undefined;
      const connected = new Promise<void>((resolve) => (taken = resolve));
      const request = store.db.transaction().execute(async (trx) => {
        await trx.selectFrom('parties').select('id').limit(1).execute();
        holding = true;
        taken();
        await Promise.race([held, new Promise((resolve) => setTimeout(resolve, 5000))]);
        holding = false;
      });
      await connected;
      const moved = await services.exchange.dispatchPending();
      // Dispatched while the request still held its connection: not queued behind it.
      const dispatchedWhileHeld = holding;
      release();
      await request;
      expect(moved).toBe(1);
      expect(dispatchedWhileHeld).toBe(true);
    } finally {
      await store.close();
      await testStore.drop();
    }
  });
});
