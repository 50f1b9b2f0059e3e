/**
 * DCSA Track & Trace 2.2 and 3.0 events as DCSA publishers send them, through the API on both stores: a carrier's
 * push lands at its version's endpoint, each event is validated on its own (problems at DCSA's paths), the mapped
 * events take the one ingest (publisher roles, duplicates), and the goods' owner reads them back in the timeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILL, BOOKING, CONTAINER, DCSA22, DCSA30, VESSEL_IMO, VOYAGE } from '../src/formats/dcsa/samples.fixture.js';
import { EXPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

interface Result { index: number; eventId: string | null; status: string; errors?: { path: string; code: string }[] }
interface Answer { stored: number; duplicates: number; rejected: number; results: Result[]; feedbackElements?: { severity: string; propertyPath: string }[]; code?: string; errors?: { path: string; code: string }[] }
interface TimelineBody {
  events: { eventId: string; eventType: string; code: string; classifier: string; eventTime: string; location?: string; facility?: string; publisher: string; references: Record<string, string> }[];
  current: { text: string; actual: Record<string, { eventId: string }>; estimated: Record<string, { eventId: string }> };
}

const outcomes = (answer: Answer) => answer.results.map((result) => result.errors?.map((error) => `${error.path} ${error.code}`).join(' ') ?? result.status);

describe.each(kinds)('DCSA Track & Trace over HTTP on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let carrier: string;
  const post = async (version: 'v2' | 'v3', key: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await t.request('POST', `/api/v1/tracking/dcsa/${version}/events`, { key, body, headers });
    return { status: response.statusCode, type: response.headers['content-type'], apiVersion: response.headers['api-version'], body: response.json<Answer>() };
  };
  const timeline = async (key: string, query: string) => {
    const response = await t.request('GET', `/api/v1/tracking?${query}`, { key });
    expect(response.statusCode).toBe(200);
    return response.json<TimelineBody>();
  };
  const eventCount = async () => (await t.kouan.services.tracking.verify()).events;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    carrier = await t.enterprise(EXPORTER, ['declarant', 'carrier']);
    // The broker declares the importer's laptops in the container under the bill the carrier publishes on.
    const transport = { mode: 'sea', vesselImo: VESSEL_IMO, voyage: VOYAGE, billOfLading: BILL, containers: [CONTAINER] };
    expect((await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport, lines: [LAPTOPS] }) } })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores a 2.2 callback batch event by event, with problems at the DCSA fields, and a second push is a no-op', async () => {
    const batch = [
      DCSA22.gateIn, DCSA22.load, DCSA22.departure, DCSA22.arrivalEstimate, ...DCSA22.billStates,
      DCSA22.bookingConfirmed,
      { ...DCSA22.gateIn, eventID: '9e3b1c52-5d7a-4f08-8a3e-0f6b2d4c8e99', equipmentReference: 'CSQU3054384' },
      { ...DCSA22.gateIn, eventID: '1f4c2d63-6e8b-4019-9b4f-1a7c3e5d9f00', eventDateTime: '2026-11-20 07:58' },
    ];
    const before = await eventCount();
    const first = await post('v2', carrier, batch, { 'API-Version': '2' });
    expect(first.status).toBe(200);
    expect(first.apiVersion).toBe('2.2.0');
    expect(outcomes(first.body)).toEqual([
      ...Array<string>(9).fill('stored'),
      // A booking alone is no reference Kouan keeps a timeline of.
      '$.documentID EVENT_REFERENCE_REQUIRED',
      '$.equipmentReference CONTAINER_CHECK_DIGIT',
      '$.eventDateTime EVENT_TIME_INVALID',
    ]);
    expect(first.body.results[0]).toMatchObject({ index: 0, eventId: DCSA22.gateIn.eventID });
    expect(await eventCount()).toBe(before + 9);

    const again = await post('v2', carrier, batch.slice(0, 9));
    expect(again.body).toMatchObject({ stored: 0, duplicates: 9, rejected: 0 });
    expect(await eventCount()).toBe(before + 9);
  });

  it("shows the 2.2 events in the importer's timeline of the bill, in UTC, with the booking reference on the event", async () => {
    const body = await timeline(keys.importer, `bl=${BILL}`);
    const gateIn = body.events.find((event) => event.eventId === DCSA22.gateIn.eventID);
    expect(gateIn).toMatchObject({
      eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-20T06:58:00.000Z', location: 'NLRTM', facility: 'ECTDE', publisher: EXPORTER,
      references: { container: CONTAINER, billOfLading: BILL, bookingReference: BOOKING },
    });
    expect(body.events.filter((event) => event.eventType === 'SHIPMENT').map((event) => event.code)).toEqual(['DRFT', 'PENA', 'APPR', 'ISSU', 'SURR']);
    expect(body.current.actual.DEPA?.eventId).toBe(DCSA22.departure.eventID);
    expect(body.current.estimated.ARRI?.eventId).toBe(DCSA22.arrivalEstimate.eventID);
    const vessel = await timeline(keys.importer, `vessel=${VESSEL_IMO}&voyage=${VOYAGE}`);
    expect(vessel.events.map((event) => event.eventId)).toContain(DCSA22.departure.eventID);
  });

  it('stores 3.0 events with DCSA feedback for the rejected ones, and an update of an event as its replacement', async () => {
    const unknownCode = { ...DCSA30.discharge, eventID: 'evt-unknown-code', eventClassification: { eventTypeCode: 'EQUIPMENT', eventClassifierCode: 'ACT', equipmentEventTypeCode: 'LOADED' } };
    const first = await post('v3', carrier, { events: [DCSA30.arrival, DCSA30.discharge, DCSA30.billApproved, unknownCode] }, { 'API-Version': '3.0.0' });
    expect(first.status).toBe(200);
    expect(first.apiVersion).toBe('3.0.0');
    expect(outcomes(first.body)).toEqual(['stored', 'stored', 'stored', '$.eventClassification.equipmentEventTypeCode FIELD_NOT_ALLOWED']);
    expect(first.body.feedbackElements).toEqual([expect.objectContaining({ severity: 'ERROR', propertyPath: '$.events[3].eventClassification.equipmentEventTypeCode' })]);

    const update = { ...DCSA30.discharge, eventDateTime: '2026-11-28T09:14:00+08:00', eventUpdatedDateTime: '2026-11-28T10:02:00+08:00' };
    const updated = await post('v3', carrier, { events: [update, DCSA30.arrival] });
    expect(outcomes(updated.body)).toEqual(['stored', 'duplicate']);
    expect(updated.body.feedbackElements).toEqual([]);

    const body = await timeline(keys.importer, `bl=${BILL}`);
    const discharge = body.events.find((event) => event.eventId === `${update.eventID}@${update.eventUpdatedDateTime}`);
    expect(discharge).toMatchObject({ eventType: 'EQUIPMENT', code: 'DISC', eventTime: '2026-11-28T01:14:00.000Z', location: 'CNSHA', facility: 'SGH', references: { container: CONTAINER, bookingReference: BOOKING, vesselImo: VESSEL_IMO } });
    expect(body.events.some((event) => event.eventType === 'SHIPMENT' && event.code === 'APPR' && event.eventId.startsWith(DCSA30.billApproved.eventID))).toBe(true);
  });

  it("stores a carrier's IoT and reefer events on the container, and a reading never stands for its last movement", async () => {
    const discharged = { ...DCSA30.discharge, eventID: 'evt-readings-disc', eventDateTime: '2026-11-28T09:00:00+08:00' };
    const reading = { ...DCSA30.reeferReading, eventID: 'evt-readings-meas', eventDateTime: '2026-11-28T03:15:00Z' };
    const door = { ...DCSA30.doorOpened, eventID: 'evt-readings-detc', eventDateTime: '2026-11-28T03:30:00Z' };
    const posted = await post('v3', carrier, { events: [discharged, reading, door] });
    expect(outcomes(posted.body)).toEqual(['stored', 'stored', 'stored']);
    const body = await timeline(keys.importer, `bl=${BILL}`);
    expect(body.events.filter((event) => event.eventType === 'REEFER' || event.eventType === 'IOT').map((event) => event.code).sort()).toEqual(['DETC', 'MEAS']);
    expect(body.current.text).toMatch(/^discharged at CNSHA/);
  });

  it('refuses a body that is not a DCSA batch, or another version, whole and changing nothing', async () => {
    const before = await eventCount();
    for (const [version, body, headers] of [
      ['v2', { events: [DCSA22.gateIn] }, {}],
      ['v2', [], {}],
      ['v3', [DCSA30.arrival], {}],
      ['v3', { events: [DCSA30.arrival], extra: true }, {}],
      ['v2', [DCSA22.gateIn], { 'API-Version': '3.0.0' }],
      ['v3', { events: [DCSA30.arrival] }, { 'API-Version': '2' }],
    ] as const) {
      const answer = await post(version, carrier, body, headers);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(answer.body.code).toBe('REQUEST_INVALID');
      expect(answer.body.errors?.length).toBeGreaterThan(0);
    }
    expect(await eventCount()).toBe(before);
  });

  it("refuses another carrier's DCSA events on the bill, at the DCSA field that names it", async () => {
    const rogue = await t.enterprise('91310000MA1CARR017', ['carrier']);
    const before = await eventCount();
    const forged2 = await post('v2', rogue, [{ ...DCSA22.departure, eventID: 'd15ea5e0-0000-4000-8000-000000000002' }]);
    expect(outcomes(forged2.body)).toEqual(['$.documentReferences[0].documentReferenceValue EVENT_REFERENCE_NOT_YOURS']);
    const forged3 = await post('v3', rogue, { events: [{ ...DCSA30.billApproved, eventID: 'forged-appr' }] });
    expect(outcomes(forged3.body)).toEqual(['$.shipmentDetails.documentReference.reference EVENT_REFERENCE_NOT_YOURS']);
    expect(forged3.body.feedbackElements?.map((element) => element.propertyPath)).toEqual(['$.events[0].shipmentDetails.documentReference.reference']);
    expect(await eventCount()).toBe(before);
  });

  it('refuses DCSA events from an enterprise without a publisher role, whole, as POST /events does', async () => {
    const before = await eventCount();
    const forged = await post('v2', keys.other, [{ ...DCSA22.load, eventID: 'c0ffee00-0000-4000-8000-000000000001' }]);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('EVENT_PUBLISHER_REQUIRED');
    const forged3 = await post('v3', keys.other, { events: [{ ...DCSA30.discharge, eventID: 'forged' }] });
    expect(forged3.status).toBe(403);
    expect(await eventCount()).toBe(before);
  });
});
