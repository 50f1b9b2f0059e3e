/** Push delivery to an agency's webhook on both stores: signed, retried with backoff, 2xx acknowledges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PUSH_ATTEMPTS, signPush } from '../src/modules/exchange/index.js';
import { BROKER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { LOCAL_WEBHOOKS, startReceiver, type Receiver } from './support/net.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

describe.each(kinds)('webhooks on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let cus: string;
  let hook: Receiver;
  let url: string;
  let received: Receiver['received'] = [];
  let answer = 500;

  beforeAll(async () => {
    t = await startTestKouan(kind, LOCAL_WEBHOOKS);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.enterprise(IMPORTER);
    await t.delegate(IMPORTER, BROKER);
    cus = await t.agency('CUS');
    hook = await startReceiver();
    hook.answer = (response) => void response.writeHead(answer).end();
    received = hook.received;
    url = `http://127.0.0.1:${hook.port}/kouan`;
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  const submitOne = async () => {
    const response = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
    expect(response.statusCode).toBe(201);
    await t.kouan.services.exchange.dispatchPending();
    return response.json<{ id: string }>().id;
  };
  const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

  it('registers a webhook for agencies only, with a valid URL', async () => {
    expect((await t.request('PUT', '/api/v1/webhook', { key: broker, body: { url } })).statusCode).toBe(403);
    const bad = await t.request('PUT', '/api/v1/webhook', { key: cus, body: { url: 'ftp://example.org/x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path: '$.url', code: 'FIELD_FORMAT' }] });
    expect((await t.request('GET', '/api/v1/webhook', { key: cus })).statusCode).toBe(404);
  });

  it('pushes signed messages, retries a failure, and a 2xx acknowledges', async () => {
    const registered = await t.request('PUT', '/api/v1/webhook', { key: cus, body: { url } });
    expect(registered.statusCode).toBe(200);
    const { secret } = registered.json<{ secret: string }>();
    expect(secret).toMatch(/^whsec_/);

    const id = await submitOne();
    received.length = 0;
    answer = 500;
    expect(await t.kouan.services.exchange.pushDue()).toBe(0);
    expect(received).toHaveLength(1);
    const first = received[0];
    const message = JSON.parse(first?.body ?? '{}') as { messageId: string; submissionId: string; kind: string };
    expect(message).toMatchObject({ submissionId: id, kind: 'part.submitted' });
    expect(first?.headers['kouan-message-id']).toBe(message.messageId);
    expect(first?.headers['kouan-delivery-attempt']).toBe('1');
    const timestamp = Number(/t=(\d+)/.exec(String(first?.headers['kouan-signature']))?.[1]);
    expect(first?.headers['kouan-signature']).toBe(signPush(secret, timestamp, first?.body ?? ''));
    expect(first?.headers['kouan-signature']).not.toBe(signPush('whsec_wrong', timestamp, first?.body ?? ''));

    const failing = (await t.request('GET', '/api/v1/webhook', { key: cus })).json();
    expect(failing).toMatchObject({ url, pending: 1, delivered: 0, failed: 0, lastError: 'HTTP 500' });
    // Not due yet: the backoff holds it back.
    expect(await t.kouan.services.exchange.pushDue()).toBe(0);
    expect(received).toHaveLength(1);

    answer = 204;
    expect(await t.kouan.services.exchange.pushDue(later(3))).toBe(1);
    expect(received).toHaveLength(2);
    expect(received[1]?.headers['kouan-delivery-attempt']).toBe('2');
    const view = (await t.request('GET', `/api/v1/submissions/${id}`, { key: broker })).json();
    expect(view.parts[0]).toMatchObject({ agency: 'CUS', status: 'delivered' });
    const inbox = (await t.request('GET', '/api/v1/inbox?limit=500', { key: cus })).json();
    expect(inbox.messages.find((candidate: { messageId: string }) => candidate.messageId === message.messageId).ackedAt).toEqual(expect.any(String));
    expect((await t.request('GET', '/api/v1/webhook', { key: cus })).json()).toMatchObject({ pending: 0, delivered: 1 });
  });

  it('pushes as soon as the part is dispatched when the exchange runs, and the 2xx marks the part delivered', async () => {
    answer = 204;
    received.length = 0;
    const { exchange } = t.kouan.services;
    let id = '';
    exchange.start();
    try {
      const response = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
      expect(response.statusCode).toBe(201);
      id = response.json<{ id: string }>().id;
      const deadline = Date.now() + 5000;
      while (!received.some((entry) => entry.body.includes(id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received.filter((entry) => entry.body.includes(id))).toHaveLength(1);
    } finally {
      await exchange.stop();
    }
    // Stopped only after the pushes on their way were settled: the part is delivered, the message acknowledged.
    const view = (await t.request('GET', `/api/v1/submissions/${id}`, { key: broker })).json();
    expect(view.parts[0]).toMatchObject({ agency: 'CUS', status: 'delivered' });
  });

  it('gives up after the last attempt and keeps the message in the inbox', async () => {
    await submitOne();
    answer = 503;
    received.length = 0;
    for (let attempt = 1; attempt <= MAX_PUSH_ATTEMPTS + 2; attempt += 1) await t.kouan.services.exchange.pushDue(later(attempt * 4000));
    expect(received).toHaveLength(MAX_PUSH_ATTEMPTS);
    expect((await t.request('GET', '/api/v1/webhook', { key: cus })).json()).toMatchObject({ failed: 1, pending: 0, lastError: 'HTTP 503' });
    expect((await t.request('GET', '/api/v1/inbox?unacked=true&limit=500', { key: cus })).json().messages.length).toBeGreaterThan(0);
  });

  it('can be removed', async () => {
    const removed = await t.request('DELETE', '/api/v1/webhook', { key: cus });
    expect(removed.statusCode).toBe(204);
    expect((await t.request('GET', '/api/v1/webhook', { key: cus })).statusCode).toBe(404);
    await submitOne();
    received.length = 0;
    expect(await t.kouan.services.exchange.pushDue(later(100_000))).toBe(0);
    expect(received).toHaveLength(0);
  });
});
