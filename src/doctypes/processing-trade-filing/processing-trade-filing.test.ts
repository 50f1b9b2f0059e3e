/**
 * The processing-trade filing end to end on both stores: filed once, split into commerce's business approval
 * and customs' filing, each decided on its own; approved when both approve, ended by either's rejection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER } from '../../../test/support/fixtures.js';
import { cast, startTestKouan, type TestKouan } from '../../../test/support/kouan.js';
import { storeKinds } from '../../../test/support/stores.js';
import { examples } from './examples.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const filing = (overrides: Json = {}): Json => ({ ...structuredClone(examples[0]?.document as Json), ...overrides });

describe.each(kinds)('processing-trade filing on %s', (kind) => {
  let t: TestKouan;
  let importer: string;
  let broker: string;
  let cus: string;
  let moc: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ importer, broker, cus, moc } = await cast(t));
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (data: Json, key = importer) => t.request('POST', '/api/v1/submissions', { key, body: { docType: 'processing-trade-filing', data } });
  const decide = (id: string, key: string, outcome: string, reasons?: Json[]) =>
    t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: reasons === undefined ? { outcome } : { outcome, reasons } });
  const view = async (id: string, key = importer) => (await t.request('GET', `/api/v1/submissions/${id}`, { key })).json<Json>();

  it('goes to commerce without consumption and to customs whole, and is approved when both approve', async () => {
    const submitted = await submit(filing());
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id } = submitted.json<Json>();
    expect((await view(id)).parts.map((part: Json) => [part.agency, part.docType, part.status])).toEqual([
      ['CUS', 'processing-trade-filing.customs', 'submitted'],
      ['MOC', 'processing-trade-filing.business-approval', 'submitted'],
    ]);
    const commerce = await view(id, moc);
    expect(commerce.data.products[0].consumption).toBeUndefined();
    expect((await view(id, cus)).data.products[0].consumption).toEqual([{ material: 1, unitConsumption: '1.65', wastePct: '3' }, { material: 2, unitConsumption: '0.002' }]);

    expect((await decide(id, moc, 'approved')).json<Json>().status).toBe('approved');
    expect((await view(id)).status).toBe('processing');
    // A goods declaration's decisions are not this lifecycle's.
    expect((await decide(id, cus, 'released')).json<Json>()).toMatchObject({ code: 'DECISION_INVALID', errors: [{ path: '$.outcome', code: 'FIELD_NOT_ALLOWED' }] });
    expect((await decide(id, cus, 'approved')).statusCode).toBe(200);
    const done = await view(id);
    expect(done.status).toBe('approved');
    expect(done.history.filter((entry: Json) => entry.agency === null).map((entry: Json) => entry.to)).toEqual(['submitted', 'processing', 'approved']);
    expect((await decide(id, cus, 'rejected', [{ message: 'too late' }])).statusCode).toBe(409);
  });

  it("one agency's rejection ends the filing and closes the other part with Kouan's reason", async () => {
    const { id } = (await submit(filing({ contract: { ...filing().contract, number: `SEG-${kind}-REJ` } }))).json<Json>();
    expect((await decide(id, moc, 'rejected')).json<Json>()).toMatchObject({ code: 'DECISION_INVALID', errors: [{ path: '$.reasons', code: 'FIELD_REQUIRED' }] });
    expect((await decide(id, moc, 'rejected', [{ code: 'B01', message: '合同期限与手册有效期不符' }])).statusCode).toBe(200);
    const closed = await view(id);
    expect(closed.status).toBe('rejected');
    expect(closed.parts.find((part: Json) => part.agency === 'CUS')).toMatchObject({ status: 'cancelled', reasons: [{ code: 'SUBMISSION_REJECTED', message: 'rejected by MOC' }] });
    expect((await decide(id, cus, 'approved')).statusCode).toBe(409);
  });

  it('checks item numbers, consumption and the period, each on its field, and stores nothing', async () => {
    const [material] = filing().materials as Json[];
    const [product] = filing().products as Json[];
    const bad = filing({
      validTo: '2026-11-01',
      materials: [material, { ...material, hsCode: '52083200' }, { ...material }],
      products: [{ ...product, consumption: [{ material: 7, unitConsumption: '1' }, { material: 1, unitConsumption: '0' }] }],
    });
    const response = await submit(bad);
    expect(response.statusCode).toBe(422);
    expect(response.json<Json>().errors.map((error: Json) => [error.path, error.code])).toEqual(
      expect.arrayContaining([
        ['$.validTo', 'PROCESSING_PERIOD_INVALID'],
        ['$.materials[1].hsCode', 'HS_FORMAT'],
        ['$.materials[1].no', 'ITEM_NUMBER_DUPLICATE'],
        ['$.materials[2].no', 'ITEM_NUMBER_DUPLICATE'],
        ['$.products[0].consumption[0].material', 'MATERIAL_UNKNOWN'],
        ['$.products[0].consumption[1].unitConsumption', 'DECIMAL_NOT_POSITIVE'],
      ]),
    );
    expect((await t.request('GET', '/api/v1/submissions?docType=processing-trade-filing&limit=200', { key: importer })).json<Json>().submissions.every((entry: Json) => entry.status !== 'submitted' || entry.id !== undefined)).toBe(true);
  });

  it('a broker files for the enterprise only with its delegation for processing-trade filings', async () => {
    const forImporter = filing({ declarant: BROKER, contract: { ...filing().contract, number: `SEG-${kind}-BRK` } });
    const refused = await submit(forImporter, broker);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<Json>().errors).toContainEqual(expect.objectContaining({ path: '$.declarant', code: 'DELEGATION_REQUIRED' }));
    const today = new Date().toISOString().slice(0, 10);
    const granted = await t.request('POST', '/api/v1/delegations', {
      key: importer,
      body: { agent: BROKER, docTypes: ['processing-trade-filing'], directions: ['import', 'export'], validFrom: today, validTo: `${Number(today.slice(0, 4)) + 1}-01-01` },
    });
    expect(granted.statusCode, granted.body).toBe(201);
    const accepted = await submit(forImporter, broker);
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json<Json>()).toMatchObject({ trader: IMPORTER, declarant: BROKER });
  });
});

describe('processing-trade filing without commerce approval (KOUAN_COMMERCE_APPROVAL=false)', () => {
  let t: TestKouan;
  beforeAll(async () => {
    t = await startTestKouan('sqlite', { KOUAN_COMMERCE_APPROVAL: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('goes to customs only, publishes the option, and customs alone approves it and opens the manual', async () => {
    const { importer, cus } = await cast(t);
    expect((await t.request('GET', '/api/v1/doctypes/processing-trade-filing', { key: importer })).json<Json>().options).toEqual({ commerceApproval: false });
    const submitted = await t.request('POST', '/api/v1/submissions', { key: importer, body: { docType: 'processing-trade-filing', data: filing() } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id, parts } = submitted.json<Json>();
    expect(parts.map((part: Json) => part.agency)).toEqual(['CUS']);
    expect((await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'approved' } })).statusCode).toBe(200);
    const done = (await t.request('GET', `/api/v1/submissions/${id}`, { key: importer })).json<Json>();
    expect(done).toMatchObject({ status: 'approved', opened: { type: 'processing-trade-manual' } });
  });
});
