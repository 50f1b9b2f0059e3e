/**
 * Migration 0030 over a store from before it, on both stores: tracking subscriptions become delivery targets of
 * the one delivery engine, the attempts they kept become its records (a delivered push, the push a failing
 * subscription gave up on), a failing subscription stays failing until replayed, and what the owner sees of
 * them reads the same.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan, type Kouan } from '../src/main.js';
import { openStore } from '../src/store/store.js';
import { IMPORTER } from './support/fixtures.js';
import { cast, NO_RATE_LIMITS, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { LOCAL_WEBHOOKS } from './support/net.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

/** The store as migrations see it: the columns 0030 adds are not there yet. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const legacy = (db: object): Kysely<any> => db as Kysely<any>;
const kinds = await storeKinds();
const AT = '2026-11-20T08:00:00.000Z';

describe.each(kinds)('migration 0030 over tracking subscriptions from before it on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let after: Kouan | undefined;

  beforeAll(async () => {
    t = await startTestKouan(kind, LOCAL_WEBHOOKS);
    keys = await cast(t);
  });
  afterAll(async () => {
    await after?.close();
    await t.store.drop();
  });

  it('moves subscriptions to delivery targets and their attempts to records, failing ones still failing', async () => {
    await t.kouan.close();
    const config = loadConfig({ dataDir: t.store.config.dataDir, databaseUrl: t.store.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', ...NO_RATE_LIMITS, ...LOCAL_WEBHOOKS });
    const store = await openStore(config.store, { migrate: false });
    try {
      const db = legacy(store.db);
      // The store as it was before 0030.
      await db.schema.alterTable('tracking_subscriptions').dropColumn('pending_key').execute();
      await db.schema.alterTable('tracking_subscriptions').dropColumn('pending_to').execute();
      await sql`delete from kysely_migration where name = ${'0030-subscription-deliveries'}`.execute(store.db);
      const subscription = (id: string, status: string, cursor: number, head: number) => ({
        id,
        tenant_id: 'central',
        party_id: IMPORTER,
        party_kind: 'enterprise',
        reference_kind: 'billOfLading',
        reference: `BL${id.toUpperCase()}`,
        url: `https://hooks.example.org/${id}`,
        secret: `whsec_${id}`,
        status,
        cursor_seq: cursor,
        head_seq: head,
        attempts: status === 'failing' ? 15 : 0,
        next_attempt_at: AT,
        last_error: status === 'failing' ? 'HTTP 500' : null,
        last_delivered_at: status === 'failing' ? null : AT,
        delivered_events: status === 'failing' ? 0 : 3,
        created_at: AT,
      });
      await db.insertInto('tracking_subscriptions').values([subscription('sub_working', 'active', 12, 12), subscription('sub_failing', 'failing', 4, 9)]).execute();
      const attempt = (subscriptionId: string, n: number, firstSeq: number, lastSeq: number, outcome: string, httpStatus: number) => ({
        subscription_id: subscriptionId,
        attempted_at: `2026-11-20T08:${String(n).padStart(2, '0')}:00.000Z`,
        first_seq: firstSeq,
        last_seq: lastSeq,
        events: lastSeq - firstSeq + 1,
        attempt: n,
        outcome,
        http_status: httpStatus,
        error: outcome === 'delivered' ? null : `HTTP ${String(httpStatus)}`,
      });
      await db
        .insertInto('tracking_deliveries')
        .values([
          attempt('sub_working', 1, 10, 12, 'failed', 503),
          attempt('sub_working', 2, 10, 12, 'delivered', 204),
          ...Array.from({ length: 15 }, (_, index) => attempt('sub_failing', index + 1, 5, 9, 'failed', 500)),
        ])
        .execute();
    } finally {
      await store.close();
    }

    after = await createKouan(config, { startExchange: false });
    const request = async (url: string, method: 'GET' | 'POST' = 'GET') => {
      const response = await after?.app.inject({ method, url, headers: { authorization: `Bearer ${keys.importer}` }, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(response?.statusCode, response?.body).toBe(200);
      return response?.json<Json>() ?? {};
    };

    const working = await request('/api/v1/subscriptions/sub_working');
    expect(working).toMatchObject({ status: 'active', cursor: 12, head: 12, attempts: 0, lastError: null, deliveredEvents: 3, url: 'https://hooks.example.org/sub_working' });
    expect((await request('/api/v1/subscriptions/sub_working/deliveries')).deliveries).toMatchObject([{ status: 'delivered', attempts: 2, lastStatus: 204, firstSeq: 10, lastSeq: 12, events: 3 }]);

    const failing = await request('/api/v1/subscriptions/sub_failing');
    expect(failing).toMatchObject({ status: 'failing', cursor: 4, head: 9, attempts: 15, lastError: 'HTTP 500' });
    expect((await request('/api/v1/subscriptions/sub_failing/deliveries')).deliveries).toMatchObject([{ status: 'failed', attempts: 15, lastStatus: 500, firstSeq: 5, lastSeq: 9, events: 5 }]);
    // The engine now holds where each subscription pushes.
    const targets = await after.services.store.db.selectFrom('delivery_targets').select(['id', 'owner', 'url', 'secret']).where('id', 'like', 'tracking:%').orderBy('id').execute();
    expect(targets).toEqual([
      { id: 'tracking:sub_failing', owner: IMPORTER, url: 'https://hooks.example.org/sub_failing', secret: 'whsec_sub_failing' },
      { id: 'tracking:sub_working', owner: IMPORTER, url: 'https://hooks.example.org/sub_working', secret: 'whsec_sub_working' },
    ]);

    // A replay starts the failing one again, from where it stopped; its given-up push stays in the history.
    expect(await request('/api/v1/subscriptions/sub_failing/replay', 'POST')).toMatchObject({ status: 'active', attempts: 0, cursor: 4 });
    expect((await request('/api/v1/subscriptions/sub_failing/deliveries')).deliveries).toHaveLength(1);
  });
});
