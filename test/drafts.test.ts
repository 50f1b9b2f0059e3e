/**
 * Drafts over HTTP on both stores (docs/api.md "Drafts"): an enterprise keeps unfinished declarations, lists them
 * most recently saved first, saves with optimistic concurrency (a body `version` or If-Match), and deletes them;
 * another party's draft does not exist for it, agencies and operators may not call, and a party keeps at most
 * 200. Bad input is a problem with the field's path and stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CALLER } from '../src/modules/users/index.js';
import { EXPORTER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { uscc } from './support/matrix.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const PASSWORD = 'a long enough drafts passphrase';

describe.each(kinds)('drafts on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let operator: string;
  let readOnly: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    const { parties, users } = t.kouan.services;
    await parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    operator = (await parties.createKey('ops')).key;
    readOnly = (await users.createKey(CONSOLE_CALLER, { partyId: IMPORTER, scopes: ['submissions:read'], label: 'read only' })).key;
  });
  afterAll(async () => {
    await t.close();
  });

  const unfinished = (overrides: Json = {}) => {
    const { lines: _lines, ...rest } = importDeclaration(overrides);
    return rest;
  };
  const create = (body: unknown, key = keys.importer) => t.request('POST', '/api/v1/drafts', { key, body });
  const created = async (body: Json, key = keys.importer) => {
    const response = await create(body, key);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>();
  };
  const get = (id: string, key = keys.importer) => t.request('GET', `/api/v1/drafts/${id}`, { key });
  const save = (id: string, body: unknown, key = keys.importer, headers: Record<string, string> = {}) => t.request('PUT', `/api/v1/drafts/${id}`, { key, body, headers });
  const count = async () => Number((await t.kouan.services.store.db.selectFrom('drafts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const list = async (query = '', key = keys.importer) => {
    const response = await t.request('GET', `/api/v1/drafts${query}`, { key });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ drafts: Json[]; next: string | null }>();
  };

  it('keeps a draft with 201, a Location and an ETag, and gives it back whole', async () => {
    const data = unfinished();
    const response = await create({ docType: 'goods-declaration', title: 'Laptops from Hamburg', data });
    expect(response.statusCode).toBe(201);
    const draft = response.json<Json>();
    const me = (await t.request('GET', '/api/v1/me', { key: keys.importer })).json<Json>();
    expect(draft).toEqual({
      id: expect.stringMatching(/^dft_[0-9A-Z]{26}$/),
      docType: 'goods-declaration',
      title: 'Laptops from Hamburg',
      version: 1,
      createdBy: me.key,
      updatedBy: me.key,
      createdAt: expect.any(String),
      updatedAt: draft.createdAt,
      data,
      attachments: [],
    });
    expect(response.headers.location).toBe(`/api/v1/drafts/${draft.id}`);
    expect(response.headers.etag).toBe('"1"');

    const read = await get(draft.id);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(draft);
    // Without a title it has none; data is kept as sent, unvalidated, long numbers and all.
    const raw = await t.kouan.app.inject({
      method: 'POST',
      url: '/api/v1/drafts',
      headers: { authorization: `Bearer ${keys.importer}`, 'content-type': 'application/json' },
      payload: '{"docType": "goods-declaration", "data": {"lines": [{"quantity": 12345678901234567890}], "anything": {"nested": [true, null]}}}',
    });
    expect(raw.statusCode).toBe(201);
    const bare = raw.json<Json>();
    expect(bare.title).toBeNull();
    expect(bare.data).toEqual({ lines: [{ quantity: '12345678901234567890' }], anything: { nested: [true, null] } });
  });

  it('keeps the files a draft carries: given back with it, kept by a save that names none, replaced by one that does', async () => {
    const invoice = { kind: 'invoice', sha256: 'a'.repeat(64), name: 'invoice-2026-001.pdf', mediaType: 'application/pdf', size: 48213 };
    const photo = { kind: 'photo', sha256: 'b'.repeat(64), name: '货物照片.jpg', mediaType: 'image/jpeg', size: 1024 };
    const draft = await created({ docType: 'goods-declaration', data: unfinished(), attachments: [invoice] });
    expect(draft.attachments).toEqual([invoice]);
    expect((await get(draft.id)).json<Json>().attachments).toEqual([invoice]);
    // A save without attachments (a client that knows none) leaves them as they were.
    const kept = await save(draft.id, { data: unfinished({ customsOffice: '2202' }) });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json<Json>().attachments).toEqual([invoice]);
    const replaced = await save(draft.id, { data: unfinished(), attachments: [photo, invoice] });
    expect(replaced.json<Json>().attachments).toEqual([photo, invoice]);
    expect((await save(draft.id, { data: unfinished(), attachments: [] })).json<Json>().attachments).toEqual([]);
    // Listed without them, as without the data.
    expect((await list()).drafts.find((summary) => summary.id === draft.id)).not.toHaveProperty('attachments');
    // A file is named as a submission names it: a bad one is 400 at its field, and nothing changes.
    const before = (await get(draft.id)).json<Json>();
    for (const [bad, path] of [
      [{ ...invoice, sha256: 'not a hash' }, 'body:$.attachments[0].sha256'],
      [{ ...invoice, name: '../etc/passwd' }, 'body:$.attachments[0].name'],
      [{ ...invoice, mediaType: 'text/html' }, 'body:$.attachments[0].mediaType'],
    ] as const) {
      const refused = await save(draft.id, { data: unfinished(), attachments: [bad] });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<Json>().errors).toContainEqual(expect.objectContaining({ path }));
    }
    expect((await get(draft.id)).json<Json>()).toEqual(before);
  });

  it('records the person of a portal session as its author', async () => {
    const { users } = t.kouan.services;
    const person = await users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email: 'drafter@example.cn', name: 'Draft Writer', roles: ['declarant'], password: PASSWORD, mustChangePassword: false });
    const login = await t.request('POST', '/api/v1/session', { body: { email: 'drafter@example.cn', password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = /kouan_session=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1] ?? '';
    const csrf = String(login.json<Json>().csrfToken);
    const response = await t.kouan.app.inject({
      method: 'POST',
      url: '/api/v1/drafts',
      headers: { cookie: `kouan_session=${cookie}`, 'x-csrf-token': csrf },
      payload: { docType: 'goods-declaration', data: unfinished() },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json<Json>()).toMatchObject({ createdBy: person.id, updatedBy: person.id });
  });

  it('lists the party’s drafts most recently saved first, in pages, without their data', async () => {
    const exporter = await t.enterprise(EXPORTER);
    const ids: string[] = [];
    // A millisecond apart at least: saves within one millisecond order by id, at random.
    const tick = () => new Promise((resolve) => setTimeout(resolve, 2));
    for (const title of ['one', 'two', 'three', 'four', 'five']) {
      ids.push((await created({ docType: 'goods-declaration', title, data: unfinished() }, exporter)).id);
      await tick();
    }
    // Saving the oldest brings it to the front.
    expect((await save(ids[0] ?? '', { data: unfinished({ customsOffice: '2202' }) }, exporter)).statusCode).toBe(200);

    const seen: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: { drafts: Json[]; next: string | null } = await list(`?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, exporter);
      expect(page.drafts.length).toBeLessThanOrEqual(2);
      seen.push(...page.drafts);
      cursor = page.next;
    } while (cursor !== null);
    expect(seen.map((draft) => draft.title)).toEqual(['one', 'five', 'four', 'three', 'two']);
    expect(seen[0]).toEqual({ id: ids[0], docType: 'goods-declaration', title: 'one', version: 2, createdBy: expect.any(String), updatedBy: expect.any(String), createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(seen.every((draft) => !('data' in draft))).toBe(true);

    // Another party's list does not show them; a filter on another document type shows nothing.
    expect((await list('', keys.importer)).drafts.some((draft) => ids.includes(String(draft.id)))).toBe(false);
    expect((await list('?docType=goods-declaration', exporter)).drafts).toHaveLength(5);
    expect((await list('?docType=exhibition-goods', exporter)).drafts).toEqual([]);
  });

  it('saves with a version or If-Match, and answers a stale save with 409 DRAFT_VERSION_CONFLICT, changing nothing', async () => {
    const draft = await created({ docType: 'goods-declaration', title: 'Concurrent', data: unfinished() });
    const first = await save(draft.id, { data: unfinished({ customsOffice: '2202' }), version: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    // The title stays when not sent.
    expect(first.json<Json>()).toMatchObject({ version: 2, title: 'Concurrent', data: { customsOffice: '2202' } });

    // A second person, who read version 1, saves over it: refused, with the version now there.
    const stale = await save(draft.id, { data: unfinished({ customsOffice: '9999' }), version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json<Json>()).toMatchObject({ code: 'DRAFT_VERSION_CONFLICT', version: 2 });
    const zh = await save(draft.id, { data: unfinished(), version: 1 }, keys.importer, { 'accept-language': 'zh' });
    expect(zh.json<Json>().title).toContain('草稿');
    const staleByHeader = await save(draft.id, { data: unfinished({ customsOffice: '9999' }) }, keys.importer, { 'if-match': '"1"' });
    expect(staleByHeader.statusCode).toBe(409);
    expect((await get(draft.id)).json<Json>()).toMatchObject({ version: 2, data: { customsOffice: '2202' } });

    for (const ifMatch of ['"2"', 'W/"3"', '4']) {
      const saved = await save(draft.id, { data: unfinished({ customsOffice: '2203' }), title: null }, keys.importer, { 'if-match': ifMatch });
      expect(saved.statusCode, ifMatch).toBe(200);
    }
    expect((await get(draft.id)).json<Json>()).toMatchObject({ version: 5, title: null });
    // `*`, or no precondition at all, saves over whatever is there.
    expect((await save(draft.id, { data: unfinished() }, keys.importer, { 'if-match': '*' })).json<Json>().version).toBe(6);
    expect((await save(draft.id, { data: unfinished(), title: 'Last word' })).json<Json>()).toMatchObject({ version: 7, title: 'Last word' });
  });

  it('lets exactly one of two saves over the same version win', async () => {
    const draft = await created({ docType: 'goods-declaration', data: unfinished() });
    const answers = await Promise.all(['2201', '2202', '2203', '2204'].map((office) => save(draft.id, { data: unfinished({ customsOffice: office }), version: 1 })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const winner = answers.find((answer) => answer.statusCode === 200)?.json<Json>();
    expect((await get(draft.id)).json<Json>()).toEqual(winner);
  });

  it('deletes with 204; then the draft is gone', async () => {
    const draft = await created({ docType: 'goods-declaration', data: unfinished() });
    const deleted = await t.request('DELETE', `/api/v1/drafts/${draft.id}`, { key: keys.importer });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await get(draft.id)).statusCode).toBe(404);
    expect((await t.request('DELETE', `/api/v1/drafts/${draft.id}`, { key: keys.importer })).statusCode).toBe(404);
    expect((await list()).drafts.some((candidate) => candidate.id === draft.id)).toBe(false);
  });

  it("hides another party's drafts (404), refuses agencies and operators (403), and read-only keys on writes", async () => {
    const draft = await created({ docType: 'goods-declaration', data: unfinished() });
    for (const key of [keys.other, keys.broker]) {
      expect((await get(draft.id, key)).json<Json>().code).toBe('NOT_FOUND');
      expect((await save(draft.id, { data: {} }, key)).statusCode).toBe(404);
      expect((await t.request('DELETE', `/api/v1/drafts/${draft.id}`, { key })).statusCode).toBe(404);
    }
    for (const key of [keys.cus, keys.ciq, operator]) {
      for (const response of [await get(draft.id, key), await t.request('GET', '/api/v1/drafts', { key }), await create({ docType: 'goods-declaration', data: {} }, key), await save(draft.id, { data: {} }, key)]) {
        expect(response.statusCode).toBe(403);
        expect(response.json<Json>().code).toBe('FORBIDDEN');
      }
    }
    expect((await get(draft.id, readOnly)).statusCode).toBe(200);
    expect((await list('', readOnly)).drafts.some((candidate) => candidate.id === draft.id)).toBe(true);
    const refused = await save(draft.id, { data: {} }, readOnly);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<Json>().code).toBe('SCOPE_MISSING');
    expect((await get(draft.id)).json<Json>().version).toBe(1);
    expect((await t.request('GET', `/api/v1/drafts/${draft.id}`)).statusCode).toBe(401);
  });

  it('answers bad input with the field at fault and stores nothing', async () => {
    const draft = await created({ docType: 'goods-declaration', data: unfinished() });
    const before = await count();
    const cases: [unknown, number, string, string][] = [
      [{ docType: 'no-such-doctype', data: {} }, 404, 'DOCTYPE_UNKNOWN', ''],
      [{ docType: 'goods-declaration', data: [] }, 400, 'REQUEST_INVALID', 'body:$.data FIELD_TYPE'],
      [{ docType: 'goods-declaration', data: 'text' }, 400, 'REQUEST_INVALID', 'body:$.data FIELD_TYPE'],
      [{ docType: 'goods-declaration' }, 400, 'REQUEST_INVALID', 'body:$.data FIELD_REQUIRED'],
      [{ docType: 'goods-declaration', data: {}, title: 'x'.repeat(201) }, 400, 'REQUEST_INVALID', 'body:$.title FIELD_FORMAT'],
      [{ docType: 'goods-declaration', data: {}, id: 'dft_mine' }, 400, 'REQUEST_INVALID', 'body:$.id FIELD_UNKNOWN'],
      [{ docType: '', data: {} }, 400, 'REQUEST_INVALID', 'body:$.docType FIELD_FORMAT'],
    ];
    for (const [body, status, code, error] of cases) {
      const response = await create(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      const problem = response.json<Json>();
      expect(problem.code).toBe(code);
      if (error !== '') expect(problem.errors.map((item: Json) => `${item.path} ${item.code}`)).toContain(error);
    }
    const saves: [unknown, Record<string, string>, string][] = [
      [{ data: {}, version: 0 }, {}, 'body:$.version FIELD_FORMAT'],
      [{ data: {}, version: '2' }, {}, 'body:$.version FIELD_TYPE'],
      [{ data: {}, docType: 'goods-declaration' }, {}, 'body:$.docType FIELD_UNKNOWN'],
      [{ data: {} }, { 'if-match': 'yesterday' }, 'headers:$.if-match FIELD_FORMAT'],
      [{ data: {}, version: 1 }, { 'if-match': '"2"' }, 'headers:$.if-match FIELD_FORMAT'],
    ];
    for (const [body, headers, error] of saves) {
      const response = await save(draft.id, body, keys.importer, headers);
      expect(response.statusCode, error).toBe(400);
      expect(response.json<Json>().errors.map((item: Json) => `${item.path} ${item.code}`)).toContain(error);
    }
    for (const query of ['?cursor=nonsense', '?limit=0', '?limit=201', '?sort=title']) {
      const response = await t.request('GET', `/api/v1/drafts${query}`, { key: keys.importer });
      expect(response.statusCode, query).toBe(400);
      expect(response.json<Json>().errors[0].path).toMatch(/^querystring:\$\./);
    }
    expect(await count()).toBe(before);
    expect((await get(draft.id)).json<Json>()).toMatchObject({ version: 1, data: unfinished() });
  });

  it('keeps at most 200 drafts per party, even when they are saved at once: 409 DRAFT_LIMIT_REACHED', async () => {
    const party = uscc('9133010079MA2B3C4');
    const key = await t.enterprise(party);
    const { services } = t.kouan;
    const caller = await services.parties.authenticate(key);
    if (caller === undefined) throw new Error('no caller');
    for (let index = 0; index < 195; index += 1) await services.drafts.create(caller, { docType: 'goods-declaration', data: { index } });
    const racing = await Promise.all(Array.from({ length: 10 }, (_, index) => create({ docType: 'goods-declaration', data: { racing: index } }, key)));
    expect(racing.filter((response) => response.statusCode === 201)).toHaveLength(5);
    const refused = racing.filter((response) => response.statusCode === 409);
    expect(refused).toHaveLength(5);
    expect(refused[0]?.json<Json>()).toMatchObject({ code: 'DRAFT_LIMIT_REACHED', detail: expect.stringContaining('200') });
    expect((await services.store.db.selectFrom('drafts').select('id').where('party_id', '=', party).execute()).length).toBe(200);

    const oldest = (await list('?limit=200', key)).drafts.at(-1);
    expect((await t.request('DELETE', `/api/v1/drafts/${String(oldest?.id)}`, { key })).statusCode).toBe(204);
    expect((await create({ docType: 'goods-declaration', data: {} }, key)).statusCode).toBe(201);
  });
});
