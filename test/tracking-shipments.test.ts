/**
 * A container reused by several declarations over two voyages, on both stores: its current state is that of the
 * shipment it is on now (its latest voyage and declarations), and its timeline keeps the earlier ones, labelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackingModule, type TrackingService } from '../src/modules/tracking/index.js';
import type { Principal } from '../src/modules/parties/index.js';
import { newId } from '../src/shared/ids.js';
import { openStore, type Store } from '../src/store/store.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();

const NOW = new Date('2026-12-01T12:00:00Z');
const CARRIER: Principal = { partyId: '91310115MA1H7L0Q2K', tenant: 'central', kind: 'enterprise', roles: ['carrier'], keyId: 'k1' };
const CONTAINER = 'MSKU1234565';
// The import voyage (Hamburg to Shanghai) and the export voyage the container is reused on (Shanghai onwards).
const IMPORT = { vesselImo: '9321483', voyage: '012E', billOfLading: 'MEDUDE123456' } as const;
const EXPORT = { vesselImo: '9074729', voyage: '020W', billOfLading: 'MEDUCN654321' } as const;

function movement(code: string, eventTime: string, location: string, references: Record<string, string>, eventType = 'EQUIPMENT'): Record<string, unknown> {
  return { eventId: newId('evt'), eventType, code, classifier: 'ACT', eventTime, location, references: { container: CONTAINER, ...references } };
}

describe.each(kinds)('a container on five declarations over two voyages, on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let tracking: TrackingService;

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    ({ tracking } = createTrackingModule(store.db, store.dialect, (_caller, ids) => Promise.resolve(new Set(ids)), { logger: console, pollMs: 1000, now: () => NOW }));
    // Movements arrive out of order: the export voyage's first, then the import voyage's.
    const result = await tracking.ingest(CARRIER, [
      movement('GTIN', '2026-11-25T01:00:00Z', 'CNSHA', {}),
      movement('LOAD', '2026-11-26T02:00:00Z', 'CNSHA', EXPORT),
      movement('LOAD', '2026-11-02T08:00:00Z', 'DEHAM', IMPORT),
      movement('DISC', '2026-11-20T06:40:00Z', 'CNSHA', IMPORT),
      movement('GTOT', '2026-11-21T09:00:00Z', 'CNSHA', {}),
    ]);
    expect(result.stored).toBe(5);
    // Five declarations, each recorded by the pipeline with the transport it names.
    const clearance = async (submission: string, agency: string | null, code: 'RECE' | 'ACCE' | 'REJE' | 'RELS' | 'INSP', at: string, references: Record<string, string>) =>
      store.db.transaction().execute((trx) => tracking.recordClearance(trx, { submissionId: submission, tenant: 'central', publisher: agency ?? CARRIER.partyId, agency, code, at, references: { container: CONTAINER, ...references } }));
    await clearance('sub_import_1', null, 'RECE', '2026-11-19T02:00:00Z', IMPORT);
    await clearance('sub_import_1', 'CUS', 'RELS', '2026-11-20T09:00:00Z', IMPORT);
    await clearance('sub_import_2', 'CIQ', 'INSP', '2026-11-20T10:00:00Z', { billOfLading: IMPORT.billOfLading });
    // A declaration that names only the container, while the import shipment is under way.
    await clearance('sub_import_3', 'CUS', 'ACCE', '2026-11-20T11:00:00Z', {});
    await clearance('sub_export_1', 'CUS', 'REJE', '2026-11-24T03:00:00Z', EXPORT);
    await clearance('sub_export_2', null, 'RECE', '2026-11-25T03:00:00Z', EXPORT);
    await clearance('sub_export_2', 'CUS', 'RELS', '2026-11-25T08:00:00Z', EXPORT);
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  it("shows only the latest shipment's clearance and movements as current", async () => {
    const { current } = await tracking.timeline(CARRIER, { container: CONTAINER });
    expect(current.shipment).toBe(`vessel ${EXPORT.vesselImo}/${EXPORT.voyage}`);
    expect(Object.keys(current.actual)).toEqual(['GTIN', 'LOAD']);
    expect(current.actual.LOAD?.location).toBe('CNSHA');
    // Customs' latest word on this shipment is the second export declaration's release; the import's inspection is not this shipment's.
    expect(current.clearance.map((entry) => `${entry.agency ?? '-'}:${entry.code}`)).toEqual(['-:RECE', 'CUS:RELS']);
    expect(current.clearance.at(-1)?.eventTime).toBe('2026-11-25T08:00:00.000Z');
    expect(current.text).toBe('loaded at CNSHA 02:00 UTC, clearance received 25 Nov 03:00, customs released 25 Nov 08:00');
  });

  it('keeps the earlier shipment in the timeline, each event labelled with its shipment', async () => {
    const timeline = await tracking.timeline(CARRIER, { container: CONTAINER });
    expect(timeline.events).toHaveLength(12);
    expect(timeline.shipments.map((shipment) => [shipment.id, shipment.current, shipment.submissions])).toEqual([
      [`vessel ${IMPORT.vesselImo}/${IMPORT.voyage}`, false, ['sub_import_1', 'sub_import_2', 'sub_import_3']],
      [`vessel ${EXPORT.vesselImo}/${EXPORT.voyage}`, true, ['sub_export_1', 'sub_export_2']],
    ]);
    const earlier = timeline.events.filter((item) => item.earlier === true);
    expect(earlier.map((item) => item.code)).toEqual(['LOAD', 'RECE', 'DISC', 'RELS', 'INSP', 'ACCE', 'GTOT']);
    expect(timeline.events.filter((item) => item.earlier !== true).every((item) => item.shipment === `vessel ${EXPORT.vesselImo}/${EXPORT.voyage}`)).toBe(true);
  });

  it('a bill of lading or a voyage keeps its own state; rebuild reproduces every state', async () => {
    const importBill = await tracking.timeline(CARRIER, { billOfLading: IMPORT.billOfLading });
    expect(importBill.shipments).toEqual([]);
    expect(importBill.current.clearance.map((entry) => `${entry.agency ?? '-'}:${entry.code}`)).toEqual(['-:RECE', 'CUS:RELS', 'CIQ:INSP']);
    const kept = await tracking.projection();
    expect((await tracking.verify()).differences).toEqual([]);
    await tracking.rebuild();
    expect(await tracking.projection()).toEqual(kept);
  });
});
