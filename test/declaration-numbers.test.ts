/**
 * The 18-digit declaration number (报关单号) on both stores: office 4 + year 4 + 1 import / 0 export + sequence
 * 9, given in the transaction that stores the submission, per office, year and direction, without gaps (a
 * refused declaration takes none) or duplicates (50 at once get 50 consecutive numbers); shown on the views and
 * lists, found by number; existing submissions numbered by migration 0020 in submission order.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan } from '../src/main.js';
import { openStore, migrate } from '../src/store/store.js';
import { yearIn } from '../src/modules/submissions/declaration-number.js';
import { EXPORTER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { NO_RATE_LIMITS, cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { createTestStore, storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const year = () => yearIn(new Date().toISOString(), 'Asia/Shanghai');

const exportDeclaration = (overrides: Json = {}) =>
  importDeclaration({
    direction: 'export',
    declarant: EXPORTER,
    consignor: { id: EXPORTER, name: 'Shenzhen Example Electronics' },
    consignee: { name: 'Example Retail BV', country: 'NL' },
    portOfEntry: undefined,
    portOfExit: 'CNSZX',
    countryOfDispatch: undefined,
    countryOfDestination: 'NL',
    customsOffice: '5301',
    ...overrides,
  });

describe.each(kinds)('declaration numbers on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let exporter: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    exporter = await t.enterprise(EXPORTER);
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (data: Json, key = keys.broker) => t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data } });

  it('numbers per office, year and direction, from 1; a refused declaration takes no number', async () => {
    const first = await submit(importDeclaration());
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<Json>().number).toBe(`2201${year()}1000000001`);
    const refused = await submit(importDeclaration({ currency: 'XXQ' }));
    expect(refused.statusCode).toBe(422);
    const second = await submit(importDeclaration());
    expect(second.json<Json>().number).toBe(`2201${year()}1000000002`);
    // Another office, and the other direction, count on their own.
    expect((await submit(importDeclaration({ customsOffice: '5301' }))).json<Json>().number).toBe(`5301${year()}1000000001`);
    const exported = await submit(exportDeclaration(), exporter);
    expect(exported.statusCode, exported.body).toBe(201);
    expect(exported.json<Json>().number).toBe(`5301${year()}0000000001`);
    expect(exported.json<Json>().number).toMatch(/^\d{18}$/);
  });

  it('shows the number on the view and the list, and finds a submission by it (path, ?number=, q prefix)', async () => {
    const created = (await submit(importDeclaration({ customsOffice: '4201' }))).json<Json>();
    const number = `4201${year()}1000000001`;
    expect(created.number).toBe(number);
    const byNumber = await t.request('GET', `/api/v1/submissions/${number}`, { key: keys.importer });
    expect(byNumber.statusCode, byNumber.body).toBe(200);
    expect(byNumber.json<Json>()).toMatchObject({ id: created.id, number });
    expect((await t.request('GET', `/api/v1/submissions/${created.id}`, { key: keys.broker })).json<Json>().number).toBe(number);
    // The agency the part went to finds it by number too; another enterprise does not.
    expect((await t.request('GET', `/api/v1/submissions/${number}`, { key: keys.cus })).json<Json>()).toMatchObject({ id: created.id, number });
    expect((await t.request('GET', `/api/v1/submissions/${number}`, { key: keys.other })).statusCode).toBe(404);
    const listed = (await t.request('GET', `/api/v1/submissions?number=${number}`, { key: keys.broker })).json<Json>();
    expect(listed.submissions.map((submission: Json) => submission.id)).toEqual([created.id]);
    const prefixed = (await t.request('GET', `/api/v1/submissions?q=4201${year()}1`, { key: keys.broker })).json<Json>();
    expect(prefixed.submissions.map((submission: Json) => submission.number)).toEqual([number]);
    const worklist = (await t.request('GET', '/api/v1/submissions?limit=200', { key: keys.broker })).json<Json>();
    expect(worklist.submissions.every((submission: Json) => /^\d{18}$/.test(submission.number))).toBe(true);
    const bad = await t.request('GET', '/api/v1/submissions?number=2201', { key: keys.broker });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Json>().errors[0].path).toBe('querystring:$.number');
  });

  it('names the declaration by its number in the problems about it', async () => {
    const created = (await submit(importDeclaration({ customsOffice: '2203' }))).json<Json>();
    const cancel = () => t.request('POST', `/api/v1/submissions/${created.id}/cancel`, { key: keys.broker });
    expect((await cancel()).statusCode).toBe(200);
    const again = await cancel();
    expect(again.statusCode).toBe(409);
    expect(again.json<Json>()).toMatchObject({ code: 'SUBMISSION_CLOSED', submissionId: created.id, number: created.number });
    const decided = await t.request('POST', `/api/v1/submissions/${created.id}/decisions`, { key: keys.cus, body: { outcome: 'accepted' } });
    expect(decided.json<Json>()).toMatchObject({ code: 'SUBMISSION_CLOSED', number: created.number });
  });

  it('tells the agency the number in its inbox message', async () => {
    const created = (await submit(importDeclaration({ customsOffice: '2202' }))).json<Json>();
    await t.kouan.services.exchange.dispatchPending();
    const inbox = (await t.request('GET', '/api/v1/inbox?limit=500', { key: keys.cus })).json<Json>();
    const message = inbox.messages.find((candidate: Json) => candidate.submissionId === created.id || candidate.payload?.submissionId === created.id);
    expect(message?.payload?.number).toBe(created.number);
  });

  it('gives 50 submissions at once 50 distinct consecutive numbers', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => submit(importDeclaration({ customsOffice: '3100' }))));
    expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 50 }, () => 201));
    const numbers = responses.map((response) => response.json<Json>().number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, index) => `3100${year()}1${String(index + 1).padStart(9, '0')}`));
    const stored = await t.kouan.services.store.db.selectFrom('declaration_counters').selectAll().where('office', '=', '3100').execute();
    expect(stored.map((row) => Number(row.last))).toEqual([50]);
  });
});

describe.each(kinds)('migration 0020 over submissions stored before it on %s', (kind) => {
  it('numbers them in submission order and the counter carries on from there', async () => {
    const testStore = await createTestStore(kind);
    const config = loadConfig({ dataDir: testStore.config.dataDir, databaseUrl: testStore.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', ...NO_RATE_LIMITS });
    try {
      const before = await createKouan(config, { startExchange: false });
      await before.services.parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Importer', roles: ['declarant'] });
      const key = (await before.services.parties.createKey(IMPORTER)).key;
      const ids: string[] = [];
      for (const customsOffice of ['2201', '2201', '5301', '2201']) {
        const response = await before.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${key}` }, payload: { docType: 'goods-declaration', data: importDeclaration({ declarant: IMPORTER, customsOffice }) } });
        expect(response.statusCode, response.body).toBe(201);
        ids.push(response.json<Json>().id);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await before.close();
      // The store as it was before 0020.
      const store = await openStore(config.store, { migrate: false });
      await sql`drop index submissions_number`.execute(store.db);
      await sql`alter table submissions drop column number`.execute(store.db);
      await sql`drop table declaration_counters`.execute(store.db);
      await sql`delete from kysely_migration where name = ${'0020-declaration-numbers'}`.execute(store.db);
      await migrate(store);
      const rows = await store.db.selectFrom('submissions').select(['id', 'number']).execute();
      await store.close();
      const numberOf = new Map(rows.map((row) => [row.id, row.number]));
      const y = year();
      expect(ids.map((id) => numberOf.get(id))).toEqual([`2201${y}1000000001`, `2201${y}1000000002`, `5301${y}1000000001`, `2201${y}1000000003`]);

      const after = await createKouan(config, { startExchange: false });
      const next = await after.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${key}` }, payload: { docType: 'goods-declaration', data: importDeclaration({ declarant: IMPORTER }) } });
      await after.close();
      expect(next.json<Json>().number).toBe(`2201${y}1000000004`);
    } finally {
      await testStore.drop();
    }
  });
});
