/**
 * A stream's viewer standing (tracking.access.ts, Standing) decides exactly what the timeline rule decides: on both
 * stores, seeded random batches of events on one container (with and without bills and submissions, inside and
 * outside the shipment windows, by a carrier and an operator) are shown to each viewer, batch by batch, as
 * `eventsAfter` (the rule read over the whole log) shows them, while the standing reads the log once per reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/modules/parties/index.js';
import { createTrackingModule, type TrackingService } from '../src/modules/tracking/index.js';
import { openStore, type Store } from '../src/store/store.js';
import { prng } from './support/prng.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();
const CONTAINER = 'CSQU3054383';
const DAY = 86_400_000;
const NOW = new Date('2026-11-27T12:00:00Z');

const enterprise = (partyId: string, roles: Principal['roles']): Principal => ({ partyId, tenant: 'central', kind: 'enterprise', roles, keyId: `k-${partyId}` });
const CARRIER = enterprise('91310115MA1H7L0Q2K', ['carrier']);
const IMPORTER = enterprise('91310000MA1K4A2B90', ['declarant']);
const OUTSIDER = enterprise('9131011566MA1X3Y4T', ['declarant']);
const OPERATOR: Principal = { partyId: 'ops', tenant: 'central', kind: 'operator', roles: ['operator'], keyId: 'k-ops' };
const CUSTOMS: Principal = { partyId: 'CUS', tenant: 'central', kind: 'agency', roles: ['agency'], keyId: 'k-cus' };
const VIEWERS = [IMPORTER, OUTSIDER, CARRIER, CUSTOMS, OPERATOR];

// The importer's declaration is sub_a, another shipper's sub_b; the carrier and the authorities see both.
const visibility = (caller: Principal, ids: readonly string[]) =>
  Promise.resolve(new Set(ids.filter((id) => caller.kind !== 'enterprise' || caller.partyId === CARRIER.partyId || (id === 'sub_a' && caller.partyId === IMPORTER.partyId) || (id === 'sub_b' && caller.partyId === OUTSIDER.partyId))));

describe.each(kinds)('stream standing on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let tracking: TrackingService;

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    ({ tracking } = createTrackingModule(store.db, store.dialect, visibility, { logger: console, pollMs: 1000, now: () => NOW }));
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  it('shows each viewer, batch by batch, what the timeline rule shows it', async () => {
    const random = prng(20261201);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const key = { tenant: 'central', kind: 'container', value: CONTAINER } as const;
    const standings = VIEWERS.map((viewer) => tracking.standingOf(viewer));
    // Half of them read their standing when they join (as a stream's first follower does), half at their first event.
    for (const standing of standings.filter((_standing, index) => index % 2 === 0)) standing.prime(key);
    let cursor = 0;
    let serial = 0;
    let shown = 0;
    // The carrier first puts the box on its bill, so that its later bill-less events are its own.
    const batches: Record<string, unknown>[][] = [[{ eventId: 'first', eventType: 'EQUIPMENT', code: 'STUF', classifier: 'ACT', eventTime: new Date(NOW.getTime() - 100 * DAY).toISOString(), references: { container: CONTAINER, billOfLading: 'CARRBL0001' } }]];
    for (let batch = 0; batch < 12; batch += 1) {
      batches.push(
        Array.from({ length: 1 + Math.floor(random() * 15) }, () => {
          serial += 1;
          const references: Record<string, string> = { container: CONTAINER };
          const bill = pick([undefined, undefined, 'CARRBL0001', 'CARRBL0002']);
          if (bill !== undefined) references.billOfLading = bill;
          const submission = pick([undefined, undefined, undefined, 'sub_a', 'sub_b']);
          if (submission !== undefined) references.submission = submission;
          return { eventId: `ev-${serial}`, eventType: 'EQUIPMENT', code: pick(['GTIN', 'LOAD', 'DISC', 'GTOT']), classifier: 'ACT', eventTime: new Date(NOW.getTime() - Math.floor(random() * 200) * DAY).toISOString(), location: 'CNSHA', references };
        }),
      );
    }
    for (const events of batches) {
      const publisher = events[0]?.eventId === 'first' ? CARRIER : pick([CARRIER, OPERATOR]);
      const answer = await tracking.ingest(publisher, events);
      expect(answer.rejected, JSON.stringify(answer.results.filter((result) => result.status === 'rejected'))).toBe(0);
      const fresh = await tracking.allEventsAfter(key, cursor, 1000);
      for (const [index, viewer] of VIEWERS.entries()) {
        const byRule = (await tracking.eventsAfter(viewer, key, cursor, 1000)).events.map((event) => event.eventId);
        const byStanding = (await standings[index]?.visible(fresh))?.map((event) => event.eventId);
        expect(byStanding, `${viewer.partyId} after ${cursor}`).toEqual(byRule);
        shown += byRule.length;
      }
      cursor = fresh.at(-1)?.seq ?? cursor;
    }
    // The run means something: viewers were shown some events and not others.
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(VIEWERS.length * serial);
  });
});
