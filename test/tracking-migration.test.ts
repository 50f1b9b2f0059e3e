/**
 * Migration 0017 over a log stored before it, on both stores: the document of every earlier event is read back from
 * its stored payload, so replacement and cancellation hold for it too; the old projection (English text, one state
 * per container over all its shipments) is dropped, recomputed by ingest where it is missing and by a rebuild.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan, type Kouan } from '../src/main.js';
import { openStore } from '../src/store/store.js';
import { EXPORTER } from './support/fixtures.js';
import { NO_RATE_LIMITS } from './support/kouan.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();
const CONTAINER = 'MSKU1234565';
const BL = 'MEDUMIG00001';

describe.each(kinds)('migration 0017 over events stored before it on %s', (kind) => {
  let testStore: TestStore;
  let kouan: Kouan | undefined;
  beforeAll(async () => {
    testStore = await createTestStore(kind);
  });
  afterAll(async () => {
    await kouan?.close();
    await testStore.drop();
  });
  const config = () => loadConfig({ dataDir: testStore.config.dataDir, databaseUrl: testStore.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', ...NO_RATE_LIMITS });
  const event = (id: string, code: string, minutesAgo: number, document?: { id: string; function: string }) => ({
    eventId: id, eventType: 'EQUIPMENT', code, classifier: 'ACT', eventTime: new Date(Date.now() - minutesAgo * 60_000).toISOString(), location: 'CNSHA',
    references: { container: CONTAINER, billOfLading: BL }, ...(document === undefined ? {} : { document }),
  });

  it('fills the document columns from the payloads, drops the old projection, and a rebuild makes verify clean', async () => {
    const before = await createKouan(config(), { startExchange: false });
    const key = (await before.services.parties.createParty({ id: EXPORTER, kind: 'enterprise', name: 'Carrier', roles: ['carrier'] }), (await before.services.parties.createKey(EXPORTER)).key);
    const post = (app: Kouan, events: unknown[]) => app.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${key}` }, payload: { events } });
    expect((await post(before, [event('mig-gtin', 'GTIN', 90), event('mig-disc', 'DISC', 60, { id: 'MIG-1', function: 'original' }), event('mig-cancel', 'DISC', 50, { id: 'MIG-1', function: 'cancellation' })])).json()).toMatchObject({ stored: 3 });
    await before.close();
    // The store as it was before 0017: no document columns, a projection with English text in it.
    const store = await openStore(config().store, { migrate: false });
    try {
      await sql`drop index tracking_events_document`.execute(store.db);
      await sql`alter table tracking_events drop column document_id`.execute(store.db);
      await sql`alter table tracking_events drop column document_function`.execute(store.db);
      await sql`update tracking_current set summary = ${'{"text":"discharged at CNSHA 06:40"}'}`.execute(store.db);
      await sql`delete from kysely_migration where name = ${'0017-tracking-documents'}`.execute(store.db);
    } finally {
      await store.close();
    }

    kouan = await createKouan(config(), { startExchange: false });
    const { tracking } = kouan.services;
    expect(await tracking.projection()).toEqual([]);
    const read = async () => (await kouan?.app.inject({ method: 'GET', url: `/api/v1/tracking?bl=${BL}`, headers: { authorization: `Bearer ${key}` } }))?.json<{ events: { eventId: string; retractedBy?: string }[]; current: { actual: Record<string, unknown> } }>();
    const timeline = await read();
    expect(timeline?.events.map((item) => [item.eventId, item.retractedBy ?? null])).toEqual([['mig-gtin', null], ['mig-disc', 'mig-cancel'], ['mig-cancel', null]]);
    expect(Object.keys(timeline?.current.actual ?? {})).toEqual(['GTIN']);

    expect((await tracking.verify()).differences.map((difference) => `${difference.kind} ${difference.problem}`).sort()).toEqual(['billOfLading missing', 'container missing']);
    // Ingest recomputes a missing state from the whole log, not from the new event alone.
    expect((await post(kouan, [event('mig-gtot', 'GTOT', 10)])).json()).toMatchObject({ stored: 1 });
    const bill = (await tracking.projection()).find((row) => row.kind === 'billOfLading');
    expect(Object.keys((JSON.parse(bill?.summary ?? '{}') as { actual: object }).actual)).toEqual(['GTIN', 'GTOT']);
    expect((await tracking.verify()).differences).toEqual([]);
    const kept = await tracking.projection();
    await tracking.rebuild();
    expect(await tracking.projection()).toEqual(kept);
  });
});
