/**
 * The ledger models on both stores: temporary admission (items written off by re-export, conversion,
 * abandonment or destruction, with a deadline customs extends), transport documents (a carrier's bill, its
 * packages and gross mass), money claimed once in full, and accounts Kouan opens on an approval. Each is issued,
 * claimed, reserved, written off or voided, shown, and replayed by the audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerClaim, LedgerClaimLine } from '../src/modules/ledger/index.js';
import { addMonths } from '../src/modules/ledger/models/index.js';
import { systemReason } from '../src/shared/reasons.js';
import { KouanError } from '../src/shared/errors.js';
import { BROKER, EXPORTER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;

describe.each(kinds)('ledger models on %s', (kind) => {
  let t: TestKouan;
  let importer: string;
  let broker: string;
  let other: string;
  let moc: string;
  let cus: string;
  let carrier: string;
  let serial = 0;
  const number = (prefix: string) => `${prefix}-${kind.toUpperCase()}-${(serial += 1).toString().padStart(5, '0')}`;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ importer, broker, other, cus, moc } = await cast(t));
    carrier = await t.enterprise(EXPORTER, ['carrier']);
    await t.kouan.services.ledger.preparePlatformKey();
  });
  afterAll(async () => {
    await t.close();
  });

  const ledger = () => t.kouan.services.ledger;
  const db = () => t.kouan.services.store.db;
  const issue = (body: Json, key: string) => t.request('POST', '/api/v1/ledger/accounts', { key, body });
  const issued = async (body: Json, key: string) => {
    const response = await issue(body, key);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>();
  };
  const account = async (accountNumber: string, key = cus) => (await t.request('GET', `/api/v1/ledger/accounts/${accountNumber}`, { key })).json<Json>();
  const entries = async (accountNumber: string) => (await t.request('GET', `/api/v1/ledger/accounts/${accountNumber}/entries`, { key: cus })).json<Json>().entries as Json[];
  const errorCodes = (response: { json: <T>() => T }) => Object.fromEntries(response.json<Json>().errors.map((error: Json) => [error.path, error.code]));

  const claim = (lines: LedgerClaimLine[], direction: 'import' | 'export' = 'import'): LedgerClaim => ({ direction, holder: IMPORTER, caller: IMPORTER, port: 'CNSHA', lines });
  const line = (documents: LedgerClaimLine['documents'], quantity: string, unit: string, more: Partial<LedgerClaimLine> = {}): LedgerClaimLine => ({ path: '$.lines[0]', quantity, unit, documents, ...more });
  /** Verifies and reserves a claim as a submission would; returns the problems, or none when it holds. */
  const hold = async (submissionId: string, what: LedgerClaim) => {
    const verdict = await ledger().verifyClaim(what, today);
    if (verdict.errors.length > 0) return verdict.errors.map((error) => error.code);
    await db().transaction().execute((trx) => ledger().reserve(trx, submissionId, verdict.plan, BROKER, new Date().toISOString()));
    return [];
  };
  const post = (submissionId: string) => db().transaction().execute((trx) => ledger().writeOff(trx, submissionId, 'CUS', new Date().toISOString()));
  const release = (submissionId: string) => db().transaction().execute((trx) => ledger().voidReservations(trx, submissionId, 'CUS', systemReason('SUBMISSION_REJECTED', { agency: 'CUS' }), new Date().toISOString()));
  const auditProblems = async () => (await ledger().audit()).problems;

  describe('temporary admission', () => {
    const admission = (overrides: Json = {}): Json => ({
      type: 'temporary-admission',
      number: number('TA'),
      holder: IMPORTER,
      direction: 'import',
      validFrom: today,
      validTo: addMonths(today, 6),
      carnet: 'CN123456789',
      vouchers: ['IMP-1', 'REEXP-1'],
      lines: [
        { key: '1', description: 'Exhibition stand', quantity: 10, unit: 'PCE' },
        { key: '2', hsCode: '8471300000', description: 'Demonstration laptops', quantity: 20, unit: 'PCE' },
      ],
      ...overrides,
    });

    it('issues items keyed by item number, with the carnet, the vouchers and the deadline', async () => {
      const created = await issued(admission(), cus);
      expect(created).toMatchObject({ model: 'temporary-admission', carnet: 'CN123456789', vouchers: ['IMP-1', 'REEXP-1'], deadline: addMonths(today, 6), extensions: 0, issuer: 'CUS' });
      expect(created.lines).toEqual([
        { lineNo: 1, key: '1', description: 'Exhibition stand', unit: 'PCE', quantity: '10', ceiling: '10', reserved: '0', posted: '0', remaining: '10', outstanding: '10' },
        { lineNo: 2, key: '2', hsCode: '8471300000', description: 'Demonstration laptops', unit: 'PCE', quantity: '20', ceiling: '20', reserved: '0', posted: '0', remaining: '20', outstanding: '20' },
      ]);
    });

    it('refuses a deadline beyond six months, items without or with repeated numbers, and extras of other models', async () => {
      const response = await issue(
        admission({ validTo: addMonths(today, 7), products: [{ hsCode: '84', unit: 'PCE', consumption: [{ line: 1, ratio: 1 }] }], lines: [{ quantity: 1, unit: 'PCE' }, { key: 'A', quantity: 1, unit: 'PCE', grossMass: 5 }, { key: 'A', quantity: 1, unit: 'PCE' }] }),
        cus,
      );
      expect(response.statusCode).toBe(422);
      expect(errorCodes(response)).toEqual({
        '$.validTo': 'LEDGER_DEADLINE_TOO_LATE',
        '$.products': 'LEDGER_PRODUCT_INVALID',
        '$.lines[0].key': 'FIELD_REQUIRED',
        '$.lines[1].grossMass': 'LEDGER_FIELD_NOT_ALLOWED',
        '$.lines[2].key': 'LEDGER_LINE_KEY_DUPLICATE',
      });
      expect((await issue(admission(), moc)).json<Json>().errors[0]).toMatchObject({ path: '$.type', code: 'LEDGER_ISSUER_NOT_ALLOWED' });
    });

    it('writes items off by re-export and records how; other kinds of write-off void and post the same way', async () => {
      const { number: ta } = await issued(admission(), cus);
      expect(await hold(`sub-${ta}-a`, claim([line([{ type: 'temporary-admission', number: ta, key: '1', writeOff: 're-export' }], '4', 'PCE')], 'export'))).toEqual([]);
      expect(await hold(`sub-${ta}-b`, claim([line([{ type: 'temporary-admission', number: ta, key: '1', writeOff: 'destruction' }], '6', 'PCE')], 'export'))).toEqual([]);
      expect((await account(ta)).lines[0]).toMatchObject({ reserved: '10', posted: '0', outstanding: '10' });
      // Nothing left for a third hold on item 1.
      expect(await hold(`sub-${ta}-c`, claim([line([{ type: 'temporary-admission', number: ta, key: '1', writeOff: 'abandonment' }], '1', 'PCE')]))).toEqual(['LEDGER_INSUFFICIENT_BALANCE']);

      await post(`sub-${ta}-a`);
      await release(`sub-${ta}-b`);
      expect((await account(ta)).lines[0]).toMatchObject({ reserved: '0', posted: '4', outstanding: '6' });
      const written = (await entries(ta)).filter((entry) => entry.lineNo === 1).map((entry) => `${entry.kind}:${entry.quantity}:${entry.writeOff ?? '-'}`);
      expect(written).toEqual(['reserve:4:re-export', 'reserve:6:destruction', 'post:4:re-export', 'void:6:destruction']);
      expect(await ledger().reservationsOf(`sub-${ta}-a`)).toEqual([expect.objectContaining({ account: ta, line: 1, quantity: '4', state: 'posted', writeOff: 're-export' })]);
      expect(await auditProblems()).toEqual([]);
    });

    it('refuses a write-off the declaration cannot make, an item it does not have, and a unit it is not kept in', async () => {
      const { number: ta } = await issued(admission(), cus);
      expect(await hold('sub-x1', claim([line([{ type: 'temporary-admission', number: ta, key: '1', writeOff: 're-export' }], '1', 'PCE')], 'import'))).toEqual(['LEDGER_WRITE_OFF_INVALID']);
      expect(await hold('sub-x2', claim([line([{ type: 'temporary-admission', number: ta, key: '9' }], '1', 'PCE')], 'export'))).toEqual(['LEDGER_NO_MATCHING_KEY']);
      expect(await hold('sub-x3', claim([line([{ type: 'temporary-admission', number: ta, key: '1' }], '1', 'KGM')], 'export'))).toEqual(['LEDGER_UNIT_MISMATCH']);
      expect((await account(ta)).lines.map((item: Json) => item.reserved)).toEqual(['0', '0']);
    });

    it('converts items to a definitive import when a goods declaration cites the admission for goods it lists by HS code', async () => {
      const { number: ta } = await issued(admission(), cus);
      const submitted = await t.request('POST', '/api/v1/submissions', {
        key: broker,
        body: { docType: 'goods-declaration', data: importDeclaration({ lines: [{ ...LAPTOPS, quantity: 5, documents: [{ type: 'temporary-admission', number: ta }] }] }) },
      });
      expect(submitted.statusCode, submitted.body).toBe(201);
      expect((await account(ta)).lines[1]).toMatchObject({ key: '2', reserved: '5' });
      expect(await ledger().reservationsOf(submitted.json<Json>().id)).toEqual([expect.objectContaining({ line: 2, quantity: '5', state: 'reserved', writeOff: 'conversion' })]);
    });

    it('lists overdue admissions for customs and the holder, and customs extends them at most three times', async () => {
      const entered = addMonths(today, -7);
      const { number: ta } = await issued(admission({ validFrom: entered, validTo: addMonths(entered, 6) }), cus);
      const overdueFor = async (key: string) => ((await t.request('GET', '/api/v1/ledger/overdue', { key })).json<Json>().accounts as Json[]).map((found) => found.number);
      expect(await overdueFor(cus)).toContain(ta);
      expect(await overdueFor(importer)).toContain(ta);
      expect(await overdueFor(other)).not.toContain(ta);
      expect(await overdueFor(moc)).not.toContain(ta);

      const extend = (key: string, target = ta) => t.request('POST', `/api/v1/ledger/accounts/${target}/extend`, { key, body: { reason: 'exhibition prolonged' } });
      expect((await extend(importer)).statusCode).toBe(403);
      expect((await extend(moc)).statusCode).toBe(404);
      const first = await extend(cus);
      expect(first.statusCode).toBe(200);
      expect(first.json<Json>()).toMatchObject({ extensions: 1, deadline: addMonths(addMonths(entered, 6), 6), validTo: addMonths(addMonths(entered, 6), 6) });
      expect(await overdueFor(cus)).not.toContain(ta);
      expect((await extend(cus)).statusCode).toBe(200);
      expect((await extend(cus)).statusCode).toBe(200);
      const fourth = await extend(cus);
      expect(fourth.statusCode).toBe(409);
      expect(fourth.json<Json>()).toMatchObject({ code: 'LEDGER_EXTENSIONS_EXHAUSTED' });
      expect((await entries(ta)).filter((entry) => entry.kind === 'extend').map((entry) => `${entry.actor}:${entry.reason}`)).toEqual(Array(3).fill('CUS:exhibition prolonged'));
      expect(await auditProblems()).toEqual([]);

      // A deadline moved in the store without its entry is caught by the audit.
      await db().updateTable('ledger_accounts').set({ valid_to: '2099-12-31', extensions: 3 }).where('number', '=', ta).execute();
      expect(await auditProblems()).toEqual([`${ta}: the record does not match its signature`]);
      await db().updateTable('ledger_accounts').set({ valid_to: addMonths(addMonths(addMonths(addMonths(entered, 6), 6), 6), 6) }).where('number', '=', ta).execute();
      expect(await auditProblems()).toEqual([]);
    });

    it('refuses to extend a revoked admission or an account without a deadline', async () => {
      const { number: ta } = await issued(admission(), cus);
      await t.request('POST', `/api/v1/ledger/accounts/${ta}/revoke`, { key: cus, body: { reason: 'left the country' } });
      const revoked = await t.request('POST', `/api/v1/ledger/accounts/${ta}/extend`, { key: cus, body: { reason: 'late' } });
      expect(revoked.statusCode).toBe(409);
      expect(revoked.json<Json>().code).toBe('LEDGER_ACCOUNT_STATE');
      const { number: letter } = await issued({ type: 'customs-payment-letter', number: number('DPL'), holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ quantity: 100, unit: 'CNY' }] }, cus);
      const none = await t.request('POST', `/api/v1/ledger/accounts/${letter}/extend`, { key: cus, body: { reason: 'late' } });
      expect(none.statusCode).toBe(409);
      expect(none.json<Json>().code).toBe('LEDGER_EXTENSION_NOT_ALLOWED');
      expect((await t.request('POST', '/api/v1/ledger/accounts/NO-SUCH-TA/extend', { key: cus, body: { reason: 'late' } })).statusCode).toBe(404);
    });
  });

  describe('transport document', () => {
    const bill = (overrides: Json = {}): Json => ({
      type: 'transport-document',
      number: number('MSKU'),
      holder: IMPORTER,
      direction: 'import',
      validFrom: today,
      validTo: nextYear,
      lines: [
        { description: 'Laptops', quantity: 40, unit: 'CT', grossMass: '1250.5' },
        { description: 'Monitors', quantity: 10, unit: 'PK', grossMass: 300 },
      ],
      ...overrides,
    });

    it('is recorded by the carrier that issued it: packages and gross mass per bill line, keyed by bill and line', async () => {
      const body = bill();
      const created = await issued(body, carrier);
      expect(created).toMatchObject({ model: 'transport-document', issuer: EXPORTER, holder: IMPORTER });
      expect(created.lines.map((stored: Json) => `${stored.lineNo}:${stored.key}:${stored.quantity} ${stored.unit}:${stored.description}`)).toEqual([
        `1:${body.number}/1:40 CT:Laptops`,
        `2:${body.number}/1:1250.5 KGM:Laptops`,
        `3:${body.number}/2:10 PK:Monitors`,
        `4:${body.number}/2:300 KGM:Monitors`,
      ]);
      expect(created.lines[0].hsCode).toBeUndefined();
      // The carrier sees the bill it recorded, and may suspend it; another enterprise may not issue one.
      expect((await t.request('GET', `/api/v1/ledger/accounts/${created.number}`, { key: carrier })).statusCode).toBe(200);
      expect((await t.request('POST', `/api/v1/ledger/accounts/${created.number}/suspend`, { key: carrier, body: { reason: 'bill surrendered' } })).json<Json>().status).toBe('suspended');
      expect((await issue(bill(), other)).statusCode).toBe(403);
    });

    it('refuses a bill without its number, a line without its mass, an HS code, and an agency as its issuer', async () => {
      const response = await issue(bill({ number: undefined, lines: [{ quantity: 1, unit: 'CT', hsCode: '8471' }, { quantity: 1, unit: 'KGM', grossMass: 1 }] }), carrier);
      expect(response.statusCode).toBe(422);
      expect(errorCodes(response)).toEqual({
        '$.number': 'LEDGER_NUMBER_REQUIRED',
        '$.lines[0].hsCode': 'LEDGER_FIELD_NOT_ALLOWED',
        '$.lines[0].grossMass': 'FIELD_REQUIRED',
        '$.lines[1].unit': 'LEDGER_PACKAGE_UNIT_INVALID',
      });
      expect((await issue(bill(), moc)).json<Json>().errors[0]).toMatchObject({ path: '$.type', code: 'LEDGER_ISSUER_NOT_ALLOWED' });
    });

    it('takes packages and gross mass of the bill line a claim names, never more than the bill carries', async () => {
      const { number: bl } = await issued(bill(), carrier);
      const reference = { type: 'transport-document', number: bl, key: `${bl}/1` };
      expect(await hold(`sub-${bl}-a`, claim([line([reference], '30', 'CT', { measures: [{ quantity: '1000', unit: 'KGM' }] })]))).toEqual([]);
      expect((await account(bl)).lines.slice(0, 2).map((stored: Json) => stored.reserved)).toEqual(['30', '1000']);
      expect(await hold(`sub-${bl}-b`, claim([line([reference], '5', 'CT', { measures: [{ quantity: '300', unit: 'KGM' }] })]))).toEqual(['LEDGER_INSUFFICIENT_BALANCE']);
      expect(await hold(`sub-${bl}-c`, claim([line([{ type: 'transport-document', number: bl }], '1', 'CT')]))).toEqual(['LEDGER_LINE_KEY_REQUIRED']);
      expect(await hold(`sub-${bl}-d`, claim([line([{ ...reference, key: `${bl}/7` }], '1', 'CT')]))).toEqual(['LEDGER_NO_MATCHING_KEY']);
      expect(await hold(`sub-${bl}-e`, claim([line([reference], '1', 'PK')]))).toEqual(['LEDGER_UNIT_MISMATCH']);
      expect(await hold(`sub-${bl}-f`, claim([line([reference], '1', 'CT')], 'export'))).toEqual(['LEDGER_DIRECTION_MISMATCH']);
      await post(`sub-${bl}-a`);
      expect((await account(bl)).lines.slice(0, 2).map((stored: Json) => `${stored.posted}/${stored.outstanding}`)).toEqual(['30/10', '1000/250.5']);
      expect(await auditProblems()).toEqual([]);
    });
  });

  describe('money', () => {
    const letter = (overrides: Json = {}): Json => ({ type: 'customs-payment-letter', number: number('DPL'), holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ quantity: '12345.67', unit: 'CNY' }], ...overrides });

    it('holds one amount in a currency, kept to the cent', async () => {
      const created = await issued(letter(), cus);
      expect(created).toMatchObject({ model: 'money', maxUses: 1, lines: [{ lineNo: 1, key: 'CNY', unit: 'CNY', quantity: '12345.67', remaining: '12345.67' }] });
      const response = await issue(letter({ lines: [{ quantity: '1.234', unit: 'CN' }, { quantity: 1, unit: 'USD', hsCode: '01' }] }), cus);
      expect(errorCodes(response)).toEqual({
        '$.lines': 'LEDGER_ONE_AMOUNT',
        '$.lines[0].unit': 'LEDGER_CURRENCY_INVALID',
        '$.lines[0].quantity': 'DECIMAL_PRECISION',
        '$.lines[1].hsCode': 'LEDGER_FIELD_NOT_ALLOWED',
      });
    });

    it('is claimed once, in full', async () => {
      const { number: dpl } = await issued(letter(), cus);
      const reference = [{ type: 'customs-payment-letter', number: dpl }];
      expect(await hold(`sub-${dpl}-a`, claim([line(reference, '100', 'CNY')]))).toEqual(['LEDGER_NOT_IN_FULL']);
      expect(await hold(`sub-${dpl}-b`, claim([line(reference, '12345.67', 'USD')]))).toEqual(['LEDGER_UNIT_MISMATCH']);
      expect(await hold(`sub-${dpl}-c`, claim([line(reference, '12345.67', 'CNY')]))).toEqual([]);
      expect(await hold(`sub-${dpl}-d`, claim([line(reference, '12345.67', 'CNY')]))).toEqual(['LEDGER_USES_EXHAUSTED']);
      await post(`sub-${dpl}-c`);
      expect((await account(dpl)).lines[0]).toMatchObject({ posted: '12345.67', remaining: '0' });
      expect(await auditProblems()).toEqual([]);
    });
  });

  describe('accounts opened on approval', () => {
    const entitlement = (overrides: Json = {}) => ({
      type: 'export-rebate-entitlement',
      number: number('ERE'),
      holder: IMPORTER,
      direction: 'export' as const,
      validFrom: today,
      validTo: nextYear,
      lines: [{ quantity: '880.00', unit: 'CNY' }],
      tenant: t.kouan.config.tenant,
      ...overrides,
    });

    it("are issued by Kouan inside the approval's transaction, signed with its ledger key, and idempotent by number", async () => {
      const request = entitlement();
      const first = await db().transaction().execute((trx) => ledger().issueOnApproval(trx, request));
      expect(first.replayed).toBe(false);
      expect(first.account).toMatchObject({ number: request.number, issuer: 'kouan-ledger', model: 'money', lines: [{ quantity: '880' }] });
      const again = await db().transaction().execute((trx) => ledger().issueOnApproval(trx, request));
      expect(again).toMatchObject({ replayed: true, account: { number: request.number, signature: first.account.signature } });
      await expect(db().transaction().execute((trx) => ledger().issueOnApproval(trx, { ...request, lines: [{ quantity: '1', unit: 'CNY' }] }))).rejects.toMatchObject({ code: 'LEDGER_ACCOUNT_EXISTS' });

      const verified = await t.request('POST', '/api/v1/ledger/verify', { body: { signature: first.account.signature } });
      expect(verified.json<Json>()).toMatchObject({ valid: true, issuer: 'kouan-ledger', status: 'active' });
      expect((await account(request.number, importer)).issuer).toBe('kouan-ledger');
      expect(await auditProblems()).toEqual([]);
    });

    it('leave nothing behind when the approval rolls back, and refuse what the type does not allow', async () => {
      const request = entitlement();
      await expect(
        db().transaction().execute(async (trx) => {
          await ledger().issueOnApproval(trx, request);
          throw new Error('the approval failed after the account was opened');
        }),
      ).rejects.toThrow('the approval failed');
      expect((await t.request('GET', `/api/v1/ledger/accounts/${request.number}`, { key: cus })).statusCode).toBe(404);

      const wrong = db().transaction().execute((trx) => ledger().issueOnApproval(trx, { ...entitlement(), type: 'import-licence', direction: 'import', lines: [{ hsCode: '8471', quantity: '1', unit: 'PCE' }] }));
      await expect(wrong).rejects.toBeInstanceOf(KouanError);
      await expect(wrong).rejects.toMatchObject({ code: 'LEDGER_ACCOUNT_INVALID', errors: [{ path: '$.type', code: 'LEDGER_ISSUER_NOT_ALLOWED' }] });
      // No agency issues what only an approval opens.
      expect((await issue({ ...entitlement(), tenant: undefined }, cus)).json<Json>().errors[0]).toMatchObject({ code: 'LEDGER_ISSUER_NOT_ALLOWED' });
    });

    it('open a processing-trade manual with its products', async () => {
      const request = {
        ...entitlement(),
        type: 'processing-trade-manual',
        number: number('PTM'),
        direction: 'import' as const,
        lines: [{ hsCode: '7606', quantity: '1000', unit: 'KGM' }],
        products: [{ hsCode: '7612', unit: 'PCE', consumption: [{ line: 1, ratio: '0.5' }] }],
      };
      const { account: manual } = await db().transaction().execute((trx) => ledger().issueOnApproval(trx, request));
      expect(manual).toMatchObject({ model: 'processing-manual', issuer: 'kouan-ledger', lines: [{ hsCode: '7606', stock: '0' }], products: [{ hsCode: '7612' }] });
    });
  });
});
