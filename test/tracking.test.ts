/** Tracking on both stores: idempotent, out-of-order ingest, validation, timelines, current state and rebuild. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackingModule, type TrackingService } from '../src/modules/tracking/index.js';
import type { Principal } from '../src/modules/parties/index.js';
import { newId } from '../src/shared/ids.js';
import { openStore, type Store } from '../src/store/store.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();

const NOW = new Date('2026-11-27T12:00:00Z');
const CARRIER: Principal = { partyId: '91310115MA1H7L0Q2K', tenant: 'central', kind: 'enterprise', roles: ['declarant', 'carrier'], keyId: 'k1' };
const CUSTOMS: Principal = { partyId: 'CUS', tenant: 'central', kind: 'agency', roles: ['agency'], keyId: 'k2' };
const MARITIME: Principal = { partyId: 'MSA', tenant: 'central', kind: 'agency', roles: ['agency'], keyId: 'k4' };
const OUTSIDER: Principal = { partyId: '9131011566MA1X3Y4T', tenant: 'central', kind: 'enterprise', roles: ['declarant'], keyId: 'k3' };

// Valid check digits: MSKU1234565 (DESIGN.md), CSQU3054383 (ISO 6346 example); IMO 9321483 and 9074729.
const CONTAINER = 'MSKU1234565';
const OTHER_CONTAINER = 'CSQU3054383';

function event(overrides: Record<string, unknown> = {}, references: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: newId('evt'),
    eventType: 'EQUIPMENT',
    code: 'DISC',
    classifier: 'ACT',
    eventTime: '2026-11-27T06:40:00Z',
    location: 'CNSHA',
    facility: 'Yangshan Phase IV',
    references: { container: CONTAINER, billOfLading: 'MEDUDE123456', vesselImo: '9321483', voyage: '012E', ...references },
    ...overrides,
  };
}

describe.each(kinds)('tracking on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let tracking: TrackingService;
  // Only the carrier "owns" sub_visible; nobody but customs may see sub_secret.
  const visibility = (caller: Principal, ids: readonly string[]) => Promise.resolve(new Set(ids.filter((id) => id === 'sub_visible' || (id === 'sub_secret' && caller.kind === 'agency'))));

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    ({ tracking } = createTrackingModule(store.db, store.dialect, visibility, { logger: console, pollMs: 1000, now: () => NOW }));
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  it('stores a batch that arrives out of order and shows it in event-time order', async () => {
    const gateIn = event({ code: 'GTIN', eventTime: '2026-11-20T08:00:00Z' }, { vesselImo: undefined, voyage: undefined });
    const load = event({ code: 'LOAD', eventTime: '2026-11-21T03:15:00+08:00', location: 'DEHAM' });
    const discharge = event({ code: 'DISC', eventTime: '2026-11-27T06:40:00Z' });
    const result = await tracking.ingest(CARRIER, [discharge, gateIn, load]);
    expect(result).toMatchObject({ stored: 3, duplicates: 0, rejected: 0 });
    expect(result.results.map((item) => [item.index, item.status])).toEqual([[0, 'stored'], [1, 'stored'], [2, 'stored']]);

    const timeline = await tracking.timeline(CARRIER, { container: CONTAINER });
    expect(timeline.events.map((item) => item.code)).toEqual(['GTIN', 'LOAD', 'DISC']);
    // Stored in UTC, whatever zone it was sent in.
    expect(timeline.events[1]?.eventTime).toBe('2026-11-20T19:15:00.000Z');
    expect(timeline.events.map((item) => item.seq)).toEqual([result.results[1]?.seq, result.results[2]?.seq, result.results[0]?.seq]);
    expect(timeline.current.text).toBe('discharged at CNSHA 06:40 UTC');
    expect(timeline.current.actual.DISC?.location).toBe('CNSHA');
  });

  it('stores a republished event once, and rejects an event id reused with other content', async () => {
    const original = event({ code: 'GTOT', eventTime: '2026-11-27T10:00:00Z' }, { container: OTHER_CONTAINER, billOfLading: 'COSU9876543' });
    const first = await tracking.ingest(CARRIER, [original]);
    const again = await tracking.ingest(CARRIER, [original, { ...original }]);
    expect(again).toMatchObject({ stored: 0, duplicates: 2, rejected: 0 });
    expect(again.results[0]?.seq).toBe(first.results[0]?.seq);
    // The same instant in another zone is the same event.
    const sameInstant = await tracking.ingest(CARRIER, [{ ...original, eventTime: '2026-11-27T18:00:00+08:00' }]);
    expect(sameInstant.results[0]?.status).toBe('duplicate');

    const conflicting = await tracking.ingest(CARRIER, [{ ...original, location: 'CNNGB' }]);
    expect(conflicting.results[0]).toMatchObject({ status: 'rejected', errors: [{ path: '$.eventId', code: 'EVENT_ID_CONFLICT' }] });
    // Twice the same new id in one batch: stored once.
    const twin = event({}, { container: OTHER_CONTAINER });
    expect((await tracking.ingest(CARRIER, [twin, twin])).results.map((item) => item.status)).toEqual(['stored', 'duplicate']);
    // Twice a new id in one batch with different content: the first is stored, the second is a conflict.
    const stripped = event({ code: 'STRP' }, { container: OTHER_CONTAINER });
    const clash = await tracking.ingest(CARRIER, [stripped, { ...stripped, code: 'STUF' }]);
    expect(clash.results.map((item) => item.errors?.[0]?.code ?? item.status)).toEqual(['stored', 'EVENT_ID_CONFLICT']);
    expect((await tracking.timeline(CARRIER, { container: OTHER_CONTAINER })).events.find((item) => item.eventId === stripped.eventId)?.code).toBe('STRP');

    const timeline = await tracking.timeline(CARRIER, { container: OTHER_CONTAINER });
    expect(timeline.events.filter((item) => item.eventId === original.eventId)).toHaveLength(1);
    expect(timeline.events.find((item) => item.eventId === original.eventId)?.location).toBe('CNSHA');
  });

  it('rejects each bad event with its codes and stores the good ones of the same batch', async () => {
    const good = event({}, { container: OTHER_CONTAINER });
    const result = await tracking.ingest(CARRIER, [
      event({}, { container: 'MSKU1234566' }),
      event({}, { vesselImo: '9321484' }),
      event({ location: 'cnsha' }),
      event({ eventType: 'TRANSPORT', code: 'DISC' }),
      event({ eventTime: '2026-11-29T00:00:00Z' }),
      event({ classifier: 'EST', eventTime: '2027-12-01T00:00:00Z' }),
      event({ classifier: 'PLN', eventTime: '2029-01-01T00:00:00Z' }),
      event({ eventTime: '2026-02-30T10:00:00Z' }),
      event({ eventTime: '2026-11-27T06:40:00' }),
      event({}, { container: undefined, billOfLading: undefined, vesselImo: undefined, voyage: undefined }),
      event({ eventType: 'CLEARANCE', code: 'RELS' }),
      event({ code: 'XXXX' }),
      event({ colour: 'red' }),
      'not an event',
      event({}, { vesselImo: undefined }),
      good,
    ]);
    const codes = result.results.map((item) => item.errors?.map((error) => `${error.path} ${error.code}`) ?? item.status);
    expect(codes).toEqual([
      ['$.references.container CONTAINER_CHECK_DIGIT'],
      ['$.references.vesselImo IMO_CHECK_DIGIT'],
      ['$.location LOCODE_FORMAT'],
      ['$.code EVENT_CODE_MISMATCH'],
      ['$.eventTime EVENT_TIME_FUTURE'],
      'stored',
      ['$.eventTime EVENT_TIME_FUTURE'],
      ['$.eventTime EVENT_TIME_INVALID'],
      ['$.eventTime EVENT_TIME_INVALID'],
      ['$.references EVENT_REFERENCE_REQUIRED'],
      ['$.eventType EVENT_TYPE_NOT_ALLOWED'],
      ['$.code FIELD_NOT_ALLOWED'],
      ['$.colour FIELD_UNKNOWN'],
      ['$ FIELD_TYPE'],
      ['$.references.vesselImo FIELD_REQUIRED'],
      'stored',
    ]);
    expect(result).toMatchObject({ stored: 2, rejected: 14 });
    expect(result.results[0]?.errors?.[0]?.message).toContain('MSKU1234566');
  });

  it('keeps estimates apart from actual times and says what is expected next', async () => {
    const container = 'TGHU8847339';
    await tracking.ingest(CARRIER, [
      event({ code: 'ARRI', eventType: 'TRANSPORT', classifier: 'PLN', eventTime: '2026-11-28T04:00:00Z' }, { container }),
      event({ code: 'ARRI', eventType: 'TRANSPORT', classifier: 'EST', eventTime: '2026-11-28T09:30:00Z' }, { container }),
      event({ code: 'DEPA', eventType: 'TRANSPORT', classifier: 'EST', eventTime: '2026-11-20T00:00:00Z', location: 'DEHAM' }, { container }),
      event({ code: 'DEPA', eventType: 'TRANSPORT', classifier: 'ACT', eventTime: '2026-11-20T02:10:00Z', location: 'DEHAM' }, { container }),
    ]);
    const { current } = await tracking.timeline(CARRIER, { container });
    expect(Object.keys(current.actual)).toEqual(['DEPA']);
    expect(current.actual.DEPA?.eventTime).toBe('2026-11-20T02:10:00.000Z');
    expect(current.estimated.DEPA?.eventTime).toBe('2026-11-20T00:00:00.000Z');
    expect(current.estimated.ARRI).toMatchObject({ classifier: 'EST', eventTime: '2026-11-28T09:30:00.000Z' });
    expect(current.text).toBe('departed at DEHAM 02:10 UTC, arrival expected at CNSHA 28 Nov 09:30');
  });

  it('records clearance in the caller transaction and summarises it', async () => {
    const container = 'MSCU6639870';
    await tracking.ingest(CARRIER, [event({}, { container })]);
    await store.db.transaction().execute(async (trx) => {
      await tracking.recordClearance(trx, { submissionId: 'sub_visible', tenant: 'central', publisher: CARRIER.partyId, agency: null, code: 'RECE', at: '2026-11-27T07:00:00Z', references: { container } });
      await tracking.recordClearance(trx, { submissionId: 'sub_visible', tenant: 'central', publisher: 'CUS', agency: 'CUS', code: 'RELS', at: '2026-11-27T09:12:00Z', references: { container } });
      await tracking.recordClearance(trx, { submissionId: 'sub_visible', tenant: 'central', publisher: 'CIQ', agency: 'CIQ', code: 'INSP', at: '2026-11-27T08:00:00Z', references: { container } });
    });
    // A rolled-back pipeline step leaves no event.
    await expect(
      store.db.transaction().execute(async (trx) => {
        await tracking.recordClearance(trx, { submissionId: 'sub_visible', tenant: 'central', publisher: 'CUS', agency: 'CUS', code: 'HOLD', at: '2026-11-27T10:00:00Z', references: { container } });
        throw new Error('pipeline failed');
      }),
    ).rejects.toThrow('pipeline failed');

    const byContainer = await tracking.timeline(CARRIER, { container });
    expect(byContainer.current.text).toBe('discharged at CNSHA 06:40 UTC, clearance received 07:00, inspection pending, customs released 09:12');
    const bySubmission = await tracking.timeline(CARRIER, { submission: 'sub_visible' });
    expect(bySubmission.events.map((item) => item.code)).toEqual(['RECE', 'INSP', 'RELS']);
    expect(bySubmission.events.every((item) => item.eventType === 'CLEARANCE' && item.classifier === 'ACT')).toBe(true);
  });

  it('lets an agency publish clearance about itself only, and hides events of submissions the caller cannot see', async () => {
    const container = 'SEGU4043720';
    const result = await tracking.ingest(CUSTOMS, [
      event({ eventType: 'CLEARANCE', code: 'HOLD', eventTime: '2026-11-27T11:00:00Z' }, { container, submission: 'sub_secret' }),
      event({ eventType: 'CLEARANCE', code: 'RELS', agency: 'CIQ' }, { container }),
      event({}, { container }),
    ]);
    expect(result.results.map((item) => item.errors?.[0]?.code ?? item.status)).toEqual(['stored', 'EVENT_AGENCY_MISMATCH', 'EVENT_TYPE_NOT_ALLOWED']);
    expect((await tracking.ingest(CARRIER, [event({}, { container, submission: 'sub_secret' })])).results[0]?.errors?.[0]?.code).toBe('EVENT_SUBMISSION_UNKNOWN');
    await tracking.ingest(CARRIER, [event({}, { container })]);

    const forCustoms = await tracking.timeline(CUSTOMS, { container });
    expect(forCustoms.events.map((item) => item.code)).toEqual(['DISC', 'HOLD']);
    expect(forCustoms.current.text).toBe('discharged at CNSHA 06:40 UTC, customs on hold 11:00');
    // The carrier published the discharge: it sees that, not the hold on a submission it may not see.
    const forCarrier = await tracking.timeline(CARRIER, { container });
    expect(forCarrier.events.map((item) => item.code)).toEqual(['DISC']);
    expect(forCarrier.current.text).toBe('discharged at CNSHA 06:40 UTC');
    // Someone with no standing on the container: it does not exist for them.
    await expect(tracking.timeline(OUTSIDER, { container })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(tracking.timeline(OUTSIDER, { submission: 'sub_secret' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads vessel timelines for all voyages or one', async () => {
    const imo = '9074729';
    // Vessel movements of no bill of lading come from the maritime safety administration (or a port).
    await tracking.ingest(MARITIME, [
      event({ eventType: 'TRANSPORT', code: 'ARRI', eventTime: '2026-11-01T00:00:00Z' }, { container: undefined, billOfLading: undefined, vesselImo: imo, voyage: '001W' }),
      event({ eventType: 'TRANSPORT', code: 'ARRI', eventTime: '2026-11-15T00:00:00Z' }, { container: undefined, billOfLading: undefined, vesselImo: imo, voyage: '002W' }),
    ]);
    expect((await tracking.timeline(CARRIER, { vesselImo: imo })).events).toHaveLength(2);
    expect((await tracking.timeline(CARRIER, { vesselImo: imo, voyage: '002W' })).events.map((item) => item.eventTime)).toEqual(['2026-11-15T00:00:00.000Z']);
  });

  it('rebuilds every current state exactly from the log', async () => {
    const before = await tracking.projection();
    expect(before.length).toBeGreaterThan(10);
    const timelines = await Promise.all([tracking.timeline(CARRIER, { container: CONTAINER }), tracking.timeline(CARRIER, { vesselImo: '9321483', voyage: '012E' })]);
    // Each stored state is what the log says now.
    const { project, render } = await import('../src/modules/tracking/tracking.projection.js');
    for (const timeline of timelines) expect(timeline.current).toEqual(render(project(timeline.reference.kind, timeline.events), { language: 'en', timeZone: 'UTC' }));

    await store.db.deleteFrom('tracking_current').execute();
    expect(await tracking.projection()).toEqual([]);
    const rebuilt = await tracking.rebuild();
    expect(rebuilt.references).toBe(before.length);
    expect(await tracking.projection()).toEqual(before);
    expect(await Promise.all([tracking.timeline(CARRIER, { container: CONTAINER }), tracking.timeline(CARRIER, { vesselImo: '9321483', voyage: '012E' })])).toEqual(timelines);
  });

  it('finds a tampered, missing or stray current state, and a rebuild puts it right', async () => {
    expect((await tracking.verify()).differences).toEqual([]);
    await store.db.updateTable('tracking_current').set({ summary: '{"text":"forged"}' }).where('reference_kind', '=', 'container').where('reference', '=', CONTAINER).execute();
    await store.db.deleteFrom('tracking_current').where('reference_kind', '=', 'billOfLading').where('reference', '=', 'MEDUDE123456').execute();
    await store.db.insertInto('tracking_current').values({ tenant_id: 'central', reference_kind: 'container', reference: 'TGHU8812348', summary: '{}', last_seq: 1 }).execute();
    const { differences } = await tracking.verify();
    expect(differences.map((difference) => `${difference.kind}:${difference.reference}:${difference.problem}`).sort()).toEqual([
      `billOfLading:MEDUDE123456:missing`,
      `container:${CONTAINER}:different`,
      'container:TGHU8812348:extra',
    ]);
    await tracking.rebuild();
    expect((await tracking.verify()).differences).toEqual([]);
  });
});
