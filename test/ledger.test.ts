/**
 * The electronic ledger on both stores: an agency issues a signed licence, declarations citing it are verified
 * against it, reserve its quantities, write them off on customs release and release them when they fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, LAPTOPS, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;

describe.each(kinds)('ledger on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let importer: string;
  let other: string;
  let moc: string;
  let cus: string;
  let ciq: string;
  let serial = 0;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ broker, importer, other, cus, ciq, moc } = await cast(t));
  });
  afterAll(async () => {
    await t.close();
  });

  /** DESIGN.md's automatic import licence: 1,000 laptops for the importer at Shanghai or Ningbo. */
  const licence = (overrides: Json = {}) => ({
    type: 'automatic-import-licence',
    number: `AIL-${kind.toUpperCase()}-${(serial += 1).toString().padStart(6, '0')}`,
    holder: IMPORTER,
    direction: 'import',
    validFrom: today,
    validTo: nextYear,
    ports: ['CNSHA', 'CNNGB'],
    maxUses: 6,
    tolerancePct: 0,
    lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }],
    ...overrides,
  });
  const issue = async (body: Json, key = moc) => t.request('POST', '/api/v1/ledger/accounts', { key, body });
  const issued = async (overrides: Json = {}, key = moc) => {
    const response = await issue(licence(overrides), key);
    expect(response.statusCode).toBe(201);
    return response.json<Json>();
  };
  const account = async (number: string, key = importer) => (await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key })).json<Json>();
  const declare = (number: string, quantity: number | string = 200, overrides: Json = {}, type = 'automatic-import-licence') =>
    t.request('POST', '/api/v1/submissions', {
      key: broker,
      body: { docType: 'goods-declaration', data: importDeclaration({ lines: [{ ...LAPTOPS, quantity, documents: [{ type, number }] }], ...overrides }) },
    });
  const decide = (id: string, key: string, outcome: string, reasons?: Json[]) =>
    t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: reasons === undefined ? { outcome } : { outcome, reasons } });

  it('issues a signed account that anyone can verify with the published keys', async () => {
    const created = await issued();
    expect(created).toMatchObject({ type: 'automatic-import-licence', issuer: 'MOC', holder: IMPORTER, status: 'active', uses: 0, maxUses: 6, ports: ['CNNGB', 'CNSHA'] });
    expect(created.lines).toEqual([{ lineNo: 1, hsCode: '8471300000', unit: 'PCE', quantity: '1000', ceiling: '1000', reserved: '0', posted: '0', remaining: '1000' }]);
    expect(created.signature.split('.')).toHaveLength(3);

    const keys = await t.request('GET', '/api/v1/ledger/keys');
    expect(keys.statusCode).toBe(200);
    expect(keys.json<Json>().keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', issuer: 'MOC', use: 'sig' })]);
    expect(JSON.stringify(keys.json())).not.toContain('"d"');

    const verified = await t.request('POST', '/api/v1/ledger/verify', { body: { signature: created.signature } });
    expect(verified.statusCode).toBe(200);
    expect(verified.json<Json>()).toMatchObject({ valid: true, issuer: 'MOC', status: 'active', account: { number: created.number, holder: IMPORTER, lines: [{ quantity: '1000' }] } });

    const [header, payload, signature] = created.signature.split('.');
    const content = JSON.parse(Buffer.from(payload, 'base64url').toString());
    content.lines[0].quantity = '100000';
    const tampered = `${header}.${Buffer.from(JSON.stringify(content)).toString('base64url')}.${signature}`;
    const refused = await t.request('POST', '/api/v1/ledger/verify', { body: { signature: tampered } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<Json>().code).toBe('LEDGER_SIGNATURE_INVALID');
  });

  it('refuses an account its issuer may not issue, for goods the type does not cover, with every problem listed', async () => {
    const response = await issue(licence({ holder: '91310000MA1K4A2B91', validTo: '2020-01-01', tolerancePct: '50', lines: [{ hsCode: '0808100000', quantity: 0, unit: 'TNE' }] }), ciq);
    expect(response.statusCode).toBe(422);
    const codes = Object.fromEntries(response.json<Json>().errors.map((error: Json) => [error.path, error.code]));
    expect(codes).toMatchObject({ '$.type': 'LEDGER_ISSUER_NOT_ALLOWED', '$.holder': 'USCC_INVALID', '$.validTo': 'LEDGER_VALIDITY_INVALID', '$.lines[0].quantity': 'DECIMAL_NOT_POSITIVE' });
    expect((await issue(licence(), broker)).statusCode).toBe(403);
    expect((await issue(licence({ type: 'no-such-licence' }))).json<Json>().errors[0].code).toBe('LEDGER_TYPE_UNKNOWN');
  });

  it('issuing the same number twice is idempotent; other content is a conflict', async () => {
    const body = licence();
    expect((await issue(body)).statusCode).toBe(201);
    const again = await issue(body);
    expect(again.statusCode).toBe(200);
    expect(again.json<Json>().number).toBe(body.number);
    const changed = await issue({ ...body, lines: [{ hsCode: '8471300000', quantity: 5000, unit: 'PCE' }] });
    expect(changed.statusCode).toBe(409);
    expect(changed.json<Json>().code).toBe('LEDGER_ACCOUNT_EXISTS');
  });

  it('reserves on submission, writes off on customs release, and shows who used it', async () => {
    const { number } = await issued();
    const submitted = await declare(number, 200);
    expect(submitted.statusCode).toBe(201);
    const id = submitted.json<Json>().id;
    expect((await account(number)).lines[0]).toMatchObject({ reserved: '200', posted: '0', remaining: '800' });
    expect((await account(number)).uses).toBe(1);

    await decide(id, cus, 'accepted');
    expect((await decide(id, cus, 'released')).statusCode).toBe(200);
    expect((await account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '200', remaining: '800' });

    const entries = (await t.request('GET', `/api/v1/ledger/accounts/${number}/entries`, { key: moc })).json<Json>().entries;
    expect(entries.map((entry: Json) => `${entry.kind}:${entry.quantity ?? '-'}:${entry.submissionId ?? '-'}:${entry.actor}`)).toEqual([
      'issue:-:-:MOC',
      `reserve:200:${id}:${BROKER}`,
      `post:200:${id}:CUS`,
    ]);
  });

  it('releases the hold when the declaration is rejected or cancelled', async () => {
    const { number } = await issued();
    const rejected = (await declare(number, 300)).json<Json>().id;
    const cancelled = (await declare(number, 100)).json<Json>().id;
    expect((await account(number)).lines[0].remaining).toBe('600');
    expect((await account(number)).uses).toBe(2);
    await decide(rejected, cus, 'rejected', [{ message: 'wrong licence' }]);
    expect((await t.request('POST', `/api/v1/submissions/${cancelled}/cancel`, { key: broker })).statusCode).toBe(200);
    expect((await account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '0', remaining: '1000' });
    expect((await account(number)).uses).toBe(0);
  });

  it('catches each kind of bad reference with its own code, and stores nothing', async () => {
    const { number } = await issued({ ports: ['CNNGB'], validFrom: today, validTo: today });
    const cases: [string, Json, string, string][] = [
      ['forged number', { number: 'AIL-FORGED-1' }, '$.lines[0].documents[0].number', 'LEDGER_ACCOUNT_UNKNOWN'],
      ['wrong type', { type: 'import-licence' }, '$.lines[0].documents[0]', 'LEDGER_TYPE_MISMATCH'],
      ['wrong port', {}, '$.lines[0].documents[0]', 'LEDGER_PORT_NOT_ALLOWED'],
      ['too much', { quantity: 1001, port: 'CNNGB' }, '$.lines[0].documents[0]', 'LEDGER_INSUFFICIENT_BALANCE'],
    ];
    for (const [, change, path, code] of cases) {
      const response = await declare(change.number ?? number, change.quantity ?? 10, { portOfEntry: change.port ?? 'CNSHA' }, change.type ?? 'automatic-import-licence');
      expect(response.statusCode, code).toBe(422);
      expect(response.json<Json>().errors).toContainEqual(expect.objectContaining({ path, code }));
    }
    const otherHolder = await issued({ holder: OTHER_ENTERPRISE });
    // Another enterprise's licence is, to this declaration, a number the ledger does not know (test/ledger-oracle.test.ts).
    expect((await declare(otherHolder.number)).json<Json>().errors).toContainEqual(expect.objectContaining({ path: '$.lines[0].documents[0].number', code: 'LEDGER_ACCOUNT_UNKNOWN' }));
    const origin = await issued({ type: 'certificate-of-origin', number: `CO-${kind.toUpperCase()}-1`, direction: 'export', maxUses: 1 }, ciq);
    expect((await declare(origin.number, 10, {}, 'certificate-of-origin')).json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_DIRECTION_MISMATCH' }));
    const expired = await issued({ validFrom: '2020-01-01', validTo: '2020-12-31' });
    expect((await declare(expired.number)).json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_NOT_VALID_ON_DATE' }));
    const apples = await issued({ lines: [{ hsCode: '84713000', quantity: 10, unit: 'KGM' }] });
    expect((await declare(apples.number)).json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_UNIT_MISMATCH' }));
    expect((await account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '0' });
    expect((await account(number)).uses).toBe(0);
  });

  it('a revoked or suspended account is refused, and revoking voids what it held', async () => {
    const { number } = await issued();
    const held = (await declare(number, 50)).json<Json>().id;
    const suspended = await t.request('POST', `/api/v1/ledger/accounts/${number}/suspend`, { key: moc, body: { reason: 'under review' } });
    expect(suspended.json<Json>()).toMatchObject({ status: 'suspended', lines: [{ reserved: '0' }] });
    expect((await declare(number)).json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_ACCOUNT_SUSPENDED' }));
    await decide(held, cus, 'accepted');
    const lapsed = await decide(held, cus, 'released');
    expect(lapsed.statusCode).toBe(409);
    expect(lapsed.json<Json>().code).toBe('LEDGER_RESERVATION_LAPSED');

    expect((await t.request('POST', `/api/v1/ledger/accounts/${number}/reinstate`, { key: moc, body: { reason: 'cleared' } })).json<Json>().status).toBe('active');
    expect((await declare(number, 10)).statusCode).toBe(201);
    const revoked = await t.request('POST', `/api/v1/ledger/accounts/${number}/revoke`, { key: moc, body: { reason: 'obtained by fraud' } });
    expect(revoked.json<Json>()).toMatchObject({ status: 'revoked', lines: [{ reserved: '0', posted: '0' }] });
    expect((await declare(number)).json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_ACCOUNT_REVOKED' }));
    const again = await t.request('POST', `/api/v1/ledger/accounts/${number}/revoke`, { key: moc, body: { reason: 'twice' } });
    expect(again.statusCode).toBe(409);
    expect((await t.request('POST', `/api/v1/ledger/accounts/${number}/revoke`, { key: cus, body: { reason: 'not mine' } })).statusCode).toBe(403);
  });

  it('counts uses and single-use types allow one declaration', async () => {
    const { number } = await issued({ maxUses: 2 });
    expect((await declare(number, 1)).statusCode).toBe(201);
    expect((await declare(number, 1)).statusCode).toBe(201);
    expect((await declare(number, 1)).json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_USES_EXHAUSTED' }));
  });

  it('requires the documents the regulatory conditions name', async () => {
    const pesticide = { ...LAPTOPS, hsCode: '3808911000', description: 'Insecticide', unit: 'KGM', quantity: 500 };
    const response = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines: [pesticide] }) } });
    expect(response.statusCode).toBe(422);
    expect(response.json<Json>().errors).toContainEqual(expect.objectContaining({ path: '$.lines[0].documents', code: 'LEDGER_DOCUMENT_REQUIRED' }));
    const types = (await t.request('GET', '/api/v1/ledger/types', { key: broker })).json<Json>();
    expect(types.conditions).toContainEqual(expect.objectContaining({ prefix: '3808', requires: ['pesticide-registration'] }));
    expect(types.types.map((type: Json) => type.id)).toContain('processing-trade-manual');
  });

  it('only the holder, the issuer, customs and operators see an account', async () => {
    const { number } = await issued();
    expect((await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: importer })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: moc })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: cus })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: other })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: ciq })).statusCode).toBe(404);
    const mine = (await t.request('GET', '/api/v1/ledger/accounts?limit=200', { key: importer })).json<Json>();
    expect(mine.accounts.every((entry: Json) => entry.holder === IMPORTER)).toBe(true);
    expect(mine.accounts.map((entry: Json) => entry.number)).toContain(number);
  });

  it("says why a hold was given back in the reader's language, and an officer's own words as written", async () => {
    const { number } = await issued();
    const rejected = (await declare(number, 30)).json<Json>().id;
    const cancelled = (await declare(number, 20)).json<Json>().id;
    const suspendedHold = (await declare(number, 10)).json<Json>().id;
    await decide(rejected, cus, 'rejected', [{ message: 'wrong licence' }]);
    await t.request('POST', `/api/v1/submissions/${cancelled}/cancel`, { key: broker });
    // An officer's words that happen to read like one of Kouan's reasons are still the officer's.
    await t.request('POST', `/api/v1/ledger/accounts/${number}/suspend`, { key: moc, body: { reason: 'rejected by CUS' } });
    await t.request('POST', `/api/v1/ledger/accounts/${number}/reinstate`, { key: moc, body: { reason: '核查完毕' } });
    const lapsing = (await declare(number, 5)).json<Json>().id;
    expect(await t.kouan.services.ledger.expireDue(new Date(Date.now() + 400 * 86_400_000))).toBeGreaterThan(0);
    // A void entry written before reasons kept their code: recognised from its English text.
    await t.kouan.services.store.db
      .insertInto('ledger_entries')
      .values({ entry_id: `${number}:old-void`, account_number: number, line_no: null, kind: 'void', side: null, quantity: null, reservation_id: null, submission_id: null, actor: 'MOC', reason: 'account revoked: obtained by fraud', reason_code: null, reason_params: null, at: new Date().toISOString() })
      .execute();

    const read = async (language: string) => {
      const response = await t.request('GET', `/api/v1/ledger/accounts/${number}/entries`, { key: moc, headers: { 'accept-language': language } });
      expect(response.statusCode).toBe(200);
      return response.json<Json>().entries.filter((entry: Json) => entry.reason !== null).map((entry: Json) => [entry.kind, entry.submissionId ?? '-', entry.reasonCode ?? '-', entry.reason]);
    };
    expect(await read('zh-CN,zh;q=0.9')).toEqual([
      ['void', rejected, 'SUBMISSION_REJECTED', 'CUS 已退单'],
      ['void', cancelled, 'CANCELLED_BY_DECLARANT', `已由申报人 ${BROKER} 撤销`],
      ['suspend', '-', '-', 'rejected by CUS'],
      ['void', suspendedHold, 'ACCOUNT_SUSPENDED', '账户已暂停：rejected by CUS'],
      ['reinstate', '-', '-', '核查完毕'],
      ['expire', lapsing, 'HOLD_EXPIRED', '保留期届满前未作出决定'],
      ['void', '-', 'ACCOUNT_REVOKED', '账户已撤销：obtained by fraud'],
    ]);
    expect((await read('en')).map((entry: string[]) => entry[3])).toEqual([
      'rejected by CUS',
      `Cancelled by ${BROKER}`,
      'rejected by CUS',
      'account suspended: rejected by CUS',
      '核查完毕',
      'no decision before the hold expired',
      'account revoked: obtained by fraud',
    ]);
  });

  it('the audit replays every entry to the stored balances and finds a tampered row', async () => {
    const clean = await t.kouan.services.ledger.audit();
    expect(clean.problems).toEqual([]);
    expect(clean.entries).toBeGreaterThan(10);
    const { number } = await issued();
    await t.kouan.services.store.db.updateTable('ledger_lines').set({ granted: 999_000_000_000, ceiling: 999_000_000_000 }).where('account_number', '=', number).execute();
    const tampered = await t.kouan.services.ledger.audit();
    expect(tampered.problems).toEqual([`${number}: the record does not match its signature`]);
    expect((await declare(number)).json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_SIGNATURE_BROKEN' }));
    await t.kouan.services.store.db.updateTable('ledger_lines').set({ granted: 1_000_000_000, ceiling: 1_000_000_000 }).where('account_number', '=', number).execute();
    expect((await t.kouan.services.ledger.audit()).problems).toEqual([]);
  });
});

describe.each(kinds)('processing-trade manual on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let importer: string;
  let cus: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ broker, importer, cus } = await cast(t));
  });
  afterAll(async () => {
    await t.close();
  });

  const YARN = { hsCode: '5205120000', description: 'Cotton yarn', quantity: 1000, unit: 'KGM', netWeightKg: 1000, grossWeightKg: 1010, value: 4000, originCountry: 'PK' };
  const SHIRTS = { hsCode: '6109100000', description: 'Cotton T-shirts', quantity: 2000, unit: 'PCE', netWeightKg: 520, grossWeightKg: 560, value: 9000, originCountry: 'CN' };

  const declare = (line: Json, number: string, direction: 'import' | 'export') => {
    const base = importDeclaration({ lines: [{ ...line, documents: [{ type: 'processing-trade-manual', number }] }] });
    const data =
      direction === 'import'
        ? base
        : {
            ...base,
            direction: 'export',
            portOfEntry: undefined,
            countryOfDispatch: undefined,
            portOfExit: 'CNSHA',
            countryOfDestination: 'DE',
            consignor: { id: IMPORTER, name: 'Shanghai Example Trading Co., Ltd.' },
            consignee: { name: 'Example Retail GmbH', country: 'DE' },
          };
    return t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data } });
  };
  const release = async (id: string) => {
    expect((await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'accepted' } })).statusCode).toBe(200);
    expect((await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'released' } })).statusCode).toBe(200);
  };
  const line = async (number: string) => (await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: importer })).json<Json>().lines[0];

  it('imports credit the materials and exports debit them by consumption ratio', async () => {
    const issued = await t.request('POST', '/api/v1/ledger/accounts', {
      key: cus,
      body: {
        type: 'processing-trade-manual',
        number: `PTM-${kind.toUpperCase()}-1`,
        holder: IMPORTER,
        direction: 'import',
        validFrom: today,
        validTo: nextYear,
        lines: [{ hsCode: '520512', quantity: 5000, unit: 'KGM' }],
        products: [{ hsCode: '610910', unit: 'PCE', consumption: [{ line: 1, ratio: '0.26' }] }],
      },
    });
    expect(issued.statusCode).toBe(201);
    const { number } = issued.json<Json>();
    expect(issued.json<Json>().products).toEqual([{ hsCode: '610910', unit: 'PCE', consumption: [{ line: 1, ratio: '0.26' }] }]);

    // Nothing imported yet: no stock to export from.
    const early = await declare(SHIRTS, number, 'export');
    expect(early.statusCode).toBe(422);
    expect(early.json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_INSUFFICIENT_STOCK' }));

    const imported = await declare(YARN, number, 'import');
    expect(imported.statusCode).toBe(201);
    await release(imported.json<Json>().id);
    expect(await line(number)).toMatchObject({ posted: '1000', remaining: '4000', stock: '1000', debitPosted: '0' });

    // 2,000 shirts × 0.26 kg = 520 kg of yarn.
    const exported = await declare(SHIRTS, number, 'export');
    expect(exported.statusCode).toBe(201);
    expect(await line(number)).toMatchObject({ debitReserved: '520', stock: '480' });
    await release(exported.json<Json>().id);
    expect(await line(number)).toMatchObject({ posted: '1000', debitReserved: '0', debitPosted: '520', stock: '480' });

    const tooMany = await declare({ ...SHIRTS, quantity: 1900 }, number, 'export');
    expect(tooMany.json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_INSUFFICIENT_STOCK' }));
    const unknownProduct = await declare({ ...SHIRTS, hsCode: '6110200000', description: 'Cotton jerseys' }, number, 'export');
    expect(unknownProduct.json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_NO_MATCHING_PRODUCT' }));
    expect((await t.kouan.services.ledger.audit()).problems).toEqual([]);
  });

  it('refuses products on other account types and consumption of missing materials', async () => {
    const response = await t.request('POST', '/api/v1/ledger/accounts', {
      key: cus,
      body: {
        type: 'processing-trade-manual',
        holder: IMPORTER,
        direction: 'import',
        validFrom: today,
        validTo: nextYear,
        lines: [{ hsCode: '520512', quantity: 5000, unit: 'KGM' }],
        products: [{ hsCode: '610910', unit: 'PCE', consumption: [{ line: 2, ratio: 0 }] }],
      },
    });
    expect(Object.fromEntries(response.json<Json>().errors.map((error: Json) => [error.path, error.code]))).toEqual({
      '$.products[0].consumption[0].line': 'LEDGER_PRODUCT_INVALID',
      '$.products[0].consumption[0].ratio': 'DECIMAL_NOT_POSITIVE',
    });
  });
});
