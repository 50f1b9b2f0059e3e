/**
 * Who sees which tracking events (docs/tracking.md, "Who sees what"), through the API on both stores: the parties
 * to a declaration see its containers and bill of lading, a reused container's other shipments stay hidden, an
 * agency sees its own clearance decisions only, and a stranger is told the reference does not exist.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLES, EXPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const DAY = 86_400_000;
const CONTAINER = 'MSKU1234565';
const STRANGERS_CONTAINER = 'CSQU3054383';
const BL = 'MEDUACC00001';
const VESSEL = { vesselImo: '9321483', voyage: '012E' };

interface TimelineBody {
  events: { eventId: string; code: string; eventType: string; agency?: string }[];
  current: { text: string };
}

describe.each(kinds)('tracking entitlement on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let carrier: string;
  let submission: string;
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  const movement = (label: string, code: string, days: number, references: Record<string, string>, eventType = 'EQUIPMENT') => ({
    eventId: `${label}-${randomUUID()}`,
    eventType,
    code,
    classifier: 'ACT',
    eventTime: ago(days),
    location: 'CNSHA',
    references,
  });
  const timeline = async (key: string, query: string) => {
    const response = await t.request('GET', `/api/v1/tracking?${query}`, { key });
    return { status: response.statusCode, body: response.json<TimelineBody>() };
  };
  const labels = (body: TimelineBody) => body.events.map((event) => (event.eventType === 'CLEARANCE' ? `${event.code}:${event.agency ?? '-'}` : event.eventId.split('-')[0]));

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    carrier = await t.enterprise(EXPORTER, ['declarant', 'carrier']);
    const transport = { mode: 'sea', ...VESSEL, billOfLading: BL, containers: [CONTAINER] };
    const response = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport, lines: [LAPTOPS, APPLES] }) } });
    expect(response.statusCode).toBe(201);
    submission = response.json<{ id: string }>().id;
    for (const [key, outcome] of [[keys.cus, 'accepted'], [keys.ciq, 'accepted']] as const) {
      expect((await t.request('POST', `/api/v1/submissions/${submission}/decisions`, { key, body: { outcome } })).statusCode).toBe(200);
    }
    const published = await t.request('POST', '/api/v1/events', {
      key: carrier,
      body: {
        events: [
          movement('gatein', 'GTIN', 20, { container: CONTAINER, billOfLading: BL }),
          movement('discharge', 'DISC', 2, { container: CONTAINER, ...VESSEL }),
          // The same box two and a half months ago, and on another bill last week: someone else's shipments.
          movement('oldtrip', 'GTOT', 80, { container: CONTAINER }),
          movement('otherbill', 'LOAD', 5, { container: CONTAINER, billOfLading: 'OTHERBL0001' }),
          movement('arrival', 'ARRI', 3, { ...VESSEL }, 'TRANSPORT'),
          movement('stranger', 'LOAD', 9, { container: STRANGERS_CONTAINER, billOfLading: 'OTHERBL0002', ...VESSEL }),
        ],
      },
    });
    expect(published.json<{ stored: number }>().stored).toBe(6);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the parties to a declaration its container within the shipment window, and its bill of lading', async () => {
    for (const key of [keys.importer, keys.broker]) {
      const byContainer = await timeline(key, `container=${CONTAINER}`);
      expect(byContainer.status).toBe(200);
      expect(labels(byContainer.body)).toEqual(['gatein', 'discharge', 'RECE:-', 'ACCE:CUS', 'ACCE:CIQ']);
      expect(byContainer.body.current.text).not.toContain('loaded');
      const byBill = await timeline(key, `bl=${BL}`);
      expect(labels(byBill.body)).toEqual(['gatein', 'RECE:-', 'ACCE:CUS', 'ACCE:CIQ']);
    }
    expect((await timeline(keys.importer, 'bl=OTHERBL0001')).status).toBe(404);
  });

  it("shows a vessel's own movements to anyone, and other shippers' containers on it to no one else", async () => {
    const forImporter = await timeline(keys.importer, `vessel=${VESSEL.vesselImo}&voyage=${VESSEL.voyage}`);
    expect(labels(forImporter.body)).toEqual(['arrival', 'discharge', 'RECE:-', 'ACCE:CUS', 'ACCE:CIQ']);
    const forStranger = await timeline(keys.other, `vessel=${VESSEL.vesselImo}&voyage=${VESSEL.voyage}`);
    expect(labels(forStranger.body)).toEqual(['arrival']);
    expect(forStranger.body.current.text).toMatch(/^arrived at CNSHA/);
  });

  it('tells an enterprise with no standing that the container, bill or submission does not exist', async () => {
    for (const query of [`container=${CONTAINER}`, `bl=${BL}`, `submission=${submission}`, `container=${STRANGERS_CONTAINER}`]) {
      const answer = await t.request('GET', `/api/v1/tracking?${query}`, { key: keys.other });
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('shows the carrier what it published, not the clearance of goods that are not its own', async () => {
    const forCarrier = await timeline(carrier, `container=${CONTAINER}`);
    expect(labels(forCarrier.body)).toEqual(['oldtrip', 'gatein', 'otherbill', 'discharge']);
  });

  it('shows an agency every movement and only its own clearance decisions', async () => {
    const forCustoms = await timeline(keys.cus, `container=${CONTAINER}`);
    expect(labels(forCustoms.body)).toEqual(['oldtrip', 'gatein', 'otherbill', 'discharge', 'RECE:-', 'ACCE:CUS']);
    const forInspection = await timeline(keys.ciq, `submission=${submission}`);
    expect(labels(forInspection.body)).toEqual(['RECE:-', 'ACCE:CIQ']);
    // An agency with no part in the declaration does not see it.
    expect((await timeline(keys.moc, `submission=${submission}`)).status).toBe(404);
  });
});
