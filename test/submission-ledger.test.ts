/**
 * The ledger verification results shown with a submission (GET /api/v1/submissions/{id} `ledger`), on both
 * stores: what it reserved, wrote off, gave back or let lapse, per account line, with exact quantities. Its
 * parties, its tenant's operators and customs (the write-off agency) see every hold; another agency with a part
 * sees only the holds on accounts it issued; an agency without a part does not see the submission at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLES, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;

describe.each(kinds)('ledger holds of a submission on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let operator: string;
  let serial = 0;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    await t.kouan.services.parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    operator = (await t.kouan.services.parties.createKey('ops')).key;
  });
  afterAll(async () => {
    await t.close();
  });

  const number = (prefix: string) => `${prefix}-${kind.toUpperCase()}-${(serial += 1).toString().padStart(6, '0')}`;
  /** MOC's licence for 1,000 laptops, and CIQ's clearance form for 20 tonnes of apples, both held by the importer. */
  const accounts = async () => {
    const licence = number('AIL');
    const form = number('ICF');
    const issued = [
      await t.request('POST', '/api/v1/ledger/accounts', {
        key: keys.moc,
        body: { type: 'automatic-import-licence', number: licence, holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] },
      }),
      await t.request('POST', '/api/v1/ledger/accounts', {
        key: keys.ciq,
        body: { type: 'inbound-clearance-form', number: form, holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '0808', quantity: 20, unit: 'TNE' }] },
      }),
    ];
    expect(issued.map((response) => response.statusCode)).toEqual([201, 201]);
    return { licence, form };
  };
  /** The broker declares 200 laptops on the licence and 12.5 t of apples on the clearance form. */
  const declare = async (licence: string, form: string) => {
    const lines = [
      { ...LAPTOPS, documents: [{ type: 'automatic-import-licence', number: licence }] },
      { ...APPLES, documents: [{ type: 'inbound-clearance-form', number: form }] },
    ];
    const response = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines }) } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>().id as string;
  };
  const view = async (id: string, key: string) => {
    const response = await t.request('GET', `/api/v1/submissions/${id}`, { key });
    return { status: response.statusCode, body: response.json<Json>() };
  };
  const decide = async (id: string, key: string, outcome: string, reasons?: Json[]) => {
    const response = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: reasons === undefined ? { outcome } : { outcome, reasons } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Json>();
  };
  const states = (ledger: Json[]) => ledger.map((hold) => `${String(hold.account).slice(0, 3)}:${hold.state}`);

  it('shows every reservation to the parties, the operator and customs; inspection only those on its own form', async () => {
    const { licence, form } = await accounts();
    const id = await declare(licence, form);
    const full = [
      { account: licence, type: 'automatic-import-licence', line: 1, quantity: '200', unit: 'PCE', side: 'credit', state: 'reserved', path: '$.lines[0].documents[0]', updatedAt: expect.any(String) },
      { account: form, type: 'inbound-clearance-form', line: 1, quantity: '12.5', unit: 'TNE', side: 'credit', state: 'reserved', path: '$.lines[1].documents[0]', updatedAt: expect.any(String) },
    ];
    for (const key of [keys.broker, keys.importer, operator, keys.cus]) {
      const { status, body } = await view(id, key);
      expect(status).toBe(200);
      expect(body.ledger).toEqual(full);
    }
    const inspection = await view(id, keys.ciq);
    expect(inspection.status).toBe(200);
    expect(inspection.body.ledger).toEqual([full[1]]);
    // Commerce issued the licence but has no part: the submission does not exist for it.
    expect((await view(id, keys.moc)).status).toBe(404);
    expect((await view(id, keys.other)).status).toBe(404);
  });

  it('shows the write-off after customs releases, on the decision answer too', async () => {
    const { licence, form } = await accounts();
    const id = await declare(licence, form);
    await decide(id, keys.ciq, 'accepted');
    await decide(id, keys.ciq, 'released');
    // Inspection's release writes nothing off: only customs' does, for both accounts.
    expect(states((await view(id, keys.importer)).body.ledger)).toEqual(['AIL:reserved', 'ICF:reserved']);
    await decide(id, keys.cus, 'accepted');
    const released = await decide(id, keys.cus, 'released');
    expect(released.status).toBe('released');
    expect(states(released.ledger)).toEqual(['AIL:posted', 'ICF:posted']);
    expect(states((await view(id, keys.broker)).body.ledger)).toEqual(['AIL:posted', 'ICF:posted']);
    expect((await view(id, keys.ciq)).body.ledger).toEqual([expect.objectContaining({ account: form, state: 'posted', quantity: '12.5' })]);
  });

  it('shows the quantities given back when a submission is rejected or cancelled', async () => {
    const { licence, form } = await accounts();
    const rejected = await declare(licence, form);
    await decide(rejected, keys.ciq, 'rejected', [{ message: 'no phytosanitary certificate' }]);
    expect(states((await view(rejected, keys.cus)).body.ledger)).toEqual(['AIL:voided', 'ICF:voided']);

    const cancelled = await declare(licence, form);
    const answer = await t.request('POST', `/api/v1/submissions/${cancelled}/cancel`, { key: keys.broker });
    expect(answer.statusCode).toBe(200);
    expect(states(answer.json<Json>().ledger)).toEqual(['AIL:voided', 'ICF:voided']);
  });

  it('shows nothing for a submission that cites no account', async () => {
    const submit = () => t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration() }, headers: { 'idempotency-key': `no-ledger-${kind}` } });
    const response = await submit();
    const { body } = await view(response.json<Json>().id, keys.importer);
    expect(body.ledger).toEqual([]);
    // A submission's answer, first or replayed, is its summary: without data, history or ledger.
    const replay = await submit();
    expect(replay.headers['idempotent-replayed']).toBe('true');
    for (const answer of [response, replay]) expect(Object.keys(answer.json<Json>()).filter((name) => ['data', 'history', 'ledger'].includes(name))).toEqual([]);
  });

  it('shows reservations that lapsed without a decision as expired', async () => {
    const { licence, form } = await accounts();
    const id = await declare(licence, form);
    await t.kouan.services.ledger.expireDue(new Date(Date.now() + 400 * 86_400_000));
    const { body } = await view(id, keys.importer);
    expect(states(body.ledger)).toEqual(['AIL:expired', 'ICF:expired']);
  });
});
