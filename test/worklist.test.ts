/**
 * The worklist of GET /api/v1/submissions on both stores (docs/api.md "Reading"): newest or oldest first, paged
 * with a cursor in either order without losing or repeating a submission, `q` by id prefix or by the declarant's
 * or trader's code, and an agency's `status` filter on its own part. Bad queries are 400 with the field at fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLES, BROKER, IMPORTER, LAPTOPS, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();

describe.each(kinds)('the submissions worklist on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  /** The importer's declarations by its broker, oldest first: laptops only, then laptops and apples, alternately. */
  const byBroker: string[] = [];
  let ownDeclaration: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    for (let index = 0; index < 7; index += 1) {
      const lines = index % 2 === 0 ? [LAPTOPS] : [LAPTOPS, APPLES];
      const response = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines }) } });
      expect(response.statusCode).toBe(201);
      byBroker.push(response.json<Json>().id);
      // Ids order by their millisecond; two in one millisecond would order at random.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const own = await t.request('POST', '/api/v1/submissions', {
      key: keys.other,
      body: { docType: 'goods-declaration', data: importDeclaration({ declarant: OTHER_ENTERPRISE, consignee: { id: OTHER_ENTERPRISE, name: 'Other' } }) },
    });
    expect(own.statusCode).toBe(201);
    ownDeclaration = own.json<Json>().id;
  });
  afterAll(async () => {
    await t.close();
  });

  const page = async (key: string, query: string) => {
    const response = await t.request('GET', `/api/v1/submissions?${query}`, { key });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ submissions: Json[]; next: string | null }>();
  };
  /** Every submission of a listing, following `next` from page to page. */
  const all = async (key: string, query: string) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: { submissions: Json[]; next: string | null } = await page(key, `${query}&limit=3${cursor === null ? '' : `&cursor=${cursor}`}`);
      ids.push(...body.submissions.map((submission) => String(submission.id)));
      cursor = body.next;
      pages += 1;
    } while (cursor !== null && pages < 20);
    return ids;
  };

  it('lists newest first by default and with order=newest, oldest first with order=oldest, in pages either way', async () => {
    const oldestFirst = [...byBroker];
    expect(await all(keys.importer, 'order=oldest')).toEqual(oldestFirst);
    expect(await all(keys.importer, 'order=newest')).toEqual([...oldestFirst].reverse());
    expect((await page(keys.importer, '')).submissions.map((submission) => submission.id)).toEqual([...oldestFirst].reverse());
    // A page is in order, and the cursor continues after its last submission.
    const first = await page(keys.importer, 'order=oldest&limit=2');
    expect(first.submissions.map((submission) => submission.id)).toEqual(oldestFirst.slice(0, 2));
    expect(first.next).toBe(oldestFirst[1]);
    expect((await page(keys.importer, `order=oldest&limit=2&cursor=${first.next ?? ''}`)).submissions.map((submission) => submission.id)).toEqual(oldestFirst.slice(2, 4));
  });

  it('pages an agency worklist filtered on its own part status, oldest first', async () => {
    // Customs accepts the 2nd, 4th and 6th; inspection rejects the 4th (which cancels the customs part).
    for (const id of [byBroker[1], byBroker[3], byBroker[5]]) {
      expect((await t.request('POST', `/api/v1/submissions/${id ?? ''}/decisions`, { key: keys.cus, body: { outcome: 'accepted' } })).statusCode).toBe(200);
    }
    expect((await t.request('POST', `/api/v1/submissions/${byBroker[3] ?? ''}/decisions`, { key: keys.ciq, body: { outcome: 'rejected', reasons: [{ message: 'no phytosanitary certificate' }] } })).statusCode).toBe(200);

    const accepted = await all(keys.cus, 'status=accepted&order=oldest');
    expect(accepted).toEqual([byBroker[1], byBroker[5]]);
    const listing = await page(keys.cus, 'status=accepted&order=oldest');
    expect(listing.submissions.map((submission) => submission.status)).toEqual(['accepted', 'accepted']);
    expect(listing.submissions.every((submission) => submission.parts.length === 1 && submission.parts[0].agency === 'CUS')).toBe(true);
    // Inspection's part of the 2nd is still submitted: on its list, with its own status.
    expect(await all(keys.ciq, 'status=submitted&order=oldest')).toEqual([byBroker[1], byBroker[5]]);
    expect(await all(keys.ciq, 'status=rejected&order=newest')).toEqual([byBroker[3]]);
    expect(await all(keys.cus, 'status=cancelled&order=newest')).toEqual([byBroker[3]]);
    // The customs part of the 1st, 3rd, 5th and 7th is untouched; the other enterprise's own declaration too.
    expect(await all(keys.cus, 'status=submitted&order=newest')).toEqual([ownDeclaration, byBroker[6], byBroker[4], byBroker[2], byBroker[0]]);
  });

  it('finds by id prefix, or by the declarant or trader code, among what the caller may see', async () => {
    const target = byBroker[2] ?? '';
    expect(await all(keys.importer, `q=${target}`)).toEqual([target]);
    expect(await all(keys.importer, `q=${target.slice(0, -2)}`)).toContain(target);
    expect(await all(keys.importer, 'q=sub_&order=oldest')).toEqual(byBroker);
    expect(await all(keys.importer, `q=${BROKER}&order=oldest`)).toEqual(byBroker);
    expect(await all(keys.broker, `q=${IMPORTER}&order=oldest`)).toEqual(byBroker);
    // Exact, case and all; the other enterprise's declaration is not the importer's to find.
    expect(await all(keys.importer, `q=${target.toLowerCase()}`)).toEqual([]);
    expect(await all(keys.importer, `q=${BROKER.slice(0, 10)}`)).toEqual([]);
    expect(await all(keys.importer, `q=${OTHER_ENTERPRISE}`)).toEqual([]);
    expect(await all(keys.importer, `q=${ownDeclaration}`)).toEqual([]);
    expect(await all(keys.cus, `q=${OTHER_ENTERPRISE}`)).toEqual([ownDeclaration]);
    // With the other filters, in both orders.
    expect(await all(keys.cus, `q=${BROKER}&status=accepted&order=oldest`)).toEqual([byBroker[1], byBroker[5]]);
    expect(await all(keys.ciq, `q=${BROKER}&order=newest`)).toEqual([byBroker[5], byBroker[3], byBroker[1]]);
  });

  it('answers a bad order, query or cursor with 400 and the parameter at fault', async () => {
    const cases: [string, string, string][] = [
      ['order=sideways', 'querystring:$.order', 'FIELD_NOT_ALLOWED'],
      ['q=a%20b', 'querystring:$.q', 'FIELD_FORMAT'],
      ['q=', 'querystring:$.q', 'FIELD_FORMAT'],
      [`q=${'a'.repeat(65)}`, 'querystring:$.q', 'FIELD_FORMAT'],
      ['q=%25', 'querystring:$.q', 'FIELD_FORMAT'],
      [`cursor=${'x'.repeat(65)}`, 'querystring:$.cursor', 'FIELD_FORMAT'],
      ['limit=0', 'querystring:$.limit', 'FIELD_FORMAT'],
      ['sort=asc', 'querystring:$.sort', 'FIELD_UNKNOWN'],
    ];
    for (const [query, path, code] of cases) {
      const response = await t.request('GET', `/api/v1/submissions?${query}`, { key: keys.importer });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json<Json>()).toMatchObject({ code: 'REQUEST_INVALID', errors: expect.arrayContaining([expect.objectContaining({ path, code })]) });
    }
  });
});
