/**
 * Amendment and withdrawal after acceptance (修改/撤销申请) on both stores: the declarant asks, with reasons, the
 * agencies that took the document in; nothing changes until every one approves; then the new version takes the
 * document's place (the old one kept, parts re-projected, added or closed, ledger holds replaced) or the document
 * is withdrawn. A rejection, a refused request and every wrong caller change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCopy, type Jwks } from '../src/modules/signatures/index.js';
import { APPLES, BROKER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;
const because = [{ code: 'QUANTITY', message: 'The invoice was corrected: 250 laptops were shipped, not 200', path: '$.lines[0].quantity' }];

describe.each(kinds)('amendments after acceptance on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let serial = 0;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
  });
  afterAll(async () => t.close());

  /** The importer's own declaration of laptops (customs only), or of what `lines` say. */
  const mine = (lines: unknown[] = [LAPTOPS], extra: Json = {}) => importDeclaration({ declarant: IMPORTER, lines, ...extra });
  const submit = async (data: Json, key = keys.importer) => {
    const response = await t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>().id as string;
  };
  const decide = async (id: string, agency: string, outcome: string) => {
    const response = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: agency, body: { outcome } });
    expect(response.statusCode, response.body).toBe(200);
  };
  const ask = (id: string, body: Json, key = keys.importer) => t.request('POST', `/api/v1/submissions/${id}/amendments`, { key, body });
  const answer = (id: string, amendment: string, agency: string, body: Json) => t.request('POST', `/api/v1/submissions/${id}/amendments/${amendment}/decisions`, { key: agency, body });
  const view = async (id: string, key = keys.importer) => (await t.request('GET', `/api/v1/submissions/${id}`, { key })).json<Json>();
  const inbox = async (agency: string, id: string) => {
    await t.kouan.services.exchange.dispatchPending();
    return (await t.request('GET', '/api/v1/inbox?limit=500', { key: agency })).json<Json>().messages.filter((message: Json) => message.submissionId === id);
  };

  it('amends an accepted declaration once customs approves, keeping the version it replaced', async () => {
    const id = await submit(mine());
    await decide(id, keys.cus, 'accepted');
    const amended = mine([{ ...LAPTOPS, quantity: 250, value: 150000 }]);
    const asked = await ask(id, { action: 'amend', reasons: because, data: amended });
    expect(asked.statusCode, asked.body).toBe(201);
    const request = asked.json<Json>();
    expect(request).toMatchObject({ action: 'amend', status: 'pending', version: 2, decisions: [{ agency: 'CUS', outcome: 'pending' }] });
    // Kouan's receipt of the request verifies with its published keys, as a kouan-amendment+jws.
    const check = await verifyCopy(String(request.receipt), (await t.request('GET', '/.well-known/jwks.json')).json<Jwks>(), 'kouan-amendment+jws');
    expect(check.valid).toBe(true);
    const receipt = JSON.parse(Buffer.from(String(request.receipt).split('.')[1] ?? '', 'base64url').toString('utf8')) as Json;
    expect(receipt).toMatchObject({ amendmentId: request.id, submissionId: id, action: 'amend', version: 2, agencies: ['CUS'] });
    // Nothing changes while the request waits, and customs decides it before deciding the declaration further.
    expect((await view(id)).data.lines[0].quantity).toBe('200');
    const early = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: keys.cus, body: { outcome: 'released' } });
    expect([early.statusCode, early.json<Json>().code]).toEqual([409, 'AMENDMENT_PENDING']);
    expect((await ask(id, { action: 'withdraw', reasons: because })).json<Json>().code).toBe('AMENDMENT_PENDING');
    const [requested] = (await inbox(keys.cus, id)).filter((message: Json) => message.kind === 'amendment.requested');
    expect(requested?.payload).toMatchObject({ amendmentId: request.id, action: 'amend', version: 2, data: { lines: [{ quantity: '250' }] } });

    const approved = await answer(id, request.id, keys.cus, { outcome: 'approved' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<Json>()).toMatchObject({ status: 'approved', decisions: [{ agency: 'CUS', outcome: 'approved' }] });
    const after = await view(id);
    expect(after).toMatchObject({ status: 'accepted', documentVersion: 2, data: { lines: [{ quantity: '250', value: '150000' }] }, amendments: [{ id: request.id, status: 'approved' }] });
    const old = await t.request('GET', `/api/v1/submissions/${id}/versions/1`, { key: keys.importer });
    expect(old.statusCode).toBe(200);
    expect(old.json<Json>()).toMatchObject({ version: 1, amendment: request.id, data: { lines: [{ quantity: '200' }] } });
    expect((await t.request('GET', `/api/v1/submissions/${id}/versions/2`, { key: keys.importer })).statusCode).toBe(404);
    // Customs gets the new version of its part, and goes on deciding it.
    const [partAmended] = (await inbox(keys.cus, id)).filter((message: Json) => message.kind === 'part.amended');
    expect(partAmended?.payload).toMatchObject({ version: 2, amendmentId: request.id, data: { lines: [{ quantity: '250' }] } });
    await decide(id, keys.cus, 'released');
    expect((await view(id)).status).toBe('released');
    // A second decision on a request that is over changes nothing.
    expect((await answer(id, request.id, keys.cus, { outcome: 'rejected', reasons: because })).json<Json>().code).toBe('AMENDMENT_DECIDED');
  });

  it('sends a new version to the agency it now concerns, and closes the part of one it no longer does', async () => {
    const id = await submit(mine([LAPTOPS, APPLES]));
    await decide(id, keys.cus, 'accepted');
    expect((await view(id)).parts.map((part: Json) => part.agency)).toEqual(['CIQ', 'CUS']);
    // Only customs took it in, so only customs decides; inspection and quarantine's part is still open.
    const request = (await ask(id, { action: 'amend', reasons: because, data: mine([LAPTOPS]) })).json<Json>();
    expect(request.decisions.map((entry: Json) => entry.agency)).toEqual(['CUS']);
    await answer(id, request.id, keys.cus, { outcome: 'approved' });
    const after = await view(id);
    expect(after.parts.map((part: Json) => [part.agency, part.status])).toEqual([['CIQ', 'cancelled'], ['CUS', 'accepted']]);
    expect((await inbox(keys.ciq, id)).map((message: Json) => message.kind)).toEqual(['part.submitted', 'part.cancelled']);

    const other = await submit(mine());
    await decide(other, keys.cus, 'accepted');
    const adding = (await ask(other, { action: 'amend', reasons: because, data: mine([LAPTOPS, APPLES]) })).json<Json>();
    await answer(other, adding.id, keys.cus, { outcome: 'approved' });
    expect((await view(other)).parts.map((part: Json) => [part.agency, part.status])).toEqual([['CIQ', 'submitted'], ['CUS', 'accepted']]);
    expect((await inbox(keys.ciq, other)).map((message: Json) => message.kind)).toEqual(['part.submitted']);
  });

  it('withdraws a released declaration when customs approves: every part closed, the agencies told', async () => {
    const id = await submit(mine());
    await decide(id, keys.cus, 'accepted');
    await decide(id, keys.cus, 'released');
    const request = (await ask(id, { action: 'withdraw', reasons: [{ message: 'The goods were not shipped' }] })).json<Json>();
    expect(request).toMatchObject({ action: 'withdraw', status: 'pending', version: null });
    await answer(id, request.id, keys.cus, { outcome: 'approved' });
    const after = await view(id);
    expect(after).toMatchObject({ status: 'cancelled', parts: [{ agency: 'CUS', status: 'cancelled' }] });
    expect(after.history.at(-1)).toMatchObject({ agency: null, from: 'released', to: 'cancelled' });
    expect((await inbox(keys.cus, id)).map((message: Json) => message.kind)).toEqual(['part.submitted', 'amendment.requested', 'part.cancelled']);
    expect((await ask(id, { action: 'withdraw', reasons: because })).json<Json>().code).toBe('SUBMISSION_CLOSED');
  });

  it('replaces the ledger holds of the old version by the new one, and after a release reverses what was written off', async () => {
    const licence = `AIL-AMD-${kind.toUpperCase()}-${(serial += 1).toString().padStart(4, '0')}`;
    const issued = await t.request('POST', '/api/v1/ledger/accounts', {
      key: keys.moc,
      body: { type: 'automatic-import-licence', number: licence, holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const cited = (quantity: number) => mine([{ ...LAPTOPS, quantity, documents: [{ type: 'automatic-import-licence', number: licence }] }]);
    const id = await submit(cited(200));
    await decide(id, keys.cus, 'accepted');
    // The new version may take all the licence has left once its own hold is given back: 1,000, not 800.
    const tooMuch = await ask(id, { action: 'amend', reasons: because, data: cited(1001) });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json<Json>().errors[0].code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    const request = (await ask(id, { action: 'amend', reasons: because, data: cited(1000) })).json<Json>();
    await answer(id, request.id, keys.cus, { outcome: 'approved' });
    const holds = (await view(id)).ledger.map((use: Json) => [use.quantity, use.state]);
    expect(holds.sort()).toEqual([['1000', 'reserved'], ['200', 'superseded']]);
    await decide(id, keys.cus, 'released');
    const account = (await t.request('GET', `/api/v1/ledger/accounts/${licence}`, { key: keys.importer })).json<Json>();
    expect(account.lines[0]).toMatchObject({ posted: '1000' });
    // A correction that leaves the written-off quantity as it is goes through, and the ledger stays as it is.
    const described = cited(1000);
    (described.lines as Json[])[0]!.description = 'Portable computers, 14 inch';
    const corrected = (await ask(id, { action: 'amend', reasons: because, data: described })).json<Json>();
    expect((await answer(id, corrected.id, keys.cus, { outcome: 'approved' })).json<Json>().status).toBe('approved');
    expect(await view(id)).toMatchObject({ status: 'released', documentVersion: 3, data: { lines: [{ description: 'Portable computers, 14 inch' }] } });
    expect((await t.request('GET', `/api/v1/ledger/accounts/${licence}`, { key: keys.importer })).json<Json>().lines[0]).toMatchObject({ posted: '1000' });

    // After the release, an approved amendment that changes the quantity reverses the write-off and writes off
    // the new version's in its place, in the transaction of the approval.
    const fewer = cited(900);
    (fewer.lines as Json[])[0]!.description = 'Portable computers, 14 inch';
    const changed = (await ask(id, { action: 'amend', reasons: because, data: fewer })).json<Json>();
    expect((await answer(id, changed.id, keys.cus, { outcome: 'approved' })).json<Json>().status).toBe('approved');
    const afterAmendment = await view(id);
    expect(afterAmendment).toMatchObject({ status: 'released', documentVersion: 4 });
    expect(afterAmendment.ledger.map((use: Json) => [use.quantity, use.state]).sort()).toEqual([['1000', 'reversed'], ['200', 'superseded'], ['900', 'posted']]);
    expect((await t.request('GET', `/api/v1/ledger/accounts/${licence}`, { key: keys.importer })).json<Json>().lines[0]).toMatchObject({ posted: '900', reserved: '0' });
    const entries = (await t.request('GET', `/api/v1/ledger/accounts/${licence}/entries`, { key: keys.moc })).json<Json>().entries as Json[];
    expect(entries.filter((entry) => entry.kind === 'reverse')).toEqual([expect.objectContaining({ quantity: '1000', submissionId: id, reasonCode: 'AMENDED' })]);

    // A withdrawal after the release gives the written-off quantity back, and the document is cancelled.
    const withdrawal = (await ask(id, { action: 'withdraw', reasons: because })).json<Json>();
    expect((await answer(id, withdrawal.id, keys.cus, { outcome: 'approved' })).json<Json>().status).toBe('approved');
    const withdrawn = await view(id);
    expect(withdrawn.status).toBe('cancelled');
    expect(withdrawn.ledger.filter((use: Json) => use.state === 'posted')).toEqual([]);
    const givenBack = (await t.request('GET', `/api/v1/ledger/accounts/${licence}`, { key: keys.importer })).json<Json>();
    expect(givenBack.lines[0]).toMatchObject({ posted: '0', reserved: '0' });
    expect(givenBack.uses).toBe(0);
    // The entries still add up to every line: the reversals are entries like any other.
    expect((await t.kouan.services.ledger.audit()).problems).toEqual([]);
  });

  it('keeps the document as it was when customs rejects the request, and says why', async () => {
    const id = await submit(mine());
    await decide(id, keys.cus, 'accepted');
    const request = (await ask(id, { action: 'amend', reasons: because, data: mine([{ ...LAPTOPS, value: 1 }]) })).json<Json>();
    const bare = await answer(id, request.id, keys.cus, { outcome: 'rejected' });
    expect([bare.statusCode, bare.json<Json>().code]).toEqual([422, 'DECISION_INVALID']);
    const rejected = await answer(id, request.id, keys.cus, { outcome: 'rejected', reasons: [{ code: 'VALUE', message: 'A value of 1 is not plausible' }] });
    expect(rejected.json<Json>()).toMatchObject({ status: 'rejected', decisions: [{ outcome: 'rejected', reasons: [{ code: 'VALUE' }] }] });
    expect(await view(id)).toMatchObject({ documentVersion: 1, data: { lines: [{ value: '120000' }] } });
    // The declarant may ask again.
    expect((await ask(id, { action: 'withdraw', reasons: because })).statusCode).toBe(201);
  });

  it('refuses a request before acceptance, an unchanged or invalid version, another trader, and the wrong callers, changing nothing', async () => {
    const fresh = await submit(mine());
    const before = await ask(fresh, { action: 'withdraw', reasons: because });
    expect([before.statusCode, before.json<Json>().code]).toEqual([409, 'AMENDMENT_BEFORE_ACCEPTANCE']);

    const id = await submit(mine());
    await decide(id, keys.cus, 'accepted');
    const cases: [Json, number, string][] = [
      [{ action: 'amend', reasons: because, data: mine() }, 422, 'AMENDMENT_UNCHANGED'],
      [{ action: 'amend', reasons: because, data: mine([{ ...LAPTOPS, hsCode: '84713' }]) }, 422, 'HS_FORMAT'],
      [{ action: 'amend', reasons: because, data: importDeclaration({ declarant: IMPORTER, consignee: { id: BROKER, name: 'Someone else' } }) }, 422, 'BROKER_ROLE_REQUIRED'],
      [{ action: 'amend', reasons: because }, 400, 'AMENDMENT_DATA_REQUIRED'],
      [{ action: 'withdraw', reasons: because, data: mine() }, 400, 'AMENDMENT_DATA_NOT_ALLOWED'],
      [{ action: 'withdraw', reasons: [] }, 400, 'body:$.reasons'],
    ];
    for (const [body, status, code] of cases) {
      const response = await ask(id, body);
      expect(response.statusCode, `${code}: ${response.body}`).toBe(status);
      expect(JSON.stringify(response.json<Json>().errors ?? []), code).toContain(code);
    }
    expect((await ask(id, { action: 'withdraw', reasons: because }, keys.other)).statusCode).toBe(404);
    // The broker filed for the importer: it may correct the declaration, not make it another trader's (its own).
    const brokered = await submit(importDeclaration(), keys.broker);
    await decide(brokered, keys.cus, 'accepted');
    const retraded = await ask(brokered, { action: 'amend', reasons: because, data: importDeclaration({ consignee: { id: BROKER, name: 'The broker itself' } }) }, keys.broker);
    expect(retraded.json<Json>().errors?.map((error: Json) => error.code)).toEqual(['AMENDMENT_TRADER_CHANGED']);
    // The trader sees the broker's declaration, but only the declarant asks.
    expect((await ask(brokered, { action: 'withdraw', reasons: because }, keys.importer)).statusCode).toBe(403);
    expect((await ask(id, { action: 'withdraw', reasons: because }, keys.cus)).statusCode).toBe(403);
    expect((await view(id)).amendments).toEqual([]);

    const request = (await ask(id, { action: 'withdraw', reasons: because })).json<Json>();
    // Inspection and quarantine has no part here; the declarant is no agency.
    expect((await answer(id, request.id, keys.ciq, { outcome: 'approved' })).statusCode).toBe(404);
    expect((await answer(id, request.id, keys.importer, { outcome: 'approved' })).statusCode).toBe(403);
    expect((await answer(id, 'amd_01JZZZZZZZZZZZZZZZZZZZZZZZ', keys.cus, { outcome: 'approved' })).statusCode).toBe(404);
    // An agency sees the requests it decides, without the declarant's receipt.
    const seen = (await view(id, keys.cus)).amendments;
    expect(seen).toHaveLength(1);
    expect(seen[0].receipt).toBeUndefined();
    expect((await view(id)).status).toBe('accepted');
  });
});
