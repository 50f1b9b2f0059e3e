/**
 * Replacement and cancellation on both stores: what a later message of the same publisher and document does to the
 * events stored before it (and after it, when it came out of order), in the timeline, the current state, the reads
 * that streams and subscriptions deliver, and the projection that rebuild and verify recompute from the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackingModule, type TrackingEventView, type TrackingService } from '../src/modules/tracking/index.js';
import type { Principal } from '../src/modules/parties/index.js';
import { newId } from '../src/shared/ids.js';
import { openStore, type Store } from '../src/store/store.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();

const NOW = new Date('2026-11-27T12:00:00Z');
const CARRIER: Principal = { partyId: '91310115MA1H7L0Q2K', tenant: 'central', kind: 'enterprise', roles: ['carrier'], keyId: 'k1' };
const OTHER_CARRIER: Principal = { partyId: '91310000MA1K4A2B90', tenant: 'central', kind: 'enterprise', roles: ['carrier'], keyId: 'k2' };

// ISO 6346 numbers with their check digits.
const CONTAINERS = { cancelled: 'MSKU1234565', corrected: 'CSQU3054383', wrongly: 'TGHU8812348', shared: 'MSCU6639870', early: 'MAEU1234567', chain: 'OOLU1234567' };

type Fn = 'original' | 'replacement' | 'cancellation';

function event(container: string, bill: string, overrides: Record<string, unknown>, document?: { id: string; function: Fn }): Record<string, unknown> {
  return {
    eventId: newId('evt'),
    eventType: 'EQUIPMENT',
    code: 'DISC',
    classifier: 'ACT',
    eventTime: '2026-11-27T06:40:00Z',
    location: 'CNSHA',
    references: { container, billOfLading: bill },
    ...overrides,
    ...(document === undefined ? {} : { document }),
  };
}

describe.each(kinds)('replacement and cancellation on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let tracking: TrackingService;
  const visibility = (_caller: Principal, ids: readonly string[]) => Promise.resolve(new Set(ids));

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    ({ tracking } = createTrackingModule(store.db, store.dialect, visibility, { logger: console, pollMs: 1000, now: () => NOW }));
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  async function stored(caller: Principal, events: Record<string, unknown>[]): Promise<void> {
    const result = await tracking.ingest(caller, events);
    expect(result.results.map((item) => item.status)).toEqual(events.map(() => 'stored'));
  }
  const byId = (events: readonly TrackingEventView[], id: unknown) => events.find((item) => item.eventId === id);

  it('a cancellation retracts the events of its document: they stay in the timeline, marked, and leave the current state', async () => {
    const container = CONTAINERS.cancelled;
    const gateIn = event(container, 'MEDU1000001', { code: 'GTIN', eventTime: '2026-11-27T03:00:00Z' });
    const discharge = event(container, 'MEDU1000001', {}, { id: 'IFTSTA-1', function: 'original' });
    await stored(CARRIER, [gateIn, discharge]);
    expect((await tracking.timeline(CARRIER, { container })).current.actual.DISC).toBeDefined();

    const cancellation = event(container, 'MEDU1000001', {}, { id: 'IFTSTA-1', function: 'cancellation' });
    await stored(CARRIER, [cancellation]);
    const timeline = await tracking.timeline(CARRIER, { container });
    expect(timeline.events.map((item) => item.eventId)).toEqual([gateIn.eventId, discharge.eventId, cancellation.eventId]);
    expect(byId(timeline.events, discharge.eventId)?.retractedBy).toBe(cancellation.eventId);
    expect(byId(timeline.events, cancellation.eventId)?.replaces).toEqual([discharge.eventId]);
    expect(byId(timeline.events, gateIn.eventId)?.retractedBy).toBeUndefined();
    // Neither the retracted discharge nor the cancellation itself is a movement.
    expect(Object.keys(timeline.current.actual)).toEqual(['GTIN']);
    expect(timeline.current.lastSeq).toBe(byId(timeline.events, cancellation.eventId)?.seq);
    // The bill of lading's state, another reference of the same events, too.
    expect(Object.keys((await tracking.timeline(CARRIER, { billOfLading: 'MEDU1000001' })).current.actual)).toEqual(['GTIN']);
  });

  it('a replacement supersedes the earlier events of its document, also on a reference only the earlier ones named', async () => {
    // The original reported the wrong container and a later time; the replacement corrects both.
    const original = event(CONTAINERS.wrongly, 'MEDU1000002', { eventTime: '2026-11-27T08:40:00Z' }, { id: 'IFTSTA-2', function: 'original' });
    await stored(CARRIER, [original]);
    const replacement = event(CONTAINERS.corrected, 'MEDU1000002', { eventTime: '2026-11-27T06:40:00Z' }, { id: 'IFTSTA-2', function: 'replacement' });
    await stored(CARRIER, [replacement]);

    const wrongly = await tracking.timeline(CARRIER, { container: CONTAINERS.wrongly });
    expect(wrongly.events[0]?.supersededBy).toBe(replacement.eventId);
    expect(wrongly.current.actual).toEqual({});
    const bill = await tracking.timeline(CARRIER, { billOfLading: 'MEDU1000002' });
    expect(bill.current.actual.DISC).toMatchObject({ eventId: replacement.eventId, eventTime: '2026-11-27T06:40:00.000Z' });
    expect(byId(bill.events, replacement.eventId)?.replaces).toEqual([original.eventId]);

    // Sent again (the same event ids), the replacement changes nothing.
    const before = await tracking.projection();
    const again = await tracking.ingest(CARRIER, [replacement]);
    expect(again.results.map((item) => item.status)).toEqual(['duplicate']);
    expect(await tracking.projection()).toEqual(before);
  });

  it("a replacement or cancellation from another publisher leaves the first publisher's events alone", async () => {
    const container = CONTAINERS.shared;
    const theirs = event(container, 'COSU2000001', {}, { id: 'DOC-9', function: 'original' });
    await stored(OTHER_CARRIER, [theirs]);
    // The same document number from someone else is another document.
    const mine = event(container, 'MEDU1000003', { code: 'GTOT', eventTime: '2026-11-27T09:00:00Z' }, { id: 'DOC-9', function: 'original' });
    const cancellation = event(container, 'MEDU1000003', { code: 'GTOT', eventTime: '2026-11-27T09:00:00Z' }, { id: 'DOC-9', function: 'cancellation' });
    await stored(CARRIER, [mine]);
    await stored(CARRIER, [cancellation]);
    const theirView = await tracking.timeline(OTHER_CARRIER, { billOfLading: 'COSU2000001' });
    expect(theirView.events.map((item) => [item.eventId, item.retractedBy, item.supersededBy])).toEqual([[theirs.eventId, undefined, undefined]]);
    expect(theirView.current.actual.DISC?.eventId).toBe(theirs.eventId);
    const mineView = await tracking.timeline(CARRIER, { billOfLading: 'MEDU1000003' });
    expect(byId(mineView.events, mine.eventId)?.retractedBy).toBe(cancellation.eventId);
    expect(byId(mineView.events, cancellation.eventId)?.replaces).toEqual([mine.eventId]);
  });

  it('out of order: an original after its cancellation is retracted on arrival, an original after its replacement superseded', async () => {
    const container = CONTAINERS.early;
    const cancellation = event(container, 'MEDU1000004', {}, { id: 'CODECO-4', function: 'cancellation' });
    await stored(CARRIER, [cancellation]);
    const late = event(container, 'MEDU1000004', {}, { id: 'CODECO-4', function: 'original' });
    await stored(CARRIER, [late]);
    let timeline = await tracking.timeline(CARRIER, { container });
    expect(byId(timeline.events, late.eventId)?.retractedBy).toBe(cancellation.eventId);
    expect(byId(timeline.events, cancellation.eventId)?.replaces).toEqual([]);
    expect(timeline.current.actual).toEqual({});

    const replacement = event(container, 'MEDU1000004', { code: 'GTOT', eventTime: '2026-11-27T10:00:00Z' }, { id: 'CODECO-5', function: 'replacement' });
    await stored(CARRIER, [replacement]);
    const lateOriginal = event(container, 'MEDU1000004', { code: 'GTIN', eventTime: '2026-11-27T11:00:00Z' }, { id: 'CODECO-5', function: 'original' });
    await stored(CARRIER, [lateOriginal]);
    timeline = await tracking.timeline(CARRIER, { container });
    expect(byId(timeline.events, lateOriginal.eventId)?.supersededBy).toBe(replacement.eventId);
    expect(Object.keys(timeline.current.actual)).toEqual(['GTOT']);
  });

  it('a replacement of a replacement: the last one stored is in force and names everything it replaces', async () => {
    const container = CONTAINERS.chain;
    const bill = 'MEDU1000006';
    const original = event(container, bill, { eventTime: '2026-11-27T09:00:00Z', facility: 'first' }, { id: 'IFTSTA-6', function: 'original' });
    const first = event(container, bill, { eventTime: '2026-11-27T08:00:00Z', facility: 'second' }, { id: 'IFTSTA-6', function: 'replacement' });
    // One message may carry several events: a version is what one ingest stored of it.
    const secondDisc = event(container, bill, { eventTime: '2026-11-27T07:00:00Z', facility: 'third' }, { id: 'IFTSTA-6', function: 'replacement' });
    const secondGate = event(container, bill, { code: 'GTOT', eventTime: '2026-11-27T07:30:00Z' }, { id: 'IFTSTA-6', function: 'replacement' });
    await stored(CARRIER, [original]);
    await stored(CARRIER, [first]);
    const seqBefore = (await tracking.timeline(CARRIER, { container })).current.lastSeq;
    await stored(CARRIER, [secondDisc, secondGate]);

    const timeline = await tracking.timeline(CARRIER, { container });
    expect(byId(timeline.events, original.eventId)?.supersededBy).toBe(secondDisc.eventId);
    expect(byId(timeline.events, first.eventId)?.supersededBy).toBe(secondDisc.eventId);
    expect(byId(timeline.events, secondGate.eventId)?.supersededBy).toBeUndefined();
    expect(timeline.current.actual.DISC).toMatchObject({ facility: 'third', eventTime: '2026-11-27T07:00:00.000Z' });
    expect(timeline.current.actual.GTOT?.eventId).toBe(secondGate.eventId);

    // What streams and subscriptions read and deliver: the new events say what they replace.
    const key = await tracking.followable(CARRIER, { container });
    const delivered = await tracking.eventsAfter(CARRIER, key, seqBefore, 100);
    expect(delivered.events.map((item) => [item.eventId, item.replaces])).toEqual([
      [secondDisc.eventId, [original.eventId, first.eventId]],
      [secondGate.eventId, [original.eventId, first.eventId]],
    ]);
    const shared = await tracking.allEventsAfter(key, 0, 100);
    expect(byId(shared, first.eventId)).toMatchObject({ supersededBy: secondDisc.eventId, replaces: [original.eventId] });
  });

  it('rebuild reproduces the projection ingest kept, byte for byte, and verify finds nothing to put right', async () => {
    const kept = await tracking.projection();
    expect(kept.length).toBeGreaterThan(8);
    expect((await tracking.verify()).differences).toEqual([]);
    await tracking.rebuild();
    expect(await tracking.projection()).toEqual(kept);
    // A tampered state shows: verify is meaningful.
    await store.db.updateTable('tracking_current').set({ summary: '{}' }).where('reference', '=', CONTAINERS.wrongly).execute();
    expect((await tracking.verify()).differences).toEqual([{ tenant: 'central', kind: 'container', reference: CONTAINERS.wrongly, problem: 'different' }]);
    await tracking.rebuild();
    expect(await tracking.projection()).toEqual(kept);
  });
});
