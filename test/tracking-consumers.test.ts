/**
 * Live consumers learn what replacement and cancellation take back, over a real socket on both stores: the
 * server-sent-events stream and a webhook subscription each get the new event naming the events it replaces, and
 * an original that arrives after its cancellation comes marked as retracted.
 */
import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionPush, TrackingEventView } from '../src/modules/tracking/index.js';
import { EXPORTER } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { LOCAL_WEBHOOKS, startReceiver } from './support/net.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const CONTAINER = 'MSKU1234565';

describe.each(kinds)('stream and subscription consumers on %s', (kind) => {
  let t: TestKouan;
  let carrier: string;
  let base: string;
  let counter = 0;
  const disc = (bill: string, minutesAgo: number, document: { id: string; function: string }) => {
    counter += 1;
    return {
      eventId: `consumer-${counter}`,
      eventType: 'EQUIPMENT',
      code: 'DISC',
      classifier: 'ACT',
      eventTime: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      location: 'CNSHA',
      references: { container: CONTAINER, billOfLading: bill },
      document,
    };
  };
  // A carrier follows its own bills: the first event on one makes it the carrier's.
  const gateIn = (bill: string) => ({ eventId: `consumer-gtin-${bill}`, eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: new Date(Date.now() - 90 * 60_000).toISOString(), location: 'CNSHA', references: { container: CONTAINER, billOfLading: bill } });
  const publish = async (...events: unknown[]) => {
    const response = await t.request('POST', '/api/v1/events', { key: carrier, body: { events } });
    expect(response.json<{ stored: number }>().stored).toBe(events.length);
  };

  beforeAll(async () => {
    t = await startTestKouan(kind, LOCAL_WEBHOOKS);
    carrier = await t.enterprise(EXPORTER, ['carrier']);
    base = await t.kouan.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a stream delivers the replacement with what it replaces, and a late original marked retracted', async () => {
    const bill = 'MEDUSSE00001';
    await publish(gateIn(bill));
    const request = get(`${base}/api/v1/tracking/stream?bl=${bill}`, { headers: { authorization: `Bearer ${carrier}` } });
    const response = await new Promise<IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
    expect(response.statusCode).toBe(200);
    const received: TrackingEventView[] = [];
    const done = new Promise<void>((resolve) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const blocks = text.split('\n\n');
        text = blocks.pop() ?? '';
        for (const block of blocks) {
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data !== undefined) received.push(JSON.parse(data) as TrackingEventView);
        }
        if (received.length >= 4) resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const original = disc(bill, 60, { id: 'SSE-1', function: 'original' });
    const replacement = disc(bill, 50, { id: 'SSE-1', function: 'replacement' });
    const cancellation = disc(bill, 40, { id: 'SSE-2', function: 'cancellation' });
    const late = disc(bill, 30, { id: 'SSE-2', function: 'original' });
    await publish(original);
    await publish(replacement);
    await publish(cancellation);
    await publish(late);
    await done;
    request.destroy();
    expect(received.map((event) => [event.eventId, event.replaces ?? null, event.retractedBy ?? null])).toEqual([
      [original.eventId, null, null],
      [replacement.eventId, [original.eventId], null],
      [cancellation.eventId, [], null],
      [late.eventId, null, cancellation.eventId],
    ]);
  });

  it('a subscription pushes the cancellation with what it retracts', async () => {
    const bill = 'MEDUHOOK0001';
    await publish(gateIn(bill));
    const hook = await startReceiver();
    hook.answer = (reply) => void reply.writeHead(204).end();
    try {
      const created = await t.request('POST', '/api/v1/subscriptions', { key: carrier, body: { bl: bill, url: `http://127.0.0.1:${hook.port}/hook` } });
      expect(created.statusCode).toBe(201);
      const original = disc(bill, 60, { id: 'HOOK-1', function: 'original' });
      await publish(original);
      expect(await t.kouan.services.trackingSubscriptions.pushDue()).toBe(1);
      const cancellation = disc(bill, 50, { id: 'HOOK-1', function: 'cancellation' });
      await publish(cancellation);
      expect(await t.kouan.services.trackingSubscriptions.pushDue()).toBe(1);
      const pushes = hook.received.map((delivery) => JSON.parse(delivery.body) as SubscriptionPush);
      expect(pushes.map((push) => push.events.map((event) => [event.eventId, event.replaces ?? null]))).toEqual([[[original.eventId, null]], [[cancellation.eventId, [original.eventId]]]]);
    } finally {
      await hook.close();
    }
  });
});
