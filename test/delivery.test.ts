/**
 * The delivery engine on both stores: one record per target and message; two engines (two connections, as two
 * processes) pushing at once never send a record twice; a lease held by a process that died keeps others off
 * until it runs out; failures back off exponentially with jitter up to a cap and are given up after the last
 * attempt; every push is signed with the target's secret; the address guard refuses at registration and at send
 * time; the owner reads its records.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createDeliveryEngine, type DeliveryEngine } from '../src/modules/delivery/index.js';
import { openStore, type Store } from '../src/store/store.js';
import { startReceiver, type Receiver } from './support/net.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();
const LAB = { allowHttp: true, allowPrivate: true };

/** A port nothing listens on (a server's, closed again). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.each(kinds)('the delivery engine on %s', (kind) => {
  let testStore: TestStore;
  let stores: Store[] = [];
  let engine: DeliveryEngine;
  let receiver: Receiver;
  let url: string;
  const open = async () => {
    const store = await openStore(loadConfig({ dataDir: testStore.config.dataDir, databaseUrl: testStore.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent' }).store);
    stores.push(store);
    return store;
  };
  const enqueue = (store: Store, engineOf: DeliveryEngine, targetId: string, keys: readonly string[]) =>
    store.db.transaction().execute((trx) => engineOf.enqueue(trx, keys.map((key) => ({ targetId, topic: 'test', key, headers: { 'kouan-message-id': key }, body: JSON.stringify({ key }) }))));

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    const store = await open();
    engine = createDeliveryEngine(store.db, store.dialect, { policy: LAB });
    receiver = await startReceiver();
    url = `http://127.0.0.1:${receiver.port}/hook`;
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    stores = [];
    await receiver.close();
    await testStore.drop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = (response) => void response.writeHead(204).end();
  });

  it('signs each push with the target secret, once per target and message, and tells the topic', async () => {
    const store = stores[0] as Store;
    await engine.setTarget({ id: 'signed', owner: 'P1', url, secret: 'whsec_test' });
    const told: string[] = [];
    engine.onDelivered('test', (_trx, delivery) => Promise.resolve(void told.push(delivery.key)));
    expect(await enqueue(store, engine, 'signed', ['m1', 'm1b'])).toBe(2);
    // The same message again, and one for a target that does not exist: nothing recorded.
    await enqueue(store, engine, 'signed', ['m1']);
    expect(await enqueue(store, engine, 'nobody', ['m2'])).toBe(0);
    expect(await engine.pushDue()).toBe(2);
    expect(receiver.received).toHaveLength(2);
    const push = receiver.received.find((entry) => entry.headers['kouan-message-id'] === 'm1');
    const signature = String(push?.headers['kouan-signature']);
    const timestamp = /t=(\d+)/.exec(signature)?.[1] ?? '';
    expect(signature).toBe(`t=${timestamp},v1=${createHmac('sha256', 'whsec_test').update(`${timestamp}.${push?.body ?? ''}`).digest('hex')}`);
    expect(push?.headers).toMatchObject({ 'content-type': 'application/json', 'kouan-delivery-attempt': '1' });
    expect(told.sort()).toEqual(['m1', 'm1b']);
    expect(await engine.records('P1')).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'm1', status: 'delivered', attempts: 1, lastError: null, lastStatus: 204, nextAttemptAt: null })]));
    expect(await engine.records('someone else')).toEqual([]);
    expect(await engine.pushDue()).toBe(0);
  });

  it('never pushes one record from two engines at once', async () => {
    const other = await open();
    const second = createDeliveryEngine(other.db, other.dialect, { policy: LAB });
    await engine.setTarget({ id: 'shared', owner: 'P2', url, secret: 'whsec_shared' });
    const keys = Array.from({ length: 120 }, (_, index) => `race-${String(index)}`);
    await enqueue(stores[0] as Store, engine, 'shared', keys);
    const [a, b] = await Promise.all([engine.pushDue(), second.pushDue()]);
    expect((a ?? 0) + (b ?? 0)).toBe(120);
    const sent = receiver.received.map((entry) => String(entry.headers['kouan-message-id']));
    expect(sent).toHaveLength(120);
    expect(new Set(sent).size).toBe(120);
  });

  it('leaves a record leased by a process that died alone until its lease runs out', async () => {
    const store = stores[0] as Store;
    await engine.setTarget({ id: 'leased', owner: 'P3', url, secret: 'whsec_l' });
    await enqueue(store, engine, 'leased', ['held']);
    const until = new Date(Date.now() + 60_000).toISOString();
    await store.db.updateTable('deliveries').set({ lease_owner: 'lease_dead', lease_until: until }).where('message_key', '=', 'held').execute();
    expect(await engine.pushDue()).toBe(0);
    expect(receiver.received).toHaveLength(0);
    expect(await engine.pushDue(new Date(Date.now() + 61_000))).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('backs off exponentially with jitter up to a cap, and gives up after the last attempt', async () => {
    const store = stores[0] as Store;
    const pinned = (value: number) => createDeliveryEngine(store.db, store.dialect, { policy: LAB, random: () => value, schedule: { maxAttempts: 3, baseSeconds: 2, capSeconds: 5 } });
    expect([1, 2, 3].map((attempt) => pinned(0).backoffSeconds(attempt))).toEqual([1, 2, 2.5]);
    expect([1, 2, 3].map((attempt) => pinned(1).backoffSeconds(attempt))).toEqual([2, 4, 5]);
    const failing = pinned(1);
    await failing.setTarget({ id: 'down', owner: 'P4', url, secret: 'whsec_d' });
    await enqueue(store, failing, 'down', ['retried']);
    receiver.answer = (response) => void response.writeHead(503).end();
    const start = Date.now();
    expect(await failing.pushDue(new Date(start))).toBe(0);
    const [record] = await failing.records('P4');
    expect(record).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503', lastStatus: 503, nextAttemptAt: new Date(start + 2000).toISOString() });
    // Not due before its backoff.
    expect(await failing.pushDue(new Date(start + 1999))).toBe(0);
    expect(receiver.received).toHaveLength(1);
    await failing.pushDue(new Date(start + 2000));
    await failing.pushDue(new Date(start + 10_000));
    await failing.pushDue(new Date(start + 100_000));
    expect(receiver.received.map((entry) => entry.headers['kouan-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect((await failing.records('P4'))[0]).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null, failedAt: expect.any(String) });
    expect(await failing.summary('down')).toEqual({ pending: 0, delivered: 0, failed: 1, lastError: 'HTTP 503' });
  });

  it('pushes records leased as they are written once their transaction commits, and settles them together', async () => {
    const store = stores[0] as Store;
    await engine.setTarget({ id: 'eager', owner: 'P6', url, secret: 'whsec_e' });
    const told: string[] = [];
    engine.onDelivered('eager', (_trx, delivery) => Promise.resolve(void told.push(delivery.key)));
    const write = (keys: readonly string[]) =>
      store.db.transaction().execute((trx) => engine.enqueueLeased(trx, keys.map((key) => ({ targetId: 'eager', topic: 'eager', key, headers: { 'kouan-message-id': key }, body: JSON.stringify({ key }) }))));
    const leased = await write(['e1', 'e2', 'e3']);
    expect(leased.map((delivery) => delivery.key)).toEqual(['e1', 'e2', 'e3']);
    // Leased: a poll does not take them; nothing is sent before they are handed over.
    expect(await engine.pushDue()).toBe(0);
    expect(receiver.received).toHaveLength(0);
    engine.push(leased);
    await engine.settled();
    expect(receiver.received.map((entry) => entry.headers['kouan-message-id']).sort()).toEqual(['e1', 'e2', 'e3']);
    expect(told.sort()).toEqual(['e1', 'e2', 'e3']);
    expect((await engine.records('P6')).map((record) => [record.key, record.status, record.attempts, record.lastStatus])).toEqual(
      expect.arrayContaining([['e1', 'delivered', 1, 204], ['e2', 'delivered', 1, 204], ['e3', 'delivered', 1, 204]]),
    );
    // A message recorded already is not leased again (another may be pushing it).
    expect(await write(['e1', 'e4'])).toEqual([expect.objectContaining({ key: 'e4' })]);
    const rows = await store.db.selectFrom('deliveries').select(['message_key', 'lease_owner']).where('target_id', '=', 'eager').execute();
    expect(rows.find((row) => row.message_key === 'e1')?.lease_owner).toBeNull();
    expect(rows.find((row) => row.message_key === 'e4')?.lease_owner).toEqual(expect.any(String));
  });

  it('settles the others when one handler fails, rolling back only what that handler wrote; the failed one is tried again after its lease', async () => {
    const store = stores[0] as Store;
    await engine.setTarget({ id: 'picky', owner: 'P7', url, secret: 'whsec_k' });
    let refuse = true;
    engine.onDelivered('picky', async (trx, delivery) => {
      if (delivery.key !== 'k2' || !refuse) return;
      await trx.updateTable('delivery_targets').set({ owner: 'written by a failed handler' }).where('id', '=', 'picky').execute();
      throw new Error('refused by the handler');
    });
    const leased = await store.db.transaction().execute((trx) =>
      engine.enqueueLeased(trx, ['k1', 'k2', 'k3'].map((key) => ({ targetId: 'picky', topic: 'picky', key, headers: {}, body: '{}' }))),
    );
    engine.push(leased);
    await engine.settled();
    expect(receiver.received).toHaveLength(3);
    const status = async () => Object.fromEntries((await engine.records('P7')).map((record) => [record.key, record.status]));
    expect(await status()).toEqual({ k1: 'delivered', k2: 'pending', k3: 'delivered' });
    expect((await engine.findTarget('picky'))?.owner).toBe('P7');
    // Still leased: not before the lease runs out.
    expect(await engine.pushDue()).toBe(0);
    refuse = false;
    expect(await engine.pushDue(new Date(Date.now() + 61_000), ['picky'])).toBe(1);
    expect(await status()).toEqual({ k1: 'delivered', k2: 'delivered', k3: 'delivered' });
  });

  it('logs a round that cannot settle (a closed port, then a store refusing every write) without throwing, and tries its records again after the lease', async () => {
    const store = stores[0] as Store;
    const told: unknown[] = [];
    const logged = createDeliveryEngine(store.db, store.dialect, { policy: LAB, logger: { error: (object) => void told.push(object) } });
    // Nobody listens: the push is unreachable, recorded as an attempt, nothing thrown.
    await logged.setTarget({ id: 'gone', owner: 'P8', url: `http://127.0.0.1:${String(await closedPort())}/hook`, secret: 'whsec_g' });
    const write = (targetId: string, keys: readonly string[]) =>
      store.db.transaction().execute((trx) => logged.enqueueLeased(trx, keys.map((key) => ({ targetId, topic: 'faulty', key, headers: {}, body: '{}' }))));
    logged.push(await write('gone', ['g1']));
    await logged.settled();
    expect((await logged.records('P8'))[0]).toMatchObject({ key: 'g1', status: 'pending', attempts: 1, lastError: 'unreachable' });
    // Delivered, but every settling write fails (as a store that refuses writes would): logged, and still leased.
    await logged.setTarget({ id: 'up', owner: 'P9', url, secret: 'whsec_u' });
    logged.onDelivered('faulty', () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error')));
    logged.push(await write('up', ['u1', 'u2']));
    await logged.settled();
    expect(receiver.received).toHaveLength(2);
    expect(told).toHaveLength(1);
    expect(await logged.summary('up')).toMatchObject({ pending: 2, delivered: 0 });
    expect(await logged.pushDue(new Date(), ['faulty'])).toBe(0);
    logged.onDelivered('faulty', () => Promise.resolve());
    expect(await logged.pushDue(new Date(Date.now() + 61_000), ['faulty'])).toBe(2);
    expect(await logged.summary('up')).toMatchObject({ pending: 0, delivered: 2 });
  });

  it('checks the address at registration and again at send time', async () => {
    const store = stores[0] as Store;
    const strict = createDeliveryEngine(store.db, store.dialect, { policy: { allowHttp: true, allowPrivate: false } });
    await expect(strict.setTarget({ id: 'private', owner: 'P5', url, secret: 'whsec_p' })).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
    // Stored when the rules were looser: refused at send time, without connecting.
    await engine.setTarget({ id: 'private', owner: 'P5', url, secret: 'whsec_p' });
    await enqueue(store, strict, 'private', ['guarded']);
    expect(await strict.pushDue()).toBe(0);
    expect(receiver.received).toHaveLength(0);
    expect((await strict.records('P5'))[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'refused', lastStatus: null });
  });
});
