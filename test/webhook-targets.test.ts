/**
 * Webhooks and subscriptions never reach inside (server-side request forgery), on both stores: non-public
 * targets are refused at registration and again at each push after resolution, redirects are not followed, and
 * the deliveries lists say `HTTP <status>`, `unreachable` or `refused`, never what an error said.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { createExchangeModule } from '../src/modules/exchange/index.js';
import { createTrackingModule } from '../src/modules/tracking/index.js';
import { EXPORTER, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { LOCAL_WEBHOOKS, startReceiver, type Receiver } from './support/net.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const CONTAINER = 'MSKU1234565';
const BL = 'MEDUSSRF0001';
/** What an error's text would show a port scanner: which port answered, how, and where. */
const DETAIL = /ECONN|EHOST|ENOTFOUND|ETIMEDOUT|errno|socket|fetch failed|timed? ?out|aborted|certificate|SSL|TLS|FATAL|postgres/i;

const REFUSED: readonly (readonly [string, string])[] = [
  ['http://hooks.example.org/kouan', 'WEBHOOK_HTTPS_REQUIRED'],
  ['https://127.0.0.1:8443/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://2130706433/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://0177.0.0.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://0x7f.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://127.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://[::1]/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://[::ffff:127.0.0.1]/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://[64:ff9b::7f00:1]/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://169.254.169.254/latest/meta-data/', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://[fe80::1]/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://10.1.2.3/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://172.16.0.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://192.168.0.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://100.64.0.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://[fd00::1]/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://224.0.0.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://0.0.0.0/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://255.255.255.255/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://192.0.2.1/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://localhost:8443/kouan', 'WEBHOOK_TARGET_FORBIDDEN'],
  ['https://hooks.example.org:25/kouan', 'WEBHOOK_PORT_FORBIDDEN'],
];

/** A gate-in event about the bill of lading the importer declared. */
const gateIn = () => ({ eventId: `ssrf-${randomUUID()}`, eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: new Date(Date.now() - 60_000).toISOString(), location: 'CNSHA', references: { container: CONTAINER, billOfLading: BL } });
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** Kouan with the usual cast, a declaration on BL, and a carrier that publishes events about it. */
async function world(t: TestKouan): Promise<{ keys: Cast; carrier: string }> {
  const keys = await cast(t);
  const carrier = await t.enterprise(EXPORTER, ['declarant', 'carrier']);
  const transport = { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: BL, containers: [CONTAINER] };
  const submitted = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport }) } });
  expect(submitted.statusCode).toBe(201);
  return { keys, carrier };
}

describe('the webhook settings', () => {
  it('are both off unless the operator turns each on, and refuse what is not true or false', () => {
    expect(loadConfig({}, {}).webhooks).toEqual({ allowHttp: false, allowPrivate: false });
    expect(loadConfig({}, { KOUAN_WEBHOOK_ALLOW_HTTP: 'true' }).webhooks).toEqual({ allowHttp: true, allowPrivate: false });
    expect(loadConfig({}, { KOUAN_WEBHOOK_ALLOW_PRIVATE: '1' }).webhooks).toEqual({ allowHttp: false, allowPrivate: true });
    expect(() => loadConfig({}, { KOUAN_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { KOUAN_WEBHOOK_ALLOW_HTTP: 'on' })).toThrow(/KOUAN_WEBHOOK_ALLOW_HTTP/);
  });
});

describe.each(kinds)('webhook targets with the production settings on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let carrier: string;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ keys, carrier } = await world(t));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const publish = async () => {
    const published = await t.request('POST', '/api/v1/events', { key: carrier, body: { events: [gateIn()] } });
    expect(published.statusCode).toBe(200);
  };
  const newDeclaration = async () => {
    expect((await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration() } })).statusCode).toBe(201);
    await t.kouan.services.exchange.dispatchPending();
  };

  it('refuses every non-public target at registration, with the field and a stable code, and stores nothing', async () => {
    for (const [url, code] of REFUSED) {
      const webhook = await t.request('PUT', '/api/v1/webhook', { key: keys.cus, body: { url } });
      const subscription = await t.request('POST', '/api/v1/subscriptions', { key: keys.importer, body: { bl: BL, url } });
      for (const response of [webhook, subscription]) {
        expect({ url, status: response.statusCode, type: response.headers['content-type'] }).toEqual({ url, status: 422, type: expect.stringContaining('application/problem+json') as unknown });
        expect(response.json()).toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN', status: 422, errors: [{ path: '$.url', code }] });
      }
    }
    const withCredentials = await t.request('PUT', '/api/v1/webhook', { key: keys.cus, body: { url: 'https://user:secret@hooks.example.org/kouan' } });
    expect(withCredentials.json()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path: '$.url', code: 'FIELD_FORMAT' }] });
    expect((await t.request('GET', '/api/v1/webhook', { key: keys.cus })).statusCode).toBe(404);
    const { db } = t.kouan.services.store;
    expect((await sql<{ agency: string }>`select agency from webhooks`.execute(db)).rows).toEqual([]);
    expect(await db.selectFrom('tracking_subscriptions').select('id').execute()).toEqual([]);
    // What production runs with when nobody sets anything.
    expect(t.kouan.config.webhooks).toEqual({ allowHttp: false, allowPrivate: false });
  });

  it('does not push where a registered name resolves to now, and tells the owner only "unreachable"', async () => {
    const url = `https://hooks.example.test:${receiver.port}/kouan`;
    expect((await t.request('PUT', '/api/v1/webhook', { key: keys.cus, body: { url } })).statusCode).toBe(200);
    const created = await t.request('POST', '/api/v1/subscriptions', { key: keys.importer, body: { bl: BL, url } });
    expect(created.statusCode).toBe(201);
    const subscription = created.json<{ id: string }>().id;
    await newDeclaration();
    await publish();

    // Another Kouan process on the same store, whose DNS answers the registered name with a loopback address
    // (a rebinding attacker's, or an internal name): everything as in production but the resolver.
    const told: object[] = [];
    const logger = { error: (object: object) => told.push(object) };
    const webhooks = { policy: t.kouan.config.webhooks, resolve: async () => ['127.0.0.1'] };
    const { store } = t.kouan.services;
    const exchange = createExchangeModule(store.db, store.dialect, logger, 1000, webhooks);
    const { subscriptions } = createTrackingModule(store.db, store.dialect, (caller, ids) => t.kouan.services.submissions.visibleIds(caller, ids), { logger, pollMs: 1000, webhooks });
    expect(await exchange.pushDue()).toBe(0);
    expect(await subscriptions.pushDue()).toBe(0);
    expect(receiver.received).toEqual([]);
    // The operator is told each time (two declarations' messages and one subscription), with what it resolved to.
    expect(told).toHaveLength(3);
    expect(told.every((entry) => (entry as { range?: string }).range === 'loopback')).toBe(true);

    const webhook = await t.request('GET', '/api/v1/webhook', { key: keys.cus });
    expect(webhook.json()).toMatchObject({ url, pending: 2, delivered: 0, lastError: 'unreachable' });
    const view = await t.request('GET', `/api/v1/subscriptions/${subscription}`, { key: keys.importer });
    expect(view.json()).toMatchObject({ attempts: 1, lastError: 'unreachable' });
    const deliveries = await t.request('GET', `/api/v1/subscriptions/${subscription}/deliveries`, { key: keys.importer });
    expect(deliveries.json()).toMatchObject({ deliveries: [{ status: 'pending', attempts: 1, lastStatus: null, lastError: 'unreachable' }] });
  });

  it('refuses, without connecting, a URL stored before these rules, and never shows the errors stored then', async () => {
    const { db } = t.kouan.services.store;
    const old = `http://127.0.0.1:${receiver.port}/kouan`;
    const oldError = `connect ECONNREFUSED 127.0.0.1:5432`;
    // The agency's webhook and the subscription's target: the engine keeps both.
    await db.updateTable('delivery_targets').set({ url: old }).execute();
    await db.updateTable('deliveries').set({ last_error: oldError }).execute();
    const [subscription] = await db.selectFrom('tracking_subscriptions').select('id').execute();
    if (subscription === undefined) throw new Error('no subscription');
    for (const response of [
      await t.request('GET', '/api/v1/webhook', { key: keys.cus }),
      await t.request('GET', '/api/v1/subscriptions', { key: keys.importer }),
      await t.request('GET', `/api/v1/subscriptions/${subscription.id}/deliveries`, { key: keys.importer }),
    ]) {
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('"unreachable"');
      expect(response.body).not.toMatch(DETAIL);
    }

    expect(await t.kouan.services.exchange.pushDue(later(3600))).toBe(0);
    expect(await t.kouan.services.trackingSubscriptions.pushDue(later(3600))).toBe(0);
    expect(receiver.received).toEqual([]);
    expect((await t.request('GET', '/api/v1/webhook', { key: keys.cus })).json()).toMatchObject({ lastError: 'refused' });
    const deliveries = (await t.request('GET', `/api/v1/subscriptions/${subscription.id}/deliveries`, { key: keys.importer })).json<{ deliveries: { lastError: string }[] }>();
    expect(deliveries.deliveries[0]).toMatchObject({ status: 'pending', lastStatus: null, lastError: 'refused' });
    expect((await t.request('GET', `/api/v1/subscriptions/${subscription.id}`, { key: keys.importer })).json()).toMatchObject({ lastError: 'refused', status: 'active' });
  });
});

describe.each(kinds)('pushes to local receivers in a lab (both settings on) on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let carrier: string;
  let receiver: Receiver;
  let elsewhere: Receiver;
  let closedPort: number;

  beforeAll(async () => {
    t = await startTestKouan(kind, LOCAL_WEBHOOKS);
    ({ keys, carrier } = await world(t));
    receiver = await startReceiver();
    elsewhere = await startReceiver();
    const closed = await startReceiver();
    closedPort = closed.port;
    await closed.close();
  });
  afterAll(async () => {
    await receiver.close();
    await elsewhere.close();
    await t.close();
  });

  /** Registers both kinds of push at `url`, has one of each due, pushes, and returns what their owners see. */
  const pushTo = async (url: string) => {
    expect((await t.request('PUT', '/api/v1/webhook', { key: keys.cus, body: { url } })).statusCode).toBe(200);
    const created = await t.request('POST', '/api/v1/subscriptions', { key: keys.importer, body: { bl: BL, url } });
    expect(created.statusCode).toBe(201);
    const subscription = created.json<{ id: string }>().id;
    expect((await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration() } })).statusCode).toBe(201);
    await t.kouan.services.exchange.dispatchPending();
    expect((await t.request('POST', '/api/v1/events', { key: carrier, body: { events: [gateIn()] } })).statusCode).toBe(200);
    receiver.received.length = 0;
    expect(await t.kouan.services.exchange.pushDue(later(100_000))).toBe(0);
    expect(await t.kouan.services.trackingSubscriptions.pushDue()).toBe(0);
    const webhook = await t.request('GET', '/api/v1/webhook', { key: keys.cus });
    const deliveries = await t.request('GET', `/api/v1/subscriptions/${subscription}/deliveries`, { key: keys.importer });
    // Clean for the next case: no pending push left over.
    expect((await t.request('DELETE', `/api/v1/subscriptions/${subscription}`, { key: keys.importer })).statusCode).toBe(204);
    expect((await t.request('DELETE', '/api/v1/webhook', { key: keys.cus })).statusCode).toBe(204);
    return { webhook, deliveries };
  };

  it('says "unreachable" for a closed port, without the error', async () => {
    const { webhook, deliveries } = await pushTo(`http://127.0.0.1:${closedPort}/kouan`);
    expect(webhook.json()).toMatchObject({ lastError: 'unreachable' });
    expect(deliveries.json()).toMatchObject({ deliveries: [{ status: 'pending', attempts: 1, lastStatus: null, lastError: 'unreachable' }] });
    expect(webhook.body + deliveries.body).not.toMatch(DETAIL);
  });

  it('keeps the status of an answer but not its body', async () => {
    receiver.answer = (response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('FATAL: password authentication failed for user "postgres"');
    const { webhook, deliveries } = await pushTo(`http://localhost:${receiver.port}/kouan`);
    expect(receiver.received).toHaveLength(2);
    expect(webhook.json()).toMatchObject({ lastError: 'HTTP 500' });
    expect(deliveries.json()).toMatchObject({ deliveries: [{ status: 'pending', lastStatus: 500, lastError: 'HTTP 500' }] });
    expect(webhook.body + deliveries.body).not.toMatch(DETAIL);
  });

  it('does not follow a redirect', async () => {
    receiver.answer = (response) => response.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/inside` }).end();
    const { webhook, deliveries } = await pushTo(`http://127.0.0.1:${receiver.port}/kouan`);
    expect(receiver.received.map((request) => request.path)).toEqual(['/kouan', '/kouan']);
    expect(elsewhere.received).toEqual([]);
    expect(webhook.json()).toMatchObject({ lastError: 'HTTP 302' });
    expect(deliveries.json()).toMatchObject({ deliveries: [{ status: 'pending', lastStatus: 302, lastError: 'HTTP 302' }] });
  });
});
