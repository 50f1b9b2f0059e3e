/**
 * Live streams over a real socket on both stores: the caps per API key and per party answer 429 STREAM_LIMIT as
 * problem+json before any stream starts, a closed stream gives its slot back, and viewers on one stream topic are
 * each sent only what they may see (docs/tracking.md, "Who sees what").
 */
import { randomUUID } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const CONTAINER = 'MSKU1234565';
const BL = 'MEDUSTR00001';
const TERMINAL = '91310000MA1T3RM01E';

interface Stream {
  readonly status: number;
  readonly type: string | undefined;
  readonly body: () => Promise<string>;
  /** The events received so far: their eventIds. */
  readonly received: string[];
  close(): void;
}

describe.each(kinds)('tracking streams on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let carrier: string;
  let terminal: string;
  let base: string;
  const opened: Stream[] = [];

  const open = async (key: string): Promise<Stream> => {
    const request = get(`${base}/api/v1/tracking/stream?container=${CONTAINER}`, { headers: { authorization: `Bearer ${key}` } });
    const response = await new Promise<IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
    const received: string[] = [];
    let text = '';
    let all = '';
    response.on('data', (chunk: Buffer) => {
      all += chunk.toString('utf8');
      text += chunk.toString('utf8');
      const blocks = text.split('\n\n');
      text = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data !== undefined && /^event: tracking$/m.test(block)) received.push((JSON.parse(data) as { eventId: string }).eventId);
      }
    });
    const ended = new Promise<string>((resolve) => response.on('end', () => resolve(all)));
    const stream = { status: response.statusCode ?? 0, type: response.headers['content-type'], body: () => ended, received, close: () => request.destroy() };
    opened.push(stream);
    return stream;
  };
  const move = (label: string, code: string, references: Record<string, string>) => ({
    eventId: `${label}-${randomUUID()}`,
    eventType: 'EQUIPMENT',
    code,
    classifier: 'ACT',
    eventTime: new Date(Date.now() - 3_600_000).toISOString(),
    location: 'CNSHA',
    references,
  });
  const publish = async (key: string, ...events: unknown[]) => {
    const response = await t.request('POST', '/api/v1/events', { key, body: { events } });
    expect(response.json<{ rejected: number }>().rejected).toBe(0);
  };
  const until = async (check: () => boolean) => {
    for (let tries = 0; tries < 200 && !check(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(check()).toBe(true);
  };

  beforeAll(async () => {
    t = await startTestKouan(kind, { KOUAN_STREAMS_PER_KEY: '2', KOUAN_STREAMS_PER_PARTY: '3' });
    keys = await cast(t);
    carrier = await t.enterprise(EXPORTER, ['carrier']);
    terminal = await t.enterprise(TERMINAL, ['terminal'], ['CNSHA']);
    const transport = { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: BL, containers: [CONTAINER] };
    expect((await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport }) } })).statusCode).toBe(201);
    base = await t.kouan.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const stream of opened) stream.close();
    await t.close();
  });

  it('caps open streams per API key and per party with 429 STREAM_LIMIT, and a closed stream gives its slot back', async () => {
    const first = await open(keys.importer);
    const second = await open(keys.importer);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await open(keys.importer);
    expect(third.status).toBe(429);
    expect(third.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(await third.body())).toMatchObject({ status: 429, code: 'STREAM_LIMIT' });

    // Another key of the same party: the party's third stream is allowed, its fourth is not.
    const otherKey = (await t.kouan.services.parties.createKey(IMPORTER)).key;
    expect((await open(otherKey)).status).toBe(200);
    const overParty = await open(otherKey);
    expect(overParty.status).toBe(429);
    expect(JSON.parse(await overParty.body())).toMatchObject({ code: 'STREAM_LIMIT', detail: expect.stringContaining('party') as unknown });

    first.close();
    await until(() => t.kouan.services.trackingStreams.open === 2);
    expect((await open(keys.importer)).status).toBe(200);
    for (const stream of opened) stream.close();
    await until(() => t.kouan.services.trackingStreams.open === 0);
  });

  it('sends each viewer on one stream topic only the events it may see', async () => {
    // A publisher may follow what it published on: each has an earlier event about the box.
    await publish(carrier, move('booked', 'STUF', { container: CONTAINER, billOfLading: BL }));
    await publish(terminal, move('earlier', 'GTIN', { container: CONTAINER }));
    const importer = await open(keys.importer);
    const byCarrier = await open(carrier);
    const byTerminal = await open(terminal);
    const customs = await open(keys.cus);
    expect([importer.status, byCarrier.status, byTerminal.status, customs.status]).toEqual([200, 200, 200, 200]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The carrier's gate-in on the importer's bill, the terminal's discharge of the box, someone else's load of it.
    const gateIn = move('gatein', 'GTIN', { container: CONTAINER, billOfLading: BL });
    await publish(carrier, gateIn);
    const discharge = move('discharge', 'DISC', { container: CONTAINER });
    const otherShipment = move('other', 'LOAD', { container: CONTAINER, billOfLading: 'OTHERBL0009' });
    await publish(terminal, discharge, otherShipment);
    await until(() => importer.received.length >= 2 && customs.received.length >= 3 && byCarrier.received.length >= 1 && byTerminal.received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(importer.received).toEqual([gateIn.eventId, discharge.eventId]);
    expect(customs.received).toEqual([gateIn.eventId, discharge.eventId, otherShipment.eventId]);
    // Publishers see their own events only: publishing is no ground for reading the others'.
    expect(byCarrier.received).toEqual([gateIn.eventId]);
    expect(byTerminal.received).toEqual([discharge.eventId, otherShipment.eventId]);
  });
});
