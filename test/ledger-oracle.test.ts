/**
 * The ledger is no oracle, on both stores. A caller who may not use an account (an enterprise that is not its
 * holder declaring for itself or for the holder without standing, a broker without a delegation, a broker
 * delegated by another principal, an agency that neither issued it nor verifies declarations) learns nothing of
 * it: citing it gives, byte for byte, the answer of a number that does not exist, on POST /validate and on
 * POST /submissions; reading it, its entries, or suspending or revoking it gives the 404 of an unknown number;
 * and nothing changes. The holder (and its delegated broker) still get every precise message: the balance
 * left, uses, ports, validity, status, type, lines and units.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, LAPTOPS, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;
const inTwoYears = `${Number(today.slice(0, 4)) + 2}${today.slice(4, 8)}01`;
/** A broker that holds no delegation at all. */
const LONE_BROKER = '91440300MA5FA5XK3A';
/** A broker delegated by OTHER_PRINCIPAL only. */
const OTHER_BROKER = '91330200MA2CL3PQ1U';
const OTHER_PRINCIPAL = '914403001922038216';
const AIL = 'automatic-import-licence';
/** The probing tests send several hundred requests; on a machine shared with other work they take a while. */
const SLOW_TEST_MS = 120_000;
const YARN = { hsCode: '5205120000', description: 'Cotton yarn', quantity: 100, unit: 'KGM', netWeightKg: 100, grossWeightKg: 101, value: 400, originCountry: 'PK' };
const SHIRTS = { hsCode: '6109100000', description: 'Cotton T-shirts', quantity: 1000, unit: 'PCE', netWeightKg: 260, grossWeightKg: 280, value: 9000, originCountry: 'CN' };

describe.each(kinds)('the ledger is no oracle on %s', (kind) => {
  let t: TestKouan;
  const keys: Record<string, string> = {};
  /** The importer's accounts, each in one state a caller might want to learn about. */
  const real: Record<string, string> = {};
  let broker: string;

  let serial = 0;
  /** Neutral numbers, so that an answer naming one tells nothing by the number itself. */
  const number = (name: string) => (real[name] ??= `ORA-${kind.toUpperCase()}-${(serial += 1).toString().padStart(4, '0')}`);
  const issue = async (name: string, overrides: Json = {}, issuer = 'moc') => {
    const response = await t.request('POST', '/api/v1/ledger/accounts', {
      key: keys[issuer],
      body: { type: AIL, number: number(name), holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }], ...overrides },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>();
  };
  const line = (account: string, overrides: Json = {}, type = AIL) => ({ ...LAPTOPS, quantity: 10, ...overrides, documents: [{ type, number: account }] });
  /**
   * One goods line per account (and a few more on the balance one: type, line, unit), 400 laptops on the
   * balance; the last cites the other principal's account.
   */
  const probeLines = () => [
    line(real.balance ?? '', { quantity: 400 }),
    line(real.uses ?? ''),
    line(real.ports ?? ''),
    line(real.later ?? ''),
    line(real.revoked ?? ''),
    line(real.suspended ?? ''),
    line(real.balance ?? '', {}, 'import-licence'),
    line(real.balance ?? '', { hsCode: '8473300000', description: 'Parts' }),
    line(real.balance ?? '', { unit: 'SET' }),
    line(real.origin ?? '', {}, 'certificate-of-origin'),
    line(real.tampered ?? ''),
    line(real.others ?? ''),
  ];
  /** An export of shirts from the manual (more than its stock), and of jerseys it has no product for. */
  const exportLines = () => [
    { ...SHIRTS, documents: [{ type: 'processing-trade-manual', number: real.manual ?? '' }] },
    { ...SHIRTS, hsCode: '6110200000', description: 'Cotton jerseys', documents: [{ type: 'processing-trade-manual', number: real.manual ?? '' }] },
  ];
  const exportDeclaration = (declarant: string, trader: string, lines: Json[]) => ({
    ...importDeclaration({ declarant, lines }),
    direction: 'export',
    portOfEntry: undefined,
    countryOfDispatch: undefined,
    portOfExit: 'CNSHA',
    countryOfDestination: 'DE',
    consignor: { id: trader, name: 'Exporter' },
    consignee: { name: 'Example Retail GmbH', country: 'DE' },
  });
  const declaration = (declarant: string, trader: Json | undefined, lines: Json[]) => importDeclaration({ declarant, consignee: trader ?? { name: 'No id given' }, lines });

  /** The request with every real account number swapped for a number of the same length that does not exist. */
  const unknownTwin = (body: Json): Json => {
    let text = JSON.stringify(body);
    for (const value of Object.values(real)) text = text.replaceAll(value, value.replace(/^ORA-/, 'ZZZ-'));
    return JSON.parse(text) as Json;
  };
  /** An answer as bytes, with the request id (different each time) left out and unknown numbers named back as the real ones. */
  const bytes = (response: { body: string }) => {
    let text = JSON.stringify({ ...(JSON.parse(response.body) as Json), requestId: '-' });
    for (const value of Object.values(real)) text = text.replaceAll(value.replace(/^ORA-/, 'ZZZ-'), value);
    return text;
  };
  const post = (url: string, key: string, data: Json) => t.request('POST', url, { key, body: { docType: 'goods-declaration', data } });
  /** What the importer's accounts hold now: nothing an attacker does may change it. */
  const snapshot = async () => {
    const views = [];
    for (const value of Object.values(real)) views.push(bytes(await t.request('GET', `/api/v1/ledger/accounts/${value}`, { key: keys.importer })));
    return views;
  };

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys.importer = await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    keys.broker = broker;
    await t.delegate(IMPORTER, BROKER);
    keys.stranger = await t.enterprise(OTHER_ENTERPRISE);
    keys.lone = await t.enterprise(LONE_BROKER, ['declarant', 'broker']);
    keys.otherBroker = await t.enterprise(OTHER_BROKER, ['declarant', 'broker']);
    keys.otherPrincipal = await t.enterprise(OTHER_PRINCIPAL);
    await t.delegate(OTHER_PRINCIPAL, OTHER_BROKER);
    for (const agency of ['MOC', 'CUS', 'CIQ', 'MSA']) keys[agency.toLowerCase()] = await t.agency(agency);

    // 377 laptops left on the balance licence, after the importer declared 623 of its 1000.
    await issue('balance', { ports: ['CNSHA', 'CNNGB'] });
    const used = await post('/api/v1/submissions', keys.importer, declaration(IMPORTER, { id: IMPORTER, name: 'Importer' }, [line(real.balance ?? '', { quantity: 623 })]));
    expect(used.statusCode, used.body).toBe(201);
    await issue('uses', { maxUses: 1 });
    expect((await post('/api/v1/submissions', keys.importer, declaration(IMPORTER, { id: IMPORTER, name: 'Importer' }, [line(real.uses ?? '')]))).statusCode).toBe(201);
    await issue('ports', { ports: ['CNTAO'] });
    await issue('later', { validFrom: nextYear, validTo: inTwoYears });
    await issue('revoked');
    expect((await t.request('POST', `/api/v1/ledger/accounts/${real.revoked}/revoke`, { key: keys.moc, body: { reason: 'forged invoice' } })).statusCode).toBe(200);
    await issue('suspended');
    expect((await t.request('POST', `/api/v1/ledger/accounts/${real.suspended}/suspend`, { key: keys.moc, body: { reason: 'under review' } })).statusCode).toBe(200);
    // A certificate of origin is for exports; this one gets cited on an import.
    await issue('origin', { type: 'certificate-of-origin', direction: 'export' }, 'ciq');
    // Its stored validity no longer matches its signature.
    await issue('tampered');
    await t.kouan.services.store.db.updateTable('ledger_accounts').set({ valid_to: inTwoYears }).where('number', '=', real.tampered ?? '').execute();
    // A processing-trade manual with 100 kg of yarn imported: stock for 384 shirts.
    await issue(
      'manual',
      { type: 'processing-trade-manual', lines: [{ hsCode: '520512', quantity: 5000, unit: 'KGM' }], products: [{ hsCode: '610910', unit: 'PCE', consumption: [{ line: 1, ratio: '0.26' }] }] },
      'cus',
    );
    const yarn = await post('/api/v1/submissions', keys.importer, declaration(IMPORTER, { id: IMPORTER, name: 'Importer' }, [{ ...YARN, documents: [{ type: 'processing-trade-manual', number: real.manual ?? '' }] }]));
    expect(yarn.statusCode, yarn.body).toBe(201);
    for (const outcome of ['accepted', 'released']) {
      expect((await t.request('POST', `/api/v1/submissions/${yarn.json<Json>().id as string}/decisions`, { key: keys.cus, body: { outcome } })).statusCode).toBe(200);
    }
    // Held by the other principal: the importer (and its broker) may not use it either.
    await issue('others', { holder: OTHER_PRINCIPAL });
  });
  afterAll(async () => {
    await t.close();
  });

  /** The importer's accounts only. */
  const importersLines = () => probeLines().slice(0, 11);
  /** Who attacks with which declaration: each must get the unknown-number answer, byte for byte. */
  const attacks = (): { who: string; key: string; data: Json }[] => [
    { who: 'a stranger enterprise declaring for the holder', key: keys.stranger ?? '', data: declaration(OTHER_ENTERPRISE, { id: IMPORTER, name: 'Importer' }, importersLines()) },
    { who: 'a stranger enterprise declaring for itself', key: keys.stranger ?? '', data: declaration(OTHER_ENTERPRISE, { id: OTHER_ENTERPRISE, name: 'Stranger' }, importersLines()) },
    { who: 'a stranger enterprise naming no trader id', key: keys.stranger ?? '', data: declaration(OTHER_ENTERPRISE, undefined, importersLines()) },
    { who: 'a stranger enterprise naming the holder as declarant', key: keys.stranger ?? '', data: declaration(IMPORTER, { id: IMPORTER, name: 'Importer' }, importersLines()) },
    { who: 'a broker without a delegation declaring for the holder', key: keys.lone ?? '', data: declaration(LONE_BROKER, { id: IMPORTER, name: 'Importer' }, importersLines()) },
    { who: 'a broker without a delegation declaring for itself', key: keys.lone ?? '', data: declaration(LONE_BROKER, { id: LONE_BROKER, name: 'Lone broker' }, importersLines()) },
    { who: 'a broker delegated by another principal, declaring for the holder', key: keys.otherBroker ?? '', data: declaration(OTHER_BROKER, { id: IMPORTER, name: 'Importer' }, importersLines()) },
    { who: 'a broker delegated by another principal, declaring for that principal', key: keys.otherBroker ?? '', data: declaration(OTHER_BROKER, { id: OTHER_PRINCIPAL, name: 'Other principal' }, importersLines()) },
    { who: "the holder's own broker, declaring for itself", key: broker, data: declaration(BROKER, { id: BROKER, name: 'Broker' }, importersLines()) },
    { who: "the other principal, citing the importer's accounts", key: keys.otherPrincipal ?? '', data: declaration(OTHER_PRINCIPAL, { id: OTHER_PRINCIPAL, name: 'Other principal' }, importersLines()) },
    { who: "a stranger enterprise exporting from the importer's manual", key: keys.stranger ?? '', data: exportDeclaration(OTHER_ENTERPRISE, IMPORTER, exportLines()) },
    { who: "a broker without a delegation exporting from the importer's manual for itself", key: keys.lone ?? '', data: exportDeclaration(LONE_BROKER, LONE_BROKER, exportLines()) },
    { who: "a broker delegated by another principal exporting from the importer's manual for it", key: keys.otherBroker ?? '', data: exportDeclaration(OTHER_BROKER, OTHER_PRINCIPAL, exportLines()) },
  ];

  it('citing an account one may not use answers exactly as citing a number that does not exist, on validate and submit', async () => {
    const before = await snapshot();
    for (const { who, key, data } of attacks()) {
      for (const url of ['/api/v1/validate', '/api/v1/submissions']) {
        const cited = await post(url, key, data);
        const unknown = await post(url, key, unknownTwin(data));
        expect(cited.statusCode, `${who} on ${url}`).toBe(unknown.statusCode);
        expect(bytes(cited), `${who} on ${url}`).toBe(bytes(unknown));
        // Nothing but the standing or "unknown": no balance, holder, status, validity, port or use count.
        const codes = new Set(((cited.json<Json>().errors ?? []) as Json[]).map((error) => error.code as string));
        expect([...codes].filter((code) => code.startsWith('LEDGER_') && code !== 'LEDGER_ACCOUNT_UNKNOWN'), `${who} on ${url}`).toEqual([]);
        expect(cited.body).not.toMatch(/377|CNTAO|revoked|suspended|uses/);
      }
    }
    expect(await snapshot()).toEqual(before);
  }, SLOW_TEST_MS);

  it('a caller whose standing fails is told about its standing only: no ledger answer at all', async () => {
    const response = await post('/api/v1/validate', keys.lone ?? '', declaration(LONE_BROKER, { id: IMPORTER, name: 'Importer' }, probeLines()));
    expect(response.statusCode).toBe(200);
    const errors = response.json<Json>().errors as Json[];
    expect(errors.map((error) => error.code)).toEqual(['DELEGATION_REQUIRED']);
  });

  it('the holder, and the broker it delegated, still get every precise message', async () => {
    const expected = [
      { path: '$.lines[0].documents[0]', code: 'LEDGER_INSUFFICIENT_BALANCE', message: expect.stringContaining('377') },
      { path: '$.lines[1].documents[0]', code: 'LEDGER_USES_EXHAUSTED' },
      { path: '$.lines[2].documents[0]', code: 'LEDGER_PORT_NOT_ALLOWED', message: expect.stringContaining('CNTAO') },
      { path: '$.lines[3].documents[0]', code: 'LEDGER_NOT_VALID_ON_DATE' },
      { path: '$.lines[4].documents[0]', code: 'LEDGER_ACCOUNT_REVOKED' },
      { path: '$.lines[5].documents[0]', code: 'LEDGER_ACCOUNT_SUSPENDED' },
      { path: '$.lines[6].documents[0]', code: 'LEDGER_TYPE_MISMATCH' },
      { path: '$.lines[7].documents[0]', code: 'LEDGER_NO_MATCHING_LINE' },
      { path: '$.lines[8].documents[0]', code: 'LEDGER_UNIT_MISMATCH' },
      { path: '$.lines[9].documents[0]', code: 'LEDGER_DIRECTION_MISMATCH' },
      { path: '$.lines[10].documents[0]', code: 'LEDGER_SIGNATURE_BROKEN' },
      // Not even the holder learns of another's account.
      { path: '$.lines[11].documents[0].number', code: 'LEDGER_ACCOUNT_UNKNOWN' },
    ].map((error) => expect.objectContaining(error));
    const ledgerErrors = (response: { json: () => unknown }) => ((response.json() as Json).errors as Json[]).filter((error) => String(error.code).startsWith('LEDGER_'));
    const own = await post('/api/v1/validate', keys.importer ?? '', declaration(IMPORTER, { id: IMPORTER, name: 'Importer' }, probeLines()));
    expect(ledgerErrors(own)).toEqual(expected);
    const delegated = await post('/api/v1/validate', broker, declaration(BROKER, { id: IMPORTER, name: 'Importer' }, probeLines()));
    expect(ledgerErrors(delegated)).toEqual(expected);
    const refused = await post('/api/v1/submissions', broker, declaration(BROKER, { id: IMPORTER, name: 'Importer' }, probeLines()));
    expect(refused.statusCode).toBe(422);
    expect(ledgerErrors(refused)).toEqual(expected);
    expect(JSON.stringify(ledgerErrors(own)[0])).toContain('has 377 PCE left');
    const exported = await post('/api/v1/validate', broker, exportDeclaration(BROKER, IMPORTER, exportLines()));
    expect(ledgerErrors(exported)).toEqual([
      expect.objectContaining({ path: '$.lines[0].documents[0]', code: 'LEDGER_INSUFFICIENT_STOCK', message: expect.stringContaining('100') }),
      expect.objectContaining({ path: '$.lines[1].documents[0]', code: 'LEDGER_NO_MATCHING_PRODUCT' }),
    ]);
  });

  it("a broker's own licence cited on its principal's declaration is named as the broker's, since the broker holds it", async () => {
    const brokers = `ORA-${kind.toUpperCase()}-B001`;
    const response = await t.request('POST', '/api/v1/ledger/accounts', {
      key: keys.moc,
      body: { type: AIL, number: brokers, holder: BROKER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] },
    });
    expect(response.statusCode).toBe(201);
    const answer = await post('/api/v1/validate', broker, declaration(BROKER, { id: IMPORTER, name: 'Importer' }, [line(brokers)]));
    expect(answer.json<Json>().errors).toEqual([expect.objectContaining({ path: '$.lines[0].documents[0]', code: 'LEDGER_HOLDER_MISMATCH' })]);
  });

  it('reading, paging the entries of, suspending or revoking an account one may not see answers as for an unknown number', async () => {
    const before = await snapshot();
    const readers = ['stranger', 'lone', 'otherBroker', 'broker', 'otherPrincipal', 'ciq', 'msa'];
    for (const reader of readers) {
      // The other principal's account is left out, and so is, for inspection, the certificate it issued itself.
      for (const value of Object.values(real).filter((account) => account !== real.others && !(reader === 'ciq' && account === real.origin))) {
        const twin = value.replace(/^ORA-/, 'ZZZ-');
        const requests: [string, string, Json | undefined][] = [
          ['GET', '', undefined],
          ['GET', '/entries', undefined],
          ['POST', '/suspend', { reason: 'probe' }],
          ['POST', '/revoke', { reason: 'probe' }],
          ['POST', '/reinstate', { reason: 'probe' }],
        ];
        for (const [method, suffix, body] of requests) {
          const ask = (account: string) => t.request(method as 'GET' | 'POST', `/api/v1/ledger/accounts/${account}${suffix}`, { key: keys[reader] ?? '', body });
          const [cited, unknown] = [await ask(value), await ask(twin)];
          expect(cited.statusCode, `${reader} ${method} ${suffix}`).toBe(unknown.statusCode);
          expect(bytes(cited), `${reader} ${method} ${suffix}`).toBe(bytes(unknown));
        }
      }
    }
    // Those who may see it do.
    for (const reader of ['importer', 'moc', 'cus']) expect((await t.request('GET', `/api/v1/ledger/accounts/${real.balance}`, { key: keys[reader] ?? '' })).statusCode).toBe(200);
    expect(await snapshot()).toEqual(before);
  }, SLOW_TEST_MS);

  it('the online copy check tells the status only of the very account the copy is of', async () => {
    const genuine = (await t.request('GET', `/api/v1/ledger/accounts/${real.revoked}`, { key: keys.importer })).json<Json>().signature as string;
    const copy = await t.request('POST', '/api/v1/ledger/verify', { body: { signature: genuine } });
    expect(copy.json<Json>()).toMatchObject({ valid: true, status: 'revoked' });
    // Anything else Kouan signs (a receipt, a decision) that names the number is not a copy of the account.
    const other = await t.kouan.services.signatures.countersign({ number: real.revoked, note: 'not a licence' }, 'kouan-receipt+jws');
    // Since each key signs one kind of thing, the copy check refuses it outright, and says nothing of the account.
    const answer = await t.request('POST', '/api/v1/ledger/verify', { body: { signature: other } });
    expect(answer.statusCode).toBe(422);
    expect(answer.json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID' });
    expect(answer.body).not.toContain('revoked');
  });
});
