/**
 * Delegations over HTTP and in the submissions pipeline, on both stores: a broker declares for an enterprise
 * only with its active delegation covering the document type, the direction and today; revocation is immediate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, EXPORTER, IMPORTER, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;

describe.each(kinds)('delegations over HTTP on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let importer: string;
  let exporter: string;
  let other: string;
  let cus: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    importer = await t.enterprise(IMPORTER);
    exporter = await t.enterprise(EXPORTER);
    other = await t.enterprise(OTHER_ENTERPRISE);
    cus = await t.agency('CUS');
  });
  afterAll(async () => {
    await t.close();
  });

  const grant = (key: string, body: Json) => t.request('POST', '/api/v1/delegations', { key, body });
  const submit = (data: Json, key = broker) => t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data } });
  const exportDeclaration = () =>
    importDeclaration({
      direction: 'export',
      consignor: { id: EXPORTER, name: 'Shenzhen Example Electronics' },
      consignee: { name: 'Example Retail BV', country: 'NL' },
      portOfEntry: undefined,
      portOfExit: 'CNSZX',
      countryOfDispatch: undefined,
      countryOfDestination: 'NL',
    });

  it('grants with 201 and a Location, and lists it from both sides', async () => {
    const response = await grant(importer, { agent: BROKER, docTypes: ['goods-declaration'], directions: ['import'], validFrom: today, validTo: nextYear });
    expect(response.statusCode).toBe(201);
    const delegation = response.json<Json>();
    expect(response.headers.location).toBe(`/api/v1/delegations/${delegation.id}`);
    expect(delegation).toMatchObject({ principal: IMPORTER, agent: BROKER, status: 'active' });
    await t.kouan.services.audit.idle();
    const audited = await t.kouan.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'POST /api/v1/delegations').execute();
    expect(audited.map((row) => ({ actor: row.actor, resource: row.resource, owner: row.resource_owner, outcome: row.outcome }))).toEqual([
      { actor: IMPORTER, resource: delegation.id, owner: IMPORTER, outcome: 201 },
    ]);

    const granted = await t.request('GET', '/api/v1/delegations?role=granted&active=true', { key: importer });
    expect(granted.json<Json>().delegations.map((d: Json) => d.id)).toEqual([delegation.id]);
    const received = await t.request('GET', '/api/v1/delegations?role=received', { key: broker });
    expect(received.json<Json>().delegations.map((d: Json) => d.id)).toEqual([delegation.id]);
    expect((await t.request('GET', `/api/v1/delegations/${delegation.id}`, { key: other })).statusCode).toBe(404);
    expect((await t.request('GET', '/api/v1/delegations?role=granted', { key: cus })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/v1/delegations?role=both', { key: importer })).statusCode).toBe(400);
  });

  it('answers 422 DELEGATION_INVALID with every problem, in Chinese when asked', async () => {
    const response = await t.request('POST', '/api/v1/delegations', {
      key: importer,
      headers: { 'accept-language': 'zh-CN' },
      body: { agent: OTHER_ENTERPRISE, docTypes: ['goods-declaration'], directions: ['import'], validFrom: nextYear, validTo: today },
    });
    expect(response.statusCode).toBe(422);
    const problem = response.json<Json>();
    expect(problem).toMatchObject({ code: 'DELEGATION_INVALID', status: 422 });
    expect(problem.errors.map((error: Json) => error.code)).toEqual(['DELEGATION_AGENT_NOT_BROKER', 'DELEGATION_PERIOD_INVALID']);
    expect(problem.errors[0].message).toContain('报关企业');
    const valid = { agent: BROKER, docTypes: ['goods-declaration'], directions: ['import'], validFrom: today, validTo: nextYear };
    for (const shape of [{ colour: 'blue' }, { docTypes: [] }, { directions: ['transit'] }, { validTo: '2027-2-1' }]) {
      const response = await grant(importer, { ...valid, ...shape });
      expect(response.statusCode, JSON.stringify(shape)).toBe(400);
      expect(response.json<Json>().code).toBe('REQUEST_INVALID');
    }
    const noSuchDay = await grant(importer, { ...valid, validTo: '2027-02-30' });
    expect(noSuchDay.statusCode).toBe(422);
    expect(noSuchDay.json<Json>().errors).toEqual([expect.objectContaining({ path: '$.validTo', code: 'FIELD_FORMAT' })]);
  });

  it("lets a broker declare for an enterprise only within its delegation's direction, and not after revocation", async () => {
    // IMPORTER delegated imports (first test); EXPORTER has delegated nothing yet.
    expect((await submit(importDeclaration())).statusCode).toBe(201);
    const noDelegation = await submit(exportDeclaration());
    expect(noDelegation.statusCode).toBe(422);
    expect(noDelegation.json<Json>().errors).toEqual([
      expect.objectContaining({ path: '$.declarant', code: 'DELEGATION_REQUIRED', message: expect.stringContaining(EXPORTER) }),
    ]);

    const importsOnly = await grant(exporter, { agent: BROKER, docTypes: ['goods-declaration'], directions: ['import'], validFrom: today, validTo: nextYear });
    expect((await submit(exportDeclaration())).json<Json>().errors).toEqual([expect.objectContaining({ code: 'DELEGATION_REQUIRED' })]);
    const exports = await grant(exporter, { agent: BROKER, docTypes: ['goods-declaration'], directions: ['export'], validFrom: today, validTo: nextYear });
    expect((await submit(exportDeclaration())).statusCode).toBe(201);

    const revoked = await t.request('POST', `/api/v1/delegations/${exports.json<Json>().id}/revoke`, { key: exporter });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<Json>()).toMatchObject({ status: 'revoked', revokedBy: EXPORTER });
    expect((await submit(exportDeclaration())).statusCode).toBe(422);
    expect((await t.request('POST', `/api/v1/delegations/${exports.json<Json>().id}/revoke`, { key: exporter })).statusCode).toBe(409);
    expect((await t.request('POST', `/api/v1/delegations/${importsOnly.json<Json>().id}/revoke`, { key: other })).statusCode).toBe(404);
    // The dry run gives the same verdict.
    const dryRun = await t.request('POST', '/api/v1/validate', { key: broker, body: { docType: 'goods-declaration', data: exportDeclaration() } });
    expect(dryRun.json<Json>()).toMatchObject({ valid: false, errors: [expect.objectContaining({ code: 'DELEGATION_REQUIRED' })] });
  });

  it('needs no delegation for an enterprise declaring its own goods', async () => {
    expect((await submit(importDeclaration({ declarant: OTHER_ENTERPRISE, consignee: { id: OTHER_ENTERPRISE, name: 'Own Goods Co.' } }), other)).statusCode).toBe(201);
  });
});
