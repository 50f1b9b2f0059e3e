/** The error contract where things go wrong outside the document: media types, internal failures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

describe.each(kinds)('error contract on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.enterprise(IMPORTER);
    await t.delegate(IMPORTER, BROKER);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an unsupported media type with 415 and an unknown route with 404, as problems', async () => {
    const xml = await t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/xml' }, payload: '<declaration/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ code: 'MEDIA_TYPE_UNSUPPORTED', status: 415 });
    const nowhere = await t.request('GET', '/api/v1/nowhere', { key: broker });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.headers['content-type']).toContain('application/problem+json');
    expect(nowhere.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('answers an internal failure with 500 INTERNAL and the request id, never the cause', async () => {
    await t.kouan.services.store.db.schema.alterTable('parts').renameTo('parts_away').execute();
    try {
      const response = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
      expect(response.statusCode).toBe(500);
      const problem = response.json();
      expect(problem).toMatchObject({ code: 'INTERNAL', status: 500, requestId: expect.stringMatching(/^req_/) });
      expect(response.body).not.toMatch(/parts|sqlite|relation|stack|at \w+ \(/i);
    } finally {
      await t.kouan.services.store.db.schema.alterTable('parts_away').renameTo('parts').execute();
    }
    // The failed transaction left nothing behind.
    const rows = await t.kouan.services.store.db.selectFrom('submissions').select('id').execute();
    expect(rows).toEqual([]);
  });
});
