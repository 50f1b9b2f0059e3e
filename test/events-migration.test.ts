/**
 * Migration 0024 over a store from before it, on both stores: the event log is backfilled from submission
 * history and the exchange's outbox and inbox, so the dashboard counts what it counted before the upgrade; agency
 * webhooks become delivery targets and their pending pushes delivery records, which the engine then delivers.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan, type Kouan } from '../src/main.js';
import { openStore } from '../src/store/store.js';
import { APPLES, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, NO_RATE_LIMITS, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { LOCAL_WEBHOOKS, startReceiver, type Receiver } from './support/net.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

/** The tables 0024 moved into the delivery engine's are no longer in the store's types: they are written here as migrations see them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const legacy = (db: object): Kysely<any> => db as Kysely<any>;
const kinds = await storeKinds();
const TABLES_OF_0024 = ['domain_events', 'event_consumers', 'stats_day_counts', 'stats_parts', 'stats_inbox', 'delivery_targets', 'deliveries'];

describe.each(kinds)('migration 0024 over a store from before it on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let operator: string;
  let after: Kouan | undefined;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startTestKouan(kind, LOCAL_WEBHOOKS);
    keys = await cast(t);
    await t.kouan.services.parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    operator = (await t.kouan.services.parties.createKey('ops')).key;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await after?.close();
    await receiver.close();
    await t.store.drop();
  });

  it('backfills the log so stats are the same, and moves pending webhook pushes into delivery records', async () => {
    const submit = async (lines: unknown[]) => {
      const response = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines }) } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<Json>().id as string;
    };
    const decide = async (id: string, key: string, outcome: string, reasons?: Json[]) => {
      const response = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: reasons === undefined ? { outcome } : { outcome, reasons } });
      expect(response.statusCode, response.body).toBe(200);
    };
    const released = await submit([LAPTOPS]);
    await decide(released, keys.cus, 'accepted');
    await decide(released, keys.cus, 'released');
    const rejected = await submit([LAPTOPS, APPLES]);
    await decide(rejected, keys.ciq, 'rejected', [{ message: 'no phytosanitary certificate' }]);
    const waiting = await submit([LAPTOPS]);
    await t.kouan.services.exchange.dispatchPending();
    const inbox = (await t.request('GET', '/api/v1/inbox?limit=500', { key: keys.cus })).json<Json>().messages as Json[];
    const acked = inbox.find((message) => message.submissionId === released && message.kind === 'part.submitted');
    expect((await t.request('POST', `/api/v1/inbox/${String(acked?.messageId)}/ack`, { key: keys.cus })).statusCode).toBe(200);
    const pushed = inbox.find((message) => message.submissionId === waiting);
    const stats = async (app: Kouan) => {
      const response = await app.app.inject({ method: 'GET', url: '/api/v1/stats?days=7', headers: { authorization: `Bearer ${operator}` } });
      expect(response.statusCode, response.body).toBe(200);
      const { generatedAt: _generatedAt, ...body } = response.json<Json>();
      return body;
    };
    const before = await stats(t.kouan);
    expect(before.days.at(-1)).toMatchObject({ submitted: 3, released: 1, rejected: 1 });
    await t.kouan.close();

    // The store as it was before 0024: none of its tables, and an agency webhook with a push being retried.
    const config = loadConfig({ dataDir: t.store.config.dataDir, databaseUrl: t.store.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', ...NO_RATE_LIMITS, ...LOCAL_WEBHOOKS });
    const store = await openStore(config.store, { migrate: false });
    const now = new Date().toISOString();
    try {
      for (const table of TABLES_OF_0024) await sql`drop table ${sql.table(table)}`.execute(store.db);
      // 0024 and the later migrations that change its tables run again over the store as it was.
      for (const name of ['0024-events-and-deliveries', '0029-event-log-order']) await sql`delete from kysely_migration where name = ${name}`.execute(store.db);
      await legacy(store.db).insertInto('webhooks').values({ agency: 'CUS', url: `http://127.0.0.1:${receiver.port}/kouan`, secret: 'whsec_old', created_at: now }).execute();
      await legacy(store.db)
        .insertInto('webhook_deliveries')
        .values({ message_id: String(pushed?.messageId), agency: 'CUS', attempts: 2, next_attempt_at: now, last_error: 'HTTP 500', delivered_at: null, failed_at: null, created_at: now })
        .execute();
    } finally {
      await store.close();
    }

    after = await createKouan(config, { startExchange: false });
    expect(await stats(after)).toEqual(before);
    const cus = { authorization: `Bearer ${keys.cus}` };
    expect((await after.app.inject({ method: 'GET', url: '/api/v1/webhook', headers: cus })).json<Json>()).toMatchObject({ pending: 1, delivered: 0, lastError: 'HTTP 500' });
    expect(await after.services.exchange.pushDue(new Date(Date.now() + 60_000))).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers).toMatchObject({ 'kouan-message-id': pushed?.messageId, 'kouan-delivery-attempt': '3' });
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ messageId: pushed?.messageId, submissionId: waiting, kind: 'part.submitted' });
    const records = (await after.app.inject({ method: 'GET', url: '/api/v1/webhook/deliveries', headers: cus })).json<Json>();
    expect(records.deliveries).toEqual([expect.objectContaining({ key: pushed?.messageId, status: 'delivered', attempts: 3, lastStatus: 204 })]);
    // The push acknowledged the message: one pending message fewer for customs.
    const cusAfter = (await stats(after)).agencies.find((agency: Json) => agency.agency === 'CUS');
    const cusBefore = (before.agencies as Json[]).find((agency) => agency.agency === 'CUS');
    expect(cusAfter.inboxPending).toBe((cusBefore?.inboxPending as number) - 1);
  });
});
