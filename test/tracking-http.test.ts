/**
 * Tracking over a real socket on both stores: UN/EDIFACT input, the server-sent-events stream (with resume by
 * Last-Event-ID) and webhook subscriptions (signed, retried, failures visible, replayable, only the subscriber's
 * events).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODECO_GATE_IN } from '../src/formats/edifact/samples.fixture.js';
import type { SubscriptionPush } from '../src/modules/tracking/index.js';
import { signPush } from '../src/shared/webhooks.js';
import { EXPORTER, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { LOCAL_WEBHOOKS, startReceiver } from './support/net.js';
import { storeKinds } from './support/stores.js';

/** A container terminal operator at Shanghai (a valid unified social credit code). */
const TERMINAL = '91310000MA1T3RM01E';
const kinds = await storeKinds();
const CONTAINER = 'MSKU1234565';
const BL = 'MEDUHTTP0001';

/** A webhook receiver that answers with the status the test sets, and keeps what it was sent. */
interface Receiver {
  readonly url: string;
  readonly received: { headers: Record<string, string | string[] | undefined>; body: string }[];
  status: number;
  close(): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const hook = await startReceiver();
  const state = { status: 200 };
  hook.answer = (response) => void response.writeHead(state.status).end();
  return {
    url: `http://127.0.0.1:${hook.port}/hook`,
    received: hook.received,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () => hook.close(),
  };
}

describe.each(kinds)('tracking over HTTP on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let carrier: string;
  let terminal: string;
  let base: string;
  let submission: string;
  const gateEvent = (code: string, minutesAgo: number, references: Record<string, string> = { container: CONTAINER, billOfLading: BL }) => ({
    eventId: `http-${randomUUID()}`,
    eventType: 'EQUIPMENT',
    code,
    classifier: 'ACT',
    eventTime: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    location: 'CNSHA',
    references,
  });
  const publish = async (...events: unknown[]) => {
    const response = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${carrier}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
    expect(response.status).toBe(200);
    return response.json() as Promise<{ stored: number; results: { seq?: number; status: string; errors?: { code: string }[] }[] }>;
  };

  beforeAll(async () => {
    t = await startTestKouan(kind, LOCAL_WEBHOOKS);
    keys = await cast(t);
    carrier = await t.enterprise(EXPORTER, ['declarant', 'carrier']);
    // A gate report (CODECO) is the terminal's, at its own place.
    terminal = await t.enterprise(TERMINAL, ['terminal'], ['CNSHA']);
    const transport = { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: BL, containers: [CONTAINER] };
    submission = (await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport }) } })).json<{ id: string }>().id;
    base = await t.kouan.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes a UN/EDIFACT CODECO interchange, and refuses a broken one naming the segment', async () => {
    const post = (body: string, contentType = 'application/EDIFACT', path = '/api/v1/events') =>
      fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${terminal}`, 'content-type': contentType }, body });
    const first = await post(CODECO_GATE_IN);
    expect(first.status).toBe(200);
    const taken = (await first.json()) as { stored: number; rejected: number; unmapped: unknown[] };
    expect(taken).toMatchObject({ stored: 5, rejected: 0 });
    // The same interchange again: every event is a duplicate (the ids are derived from the interchange).
    expect(await (await post(CODECO_GATE_IN)).json()).toMatchObject({ stored: 0, duplicates: 5 });

    const broken = await post(CODECO_GATE_IN.replace(/UNT\+\d+\+GI1/, 'UNT+3+GI1'));
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await broken.json()) as { code: string; segment: { index: number; tag: string } | null; position: number };
    expect(problem.code).toMatch(/^EDIFACT_/);
    expect(problem.segment?.tag).toBeDefined();
    expect(problem.position).toBeGreaterThan(0);

    const elsewhere = await post(CODECO_GATE_IN, 'application/edifact', '/api/v1/submissions');
    expect(elsewhere.status).toBe(415);
  });

  it('streams the events of a reference as server-sent events, and resumes after Last-Event-ID', async () => {
    // node:http rather than fetch: fetch keeps a spare connection open after an abort, which holds the server open.
    const open = async (key: string, lastEventId?: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const request = get(`${base}/api/v1/tracking/stream?container=${CONTAINER}`, { headers });
      const response = await new Promise<IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
      return { response, close: () => request.destroy() };
    };
    /** Reads the stream until `count` events have come, and returns their ids and codes. */
    const read = (response: IncomingMessage, count: number) =>
      new Promise<{ id: string; code: string }[]>((resolve) => {
        let text = '';
        const events: { id: string; code: string }[] = [];
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          const blocks = text.split('\n\n');
          text = blocks.pop() ?? '';
          for (const block of blocks) {
            const id = /^id: (\d+)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (id !== undefined && data !== undefined) events.push({ id, code: (JSON.parse(data) as { code: string }).code });
          }
          if (events.length >= count) resolve(events);
        });
      });

    const stream = await open(keys.importer);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    const reading = read(stream.response, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Someone else's shipment in the same box (another bill) must not reach the importer.
    await publish(gateEvent('LOAD', 30, { container: CONTAINER, billOfLading: 'OTHERBL0009' }), gateEvent('DISC', 20), gateEvent('GTOT', 10));
    const seen = await reading;
    stream.close();
    expect(seen.map((event) => event.code)).toEqual(['DISC', 'GTOT']);

    await publish(gateEvent('STRP', 5));
    const resumed = await open(keys.importer, seen[0]?.id);
    const again = await read(resumed.response, 2);
    resumed.close();
    expect(again.map((event) => event.code)).toEqual(['GTOT', 'STRP']);

    const stranger = await open(keys.other);
    stranger.close();
    expect(stranger.response.statusCode).toBe(404);
  });

  it('pushes signed webhooks of the subscriber’s events only, keeps failures visible and replays them', async () => {
    const hook = await receiver();
    try {
      const created = await t.request('POST', '/api/v1/subscriptions', { key: keys.importer, body: { bl: BL, url: hook.url } });
      expect(created.statusCode).toBe(201);
      const subscription = created.json<{ id: string; secret: string; cursor: number }>();
      const { trackingSubscriptions } = t.kouan.services;

      // The receiver is down: the attempt fails, is recorded with its answer, and nothing moves.
      hook.status = 503;
      await publish(gateEvent('GTIN', 50), gateEvent('LOAD', 40, { container: CONTAINER, billOfLading: 'OTHERBL0010' }));
      expect(await trackingSubscriptions.pushDue()).toBe(0);
      const failing = (await t.request('GET', `/api/v1/subscriptions/${subscription.id}`, { key: keys.importer })).json<{ attempts: number; lastError: string; cursor: number; head: number }>();
      expect(failing).toMatchObject({ attempts: 1, lastError: 'HTTP 503', cursor: subscription.cursor });
      expect(failing.head).toBeGreaterThan(failing.cursor);
      // The push is the delivery engine's record, with the events it carries.
      const deliveries = (await t.request('GET', `/api/v1/subscriptions/${subscription.id}/deliveries`, { key: keys.importer })).json<{ deliveries: { firstSeq: number; lastSeq: number }[] }>();
      expect(deliveries.deliveries).toHaveLength(1);
      expect(deliveries.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503', events: 1, lastSeq: failing.head });
      expect(deliveries.deliveries[0]?.firstSeq).toBeGreaterThan(subscription.cursor);
      // Not before its backoff.
      expect(await trackingSubscriptions.pushDue()).toBe(0);
      expect(hook.received).toHaveLength(1);

      // The receiver is back; replay retries now instead of waiting.
      hook.status = 204;
      expect((await t.request('POST', `/api/v1/subscriptions/${subscription.id}/replay`, { key: keys.importer, body: {} })).statusCode).toBe(200);
      expect(await trackingSubscriptions.pushDue()).toBe(1);
      const delivered = hook.received.at(-1);
      if (delivered === undefined) throw new Error('nothing pushed');
      const push = JSON.parse(delivered.body) as SubscriptionPush;
      expect(push.events.map((event) => event.code)).toEqual(['GTIN']);
      expect(push.events.every((event) => event.references.billOfLading === BL)).toBe(true);
      const signature = String(delivered.headers['kouan-signature']);
      const timestamp = Number(/t=(\d+)/.exec(signature)?.[1]);
      expect(signature).toBe(signPush(subscription.secret, timestamp, delivered.body));
      expect(delivered.headers['kouan-subscription-id']).toBe(subscription.id);

      const after = (await t.request('GET', `/api/v1/subscriptions/${subscription.id}`, { key: keys.importer })).json<{ attempts: number; deliveredEvents: number; cursor: number; head: number; lastError: string | null }>();
      expect(after).toMatchObject({ attempts: 0, deliveredEvents: 1, lastError: null });
      expect(after.cursor).toBe(after.head);
      // The push replay gave up stays in the history, failed, under the one delivered.
      const history = (await t.request('GET', `/api/v1/subscriptions/${subscription.id}/deliveries`, { key: keys.importer })).json<{ deliveries: { status: string; attempts: number }[] }>();
      expect(history.deliveries.map((record) => [record.status, record.attempts])).toEqual([['delivered', 1], ['failed', 1]]);

      // Replaying from an earlier seq delivers the same events again (receivers deduplicate by eventId).
      expect((await t.request('POST', `/api/v1/subscriptions/${subscription.id}/replay`, { key: keys.importer, body: { fromSeq: subscription.cursor + 1 } })).statusCode).toBe(200);
      expect(await trackingSubscriptions.pushDue()).toBe(1);
      expect((JSON.parse(hook.received.at(-1)?.body ?? '{}') as SubscriptionPush).events.map((event) => event.code)).toEqual(['GTIN']);

      // Someone else's subscription does not exist for the other enterprise, and it cannot subscribe to this bill.
      expect((await t.request('GET', `/api/v1/subscriptions/${subscription.id}`, { key: keys.other })).statusCode).toBe(404);
      expect((await t.request('POST', '/api/v1/subscriptions', { key: keys.other, body: { bl: BL, url: hook.url } })).statusCode).toBe(404);
      expect((await t.request('POST', '/api/v1/subscriptions', { key: keys.importer, body: { bl: BL, url: 'ftp://example.org/' } })).json()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path: '$.url', code: 'FIELD_FORMAT' }] });

      expect((await t.request('DELETE', `/api/v1/subscriptions/${subscription.id}`, { key: keys.importer })).statusCode).toBe(204);
      expect((await t.request('GET', '/api/v1/subscriptions', { key: keys.importer })).json<{ subscriptions: unknown[] }>().subscriptions).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it('gives up after 15 failures in a row and shows the subscription as failing until replayed', async () => {
    const hook = await receiver();
    try {
      hook.status = 500;
      const subscription = (await t.request('POST', '/api/v1/subscriptions', { key: keys.importer, body: { submission, url: hook.url } })).json<{ id: string }>();
      await t.request('POST', `/api/v1/submissions/${submission}/decisions`, { key: keys.cus, body: { outcome: 'accepted' } });
      const { trackingSubscriptions } = t.kouan.services;
      // Each attempt at the moment its backoff ends.
      let now = Date.now();
      for (let attempt = 1; attempt <= 15; attempt += 1) {
        await trackingSubscriptions.pushDue(new Date(now));
        now += Math.min(2 ** attempt, 3600) * 1000 + 1000;
      }
      const view = (await t.request('GET', `/api/v1/subscriptions/${subscription.id}`, { key: keys.importer })).json<{ status: string; attempts: number }>();
      expect(view).toMatchObject({ status: 'failing', attempts: 15 });
      await trackingSubscriptions.pushDue(new Date(now + 86_400_000));
      expect(hook.received).toHaveLength(15);

      hook.status = 200;
      expect((await t.request('POST', `/api/v1/subscriptions/${subscription.id}/replay`, { key: keys.importer, body: {} })).json()).toMatchObject({ status: 'active', attempts: 0 });
      expect(await trackingSubscriptions.pushDue()).toBe(1);
      expect((JSON.parse(hook.received.at(-1)?.body ?? '{}') as SubscriptionPush).events.map((event) => `${event.code}:${event.agency ?? '-'}`)).toEqual(['ACCE:CUS']);
    } finally {
      await hook.close();
    }
  });

  // Last: it imports a UN/LOCODE list, which every later event of this Kouan would be checked against.
  it('checks event locations against the imported UN/LOCODE list once there is one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kouan-locode-'));
    const file = join(dir, 'unlocode.csv');
    writeFileSync(file, ['country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded', 'CN,SHA,Shanghai,Shanghai,SH,AI,12345---,,31.23,121.47,true'].join('\n'));
    try {
      expect((await t.kouan.services.codes.importLocode(file)).entries).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const result = await publish(gateEvent('GTIN', 3), { ...gateEvent('GTIN', 2), location: 'CNZZZ' }, { ...gateEvent('GTIN', 1), location: 'cnsha' });
    expect(result.results.map((item) => item.errors?.[0]?.code ?? item.status)).toEqual(['stored', 'LOCODE_UNKNOWN', 'LOCODE_FORMAT']);
  });
});
