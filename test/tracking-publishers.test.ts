/**
 * Nobody claims a bill of lading (docs/tracking.md, "Who publishes"), through the API on both stores: movements
 * come only from parties an operator gave a publisher role, each about what is its own (a carrier's bills, a
 * terminal's or port's places, MSA's vessel movements); publishing never lets a party read what others said
 * about a reference; every event names its publisher.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const HOUR = 3_600_000;
const CONTAINER = 'MSKU1234565';
const OTHER_CONTAINER = 'CSQU3054383';
const BL = 'MEDUPUB00001';
const VESSEL = { vesselImo: '9321483', voyage: '012E' };
// Valid unified social credit codes for the publishers of this file.
const TERMINAL = '91310000MA1T3RM01E';
const PORT_AUTHORITY = '91310000MA1P0RT01U';
const ROGUE_CARRIER = '91310000MA1CARR017';

interface TimelineBody {
  events: { eventId: string; eventType: string; code: string; publisher: string }[];
  current: { text: string; actual: Record<string, { eventId: string }> };
}
interface IngestBody {
  stored: number;
  rejected: number;
  results: { status: string; errors?: { path: string; code: string }[] }[];
}

describe.each(kinds)('tracking publishers on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let carrier: string;
  let terminal: string;
  let port: string;
  let rogue: string;
  let msa: string;
  const move = (label: string, code: string, hoursAgo: number, references: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    eventId: `${label}-${randomUUID()}`,
    eventType: 'EQUIPMENT',
    code,
    classifier: 'ACT',
    eventTime: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
    location: 'CNSHA',
    references,
    ...extra,
  });
  const publish = async (key: string, ...events: unknown[]) => {
    const response = await t.request('POST', '/api/v1/events', { key, body: { events } });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.json<IngestBody & { code?: string }>() };
  };
  const codesOf = (body: IngestBody) => body.results.map((result) => result.errors?.map((error) => `${error.path} ${error.code}`).join(' ') ?? result.status);
  const timeline = async (key: string, query: string) => {
    const response = await t.request('GET', `/api/v1/tracking?${query}`, { key });
    return { status: response.statusCode, body: response.json<TimelineBody>() };
  };
  const labels = (body: TimelineBody) => body.events.map((event) => (event.eventType === 'CLEARANCE' ? `${event.code}` : event.eventId.split('-')[0]));
  const eventCount = async () => (await t.kouan.services.tracking.verify()).events;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    carrier = await t.enterprise(EXPORTER, ['declarant', 'carrier']);
    terminal = await t.enterprise(TERMINAL, ['terminal'], ['CNSHA']);
    port = await t.enterprise(PORT_AUTHORITY, ['port'], ['CNNGB']);
    rogue = await t.enterprise(ROGUE_CARRIER, ['carrier']);
    msa = await t.agency('MSA');
    // The broker declares the importer's laptops in the container under the bill; the carrier gates it in.
    const transport = { mode: 'sea', ...VESSEL, billOfLading: BL, containers: [CONTAINER] };
    expect((await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport, lines: [LAPTOPS] }) } })).statusCode).toBe(201);
    const gateIn = await publish(carrier, move('gatein', 'GTIN', 30, { container: CONTAINER, billOfLading: BL }));
    expect(codesOf(gateIn.body)).toEqual(['stored']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses movements from an enterprise an operator gave no publisher role, whole and changing nothing', async () => {
    const before = await eventCount();
    const forged = await publish(keys.other, move('forged', 'DISC', 1, { container: CONTAINER, billOfLading: BL }));
    expect(forged.status).toBe(403);
    expect(forged.type).toMatch(/^application\/problem\+json/);
    expect(forged.body.code).toBe('EVENT_PUBLISHER_REQUIRED');
    expect(await eventCount()).toBe(before);
    // No read was gained, and the consignee's timeline and current line are the carrier's.
    expect((await timeline(keys.other, `bl=${BL}`)).status).toBe(404);
    expect((await timeline(keys.other, `container=${CONTAINER}`)).status).toBe(404);
    const importer = await timeline(keys.importer, `bl=${BL}`);
    expect(labels(importer.body)).toEqual(['gatein', 'RECE']);
    expect(importer.body.current.text).toMatch(/^gated in at CNSHA/);
  });

  it("refuses a carrier's event on another carrier's bill, or on a container of none of its bills", async () => {
    const before = await eventCount();
    const forged = await publish(
      rogue,
      move('forged', 'DISC', 1, { container: CONTAINER, billOfLading: BL }),
      move('forged', 'GTOT', 1, { container: CONTAINER }),
      move('forged', 'ARRI', 1, { ...VESSEL }, { eventType: 'TRANSPORT' }),
    );
    expect(forged.status).toBe(200);
    expect(codesOf(forged.body)).toEqual([
      '$.references.billOfLading EVENT_REFERENCE_NOT_YOURS',
      '$.references.container EVENT_REFERENCE_NOT_YOURS',
      '$.references.vesselImo EVENT_REFERENCE_NOT_YOURS',
    ]);
    expect(await eventCount()).toBe(before);
    const importer = await timeline(keys.importer, `container=${CONTAINER}`);
    expect(labels(importer.body)).toEqual(['gatein', 'RECE']);
    expect(importer.body.current.text).not.toContain('discharged');
    expect((await timeline(rogue, `bl=${BL}`)).status).toBe(404);
  });

  it('lets a carrier that claims a bill see its own events there, and nothing else anyone said about it', async () => {
    // The rogue carrier is first on a bill nobody carries yet, naming the importer's container: a claim, not a key.
    const claimed = await publish(rogue, move('claim', 'LOAD', 2, { container: CONTAINER, billOfLading: 'ROGUEBL0001' }), move('empty', 'GTOT', 1, { container: CONTAINER }));
    expect(codesOf(claimed.body)).toEqual(['stored', 'stored']);
    const byContainer = await timeline(rogue, `container=${CONTAINER}`);
    expect(byContainer.status).toBe(200);
    expect(labels(byContainer.body)).toEqual(['claim', 'empty']);
    expect(byContainer.body.events.every((event) => event.publisher === ROGUE_CARRIER)).toBe(true);
    // The importer's bill stays the real carrier's and shows none of it.
    expect(labels((await timeline(keys.importer, `bl=${BL}`)).body)).toEqual(['gatein', 'RECE']);
  });

  it('shows who published each event', async () => {
    const discharge = await publish(terminal, move('discharge', 'DISC', 3, { container: CONTAINER, ...VESSEL }));
    expect(codesOf(discharge.body)).toEqual(['stored']);
    const importer = await timeline(keys.importer, `container=${CONTAINER}`);
    const byLabel = new Map(importer.body.events.map((event) => [event.eventId.split('-')[0], event.publisher]));
    expect(byLabel.get('gatein')).toBe(EXPORTER);
    expect(byLabel.get('discharge')).toBe(TERMINAL);
    expect(byLabel.get('empty')).toBe(ROGUE_CARRIER);
  });

  it('lets a terminal or port publish at its own locations only, and only its kinds of event', async () => {
    const atTerminal = await publish(
      terminal,
      move('t1', 'GTOT', 1, { container: OTHER_CONTAINER }),
      move('t2', 'GTOT', 1, { container: OTHER_CONTAINER }, { location: 'CNNGB' }),
      move('t3', 'GTOT', 1, { container: OTHER_CONTAINER }, { location: undefined }),
      move('t4', 'ISSU', 1, { billOfLading: 'TERMBL0001' }, { eventType: 'SHIPMENT' }),
    );
    expect(codesOf(atTerminal.body)).toEqual(['stored', '$.location EVENT_REFERENCE_NOT_YOURS', '$.location EVENT_REFERENCE_NOT_YOURS', '$.eventType EVENT_TYPE_NOT_ALLOWED']);
    const atPort = await publish(port, move('p1', 'ARRI', 1, { ...VESSEL }, { eventType: 'TRANSPORT', location: 'CNNGB' }), move('p2', 'DISC', 1, { container: OTHER_CONTAINER }, { location: 'CNNGB' }));
    expect(codesOf(atPort.body)).toEqual(['stored', '$.eventType EVENT_TYPE_NOT_ALLOWED']);
  });

  it('takes vessel movements from the maritime safety administration, not from other agencies', async () => {
    const arrival = move('msa', 'ARRI', 1, { ...VESSEL }, { eventType: 'TRANSPORT', location: 'CNSHA' });
    expect(codesOf((await publish(msa, arrival)).body)).toEqual(['stored']);
    expect(codesOf((await publish(keys.cus, { ...arrival, eventId: `cus-${randomUUID()}` })).body)).toEqual(['$.eventType EVENT_TYPE_NOT_ALLOWED']);
    expect(codesOf((await publish(msa, move('msa', 'DISC', 1, { container: OTHER_CONTAINER }))).body)).toEqual(['$.eventType EVENT_TYPE_NOT_ALLOWED']);
  });

  it('gives a party a publisher role by the operator, read at the next authentication', async () => {
    const { parties } = t.kouan.services;
    const before = await publish(keys.importer, move('own', 'GTIN', 1, { container: OTHER_CONTAINER, billOfLading: 'OWNBL0001' }));
    expect(before.status).toBe(403);
    await expect(parties.grantRoles(IMPORTER, { roles: ['terminal'] })).rejects.toMatchObject({ code: 'PARTY_INVALID', errors: [{ path: '$.locations', code: 'FIELD_REQUIRED' }] });
    await expect(parties.grantRoles(IMPORTER, { roles: ['carrier', 'customs'] })).rejects.toMatchObject({ code: 'PARTY_INVALID', errors: [{ path: '$.roles[1]', code: 'FIELD_NOT_ALLOWED' }] });
    await expect(parties.grantRoles('CUS', { roles: ['carrier'] })).rejects.toMatchObject({ code: 'PARTY_INVALID' });
    const granted = await parties.grantRoles(IMPORTER, { roles: ['carrier'] });
    expect(granted.roles).toEqual(['declarant', 'carrier']);
    expect(codesOf((await publish(keys.importer, move('own', 'GTIN', 1, { container: OTHER_CONTAINER, billOfLading: 'OWNBL0001' }))).body)).toEqual(['stored']);
    expect((await parties.revokeRoles(IMPORTER, ['carrier'])).roles).toEqual(['declarant']);
    expect((await publish(keys.importer, move('own', 'GTIN', 1, { container: OTHER_CONTAINER, billOfLading: 'OWNBL0001' }))).status).toBe(403);
  });
});
