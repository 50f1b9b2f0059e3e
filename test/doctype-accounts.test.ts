/**
 * Accounts a document type's approval opens (the reaction `ledger.issue`) and closes (`ledger.close`), on both
 * stores: an approved processing-trade filing opens the processing-trade manual, which goods declarations then
 * credit (imports of materials) and debit through the consumption ratios (exports of products), and an approved
 * processing-trade closure that reconciles with it closes it; an approved exhibition filing
 * opens a temporary-admission account, whose items declarations write off by re-export or conversion. A
 * rejected filing opens nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples as exhibitionExamples } from '../src/doctypes/exhibition-filing/examples.js';
import { examples as filingExamples } from '../src/doctypes/processing-trade-filing/examples.js';
import { attachPdf } from './support/files.js';
import { IMPORTER, OTHER_ENTERPRISE } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
type Json = Record<string, unknown>;
interface View {
  id: string;
  status: string;
  parts: { agency: string; status: string }[];
  opened?: { type: string; number: string };
}
interface AccountLine {
  lineNo: number;
  key?: string;
  quantity: string;
  posted: string;
  debitPosted?: string;
  stock?: string;
  outstanding?: string;
}

const filing = filingExamples[0]?.document as Json;
const exhibition = exhibitionExamples[0]?.document as Json;

/** A goods declaration the enterprise files for itself, one line citing `documents`. */
function declaration(direction: 'import' | 'export', line: Json): Json {
  const domestic = { id: IMPORTER, name: 'Shanghai Example Garments Co., Ltd.' };
  const foreign = { name: 'Example Apparel Ltd.', country: 'HK' };
  return {
    direction,
    declarant: IMPORTER,
    consignee: direction === 'import' ? domestic : foreign,
    consignor: direction === 'import' ? foreign : domestic,
    customsOffice: '2201',
    ...(direction === 'import' ? { portOfEntry: 'CNSHA', countryOfDispatch: 'HK' } : { portOfExit: 'CNSHA', countryOfDestination: 'HK' }),
    currency: 'USD',
    transport: { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: 'MEDUDE123456', containers: ['MSKU1234565'] },
    lines: [{ grossWeightKg: '100', netWeightKg: '90', value: '1000', originCountry: direction === 'import' ? 'HK' : 'CN', ...line }],
  };
}

describe.each(kinds)('accounts opened on approval on %s', (kind) => {
  let t: TestKouan;
  let enterprise: string;
  const agencies = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestKouan(kind);
    enterprise = await t.enterprise(IMPORTER);
    for (const agency of ['CUS', 'CIQ', 'MOC', 'SAIC']) agencies.set(agency, await t.agency(agency));
  });
  afterAll(async () => t.close());

  const submit = async (docType: string, data: Json) => {
    // The example filing's guarantee is an ATA carnet, which it carries as a file.
    const attachments = (data.guarantee as Json | undefined)?.kind === 'ata-carnet' ? [await attachPdf(t, enterprise, 'ata-carnet', 'ATA carnet DE/A123456')] : [];
    const response = await t.request('POST', '/api/v1/submissions', { key: enterprise, body: { docType, data, attachments } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<View>();
  };
  const decide = async (id: string, agency: string, outcome: string, reasons?: unknown[]) => {
    const response = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: agencies.get(agency), body: { outcome, ...(reasons === undefined ? {} : { reasons }) } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<View>();
  };
  const view = async (id: string) => (await t.request('GET', `/api/v1/submissions/${id}`, { key: enterprise })).json<View>();
  const lines = async (number: string) => {
    const response = await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: enterprise });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ issuer: string; holder: string; type: string; status: string; validTo: string; lines: AccountLine[]; attributes?: Json; carnet?: string; enteredOn?: string | null; extensions?: number }>();
  };
  /** Files a declaration and has customs accept and release it, which writes the cited account off. */
  const release = async (data: Json) => {
    const submitted = await submit('goods-declaration', data);
    await decide(submitted.id, 'CUS', 'accepted');
    await decide(submitted.id, 'CUS', 'released');
  };

  it('opens the processing-trade manual when every agency approved the filing, and not before', async () => {
    const submitted = await submit('processing-trade-filing', filing);
    const [first, ...rest] = submitted.parts;
    expect(first).toBeDefined();
    await decide(submitted.id, first?.agency ?? '', 'approved');
    if (rest.length > 0) expect((await view(submitted.id)).opened).toBeUndefined();
    for (const part of rest) await decide(submitted.id, part.agency, 'approved');
    const approved = await view(submitted.id);
    expect(approved.status).toBe('approved');
    expect(approved.opened?.type).toBe('processing-trade-manual');
    const account = await lines(approved.opened?.number ?? '');
    expect(account).toMatchObject({ type: 'processing-trade-manual', issuer: 'kouan-ledger', holder: IMPORTER, validTo: '2027-11-30' });
    expect(account.attributes).toEqual({ tradeMode: '0214' });
    expect(approved.opened?.number).toBe(`PTM-${submitted.id.slice(4)}`);
    expect(account.lines.map((line) => line.quantity)).toEqual(['16500', '21']);

    // An import of the fabric credits material line 1; an export of shirts debits it by the consumption ratio.
    const manual = { type: 'processing-trade-manual', number: approved.opened?.number };
    await release(declaration('import', { hsCode: '5208320000', description: 'Dyed cotton fabric', quantity: '1000', unit: 'MTR', documents: [manual] }));
    // An export consumes every material of its product: without the press-studs imported, it is refused.
    const early = await t.request('POST', '/api/v1/submissions', { key: enterprise, body: { docType: 'goods-declaration', data: declaration('export', { hsCode: '6205200000', description: "Men's shirts of cotton", quantity: '100', unit: 'PCE', documents: [manual] }) } });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('LEDGER_INSUFFICIENT_STOCK');
    const studsImport = await submit('goods-declaration', declaration('import', { hsCode: '9606100000', description: 'Press-studs', quantity: '1', unit: 'KGM', documents: [manual] }));
    await decide(studsImport.id, 'CUS', 'accepted');
    await decide(studsImport.id, 'CUS', 'released');
    await release(declaration('export', { hsCode: '6205200000', description: "Men's shirts of cotton", quantity: '100', unit: 'PCE', documents: [manual] }));
    const [fabric, studs] = (await lines(manual.number ?? '')).lines;
    expect(fabric).toMatchObject({ posted: '1000', debitPosted: '165', stock: '835' });
    expect(studs).toMatchObject({ posted: '1', debitPosted: '0.2', stock: '0.8' });
    // The press-studs import cannot be withdrawn now: the export consumed part of them. Customs' approval is
    // refused and changes nothing; it rejects the request instead.
    const withdrawal = await t.request('POST', `/api/v1/submissions/${studsImport.id}/amendments`, { key: enterprise, body: { action: 'withdraw', reasons: [{ message: 'Declared twice' }] } });
    expect(withdrawal.statusCode, withdrawal.body).toBe(201);
    const amendment = withdrawal.json<{ id: string }>().id;
    const approval = await t.request('POST', `/api/v1/submissions/${studsImport.id}/amendments/${amendment}/decisions`, { key: agencies.get('CUS'), body: { outcome: 'approved' } });
    expect(approval.statusCode, approval.body).toBe(409);
    expect(approval.json()).toMatchObject({ code: 'LEDGER_REVERSAL_REFUSED', account: manual.number, line: 2 });
    expect((await view(studsImport.id)).status).toBe('released');
    expect((await lines(manual.number ?? '')).lines[1]).toMatchObject({ posted: '1', debitPosted: '0.2' });
    const rejection = await t.request('POST', `/api/v1/submissions/${studsImport.id}/amendments/${amendment}/decisions`, { key: agencies.get('CUS'), body: { outcome: 'rejected', reasons: [{ message: 'The studs were used for the exported shirts' }] } });
    expect(rejection.statusCode, rejection.body).toBe(200);

    // The closure (核销) reconciles the report with the manual: wrong figures, a line left out, a declaration
    // still holding the manual, and someone else's closure of it are all refused, and nothing is stored.
    const closure = (materials: Json[], extra: Json = {}): Json => ({
      declarant: IMPORTER,
      enterprise: { id: IMPORTER, name: 'Shanghai Example Garments Co., Ltd.' },
      manual: manual.number,
      customsOffice: '2201',
      materials,
      ...extra,
    });
    const fabricReport = { line: 1, imported: '1000', consumed: '165', domesticSales: '35', leftover: '800', scrap: '0', destroyed: '0' };
    const studsReport = { line: 2, imported: '1', consumed: '0.2', domesticSales: '0', leftover: '0.8', scrap: '0', destroyed: '0' };
    const refused = async (data: Json, key = enterprise) => {
      const response = await t.request('POST', '/api/v1/submissions', { key, body: { docType: 'processing-trade-closure', data } });
      expect(response.statusCode, response.body).toBe(422);
      return (response.json<{ errors: { path: string; code: string }[] }>()).errors.map(({ path, code }) => `${path} ${code}`);
    };
    expect(await refused(closure([{ ...fabricReport, imported: '999', leftover: '799' }]))).toEqual(['$.domesticSalesApproval DOMESTIC_SALES_APPROVAL_REQUIRED', '$.materials LEDGER_CLOSURE_LINE_MISSING', '$.materials[0].imported LEDGER_CLOSURE_MISMATCH', '$.materials[0] LEDGER_CLOSURE_UNBALANCED']);
    expect(await refused(closure([fabricReport, { ...studsReport, leftover: '0.7' }], { domesticSalesApproval: 'SHNX-2027-0042' }))).toEqual(['$.materials[1] LEDGER_CLOSURE_UNBALANCED']);
    expect(await refused(closure([fabricReport, studsReport]))).toEqual(['$.domesticSalesApproval DOMESTIC_SALES_APPROVAL_REQUIRED']);
    expect(await refused(closure([{ ...fabricReport, scrap: '-1', leftover: '801' }, studsReport], { domesticSalesApproval: 'SHNX-2027-0042' }))).toEqual(['$.materials[0].scrap DECIMAL_NEGATIVE']);
    const pending = await submit('goods-declaration', declaration('import', { hsCode: '5208320000', description: 'Dyed cotton fabric', quantity: '10', unit: 'MTR', documents: [manual] }));
    expect(await refused(closure([fabricReport, studsReport], { domesticSalesApproval: 'SHNX-2027-0042' }))).toEqual(['$.manual LEDGER_CLOSURE_PENDING']);
    expect((await t.request('POST', `/api/v1/submissions/${pending.id}/cancel`, { key: enterprise })).statusCode).toBe(200);
    const stranger = await t.enterprise(OTHER_ENTERPRISE);
    const theirs = closure([fabricReport, studsReport], { declarant: OTHER_ENTERPRISE, enterprise: { id: OTHER_ENTERPRISE, name: 'Another enterprise' }, domesticSalesApproval: 'SHNX-2027-0042' });
    expect(await refused(theirs, stranger)).toEqual(['$.manual LEDGER_ACCOUNT_UNKNOWN']);

    const closing = await submit('processing-trade-closure', closure([fabricReport, studsReport], { domesticSalesApproval: 'SHNX-2027-0042' }));
    expect(closing.parts.map((part) => part.agency).sort()).toEqual(['CUS', 'MOC']);
    await decide(closing.id, 'MOC', 'approved');
    expect((await lines(manual.number ?? '')).status).toBe('active');
    await decide(closing.id, 'CUS', 'approved');
    expect((await view(closing.id)).status).toBe('approved');
    expect((await lines(manual.number ?? '')).status).toBe('closed');
    const afterwards = await t.request('POST', '/api/v1/submissions', { key: enterprise, body: { docType: 'goods-declaration', data: declaration('import', { hsCode: '5208320000', description: 'Dyed cotton fabric', quantity: '1', unit: 'MTR', documents: [manual] }) } });
    expect(afterwards.statusCode).toBe(422);
    expect(afterwards.body).toContain('LEDGER_ACCOUNT_CLOSED');
  });

  it('opens nothing for a filing an agency rejected', async () => {
    const submitted = await submit('processing-trade-filing', { ...filing, contract: { ...(filing.contract as Json), number: 'SEG-2026-018' } });
    const rejected = await decide(submitted.id, submitted.parts[0]?.agency ?? '', 'rejected', [{ code: 'DOCS_MISSING', message: 'The contract is not signed' }]);
    expect(rejected.status).toBe('rejected');
    expect((await view(submitted.id)).opened).toBeUndefined();
    const number = `PTM-${submitted.id.slice(4)}`;
    expect((await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: enterprise })).statusCode).toBe(404);
  });

  it('turns an approved exhibition filing into a temporary admission that declarations write off item by item', async () => {
    const submitted = await submit('exhibition-filing', exhibition);
    for (const part of submitted.parts) await decide(submitted.id, part.agency, 'approved');
    const approved = await view(submitted.id);
    expect(approved.opened?.type).toBe('temporary-admission');
    const number = approved.opened?.number ?? '';
    const account = await lines(number);
    expect(account).toMatchObject({ holder: IMPORTER, carnet: 'DE/A123456' });
    expect(account.lines.map((line) => [line.key, line.outstanding])).toEqual([['1', '1'], ['2', '120'], ['3', '200']]);
    const sixMonths = new Date();
    sixMonths.setUTCMonth(sixMonths.getUTCMonth() + 6);
    expect(account.validTo.slice(0, 7)).toBe(sixMonths.toISOString().slice(0, 7));

    // The exhibits enter under the exhibition trade mode (2700): the account is checked, nothing is written off.
    const entering = (key: string) => ({ type: 'temporary-admission', number, key });
    await release({ ...declaration('import', { hsCode: '8458110000', description: 'Horizontal CNC lathe', quantity: '1', unit: 'SET', documents: [entering('1')] }), tradeMode: '2700' });
    expect((await lines(number)).lines.map((line) => line.outstanding)).toEqual(['1', '120', '200']);
    // Their entry starts the six months, once: a second entry moves nothing.
    const entered = await lines(number);
    expect(entered).toMatchObject({ enteredOn: new Date().toISOString().slice(0, 10) });
    await release({ ...declaration('import', { hsCode: '2204210000', description: 'Red wine', quantity: '120', unit: 'LTR', documents: [entering('2')] }), tradeMode: '2700' });
    const entries = (await t.request('GET', `/api/v1/ledger/accounts/${number}/entries`, { key: enterprise })).json<{ entries: { kind: string }[] }>().entries;
    expect(entries.filter((entry) => entry.kind === 'enter')).toHaveLength(1);
    const unlisted = await t.request('POST', '/api/v1/submissions', { key: enterprise, body: { docType: 'goods-declaration', data: { ...declaration('import', { hsCode: '8458110000', description: 'Another lathe', quantity: '1', unit: 'SET', documents: [entering('7')] }), tradeMode: '2700' } } });
    expect(unlisted.body).toContain('LEDGER_NO_MATCHING_KEY');
    // Under 2700 every line cites the temporary admission; a manual is drawn on under processing trade only.
    const uncited = await t.request('POST', '/api/v1/submissions', { key: enterprise, body: { docType: 'goods-declaration', data: { ...declaration('import', { hsCode: '2204210000', description: 'Red wine', quantity: '10', unit: 'LTR' }), tradeMode: '2700' } } });
    expect(uncited.json<{ errors: { path: string; code: string }[] }>().errors).toEqual([expect.objectContaining({ path: '$.lines[0].documents', code: 'TRADE_MODE_DOCUMENT_REQUIRED' })]);
    const manualOutside = await t.request('POST', '/api/v1/submissions', {
      key: enterprise,
      body: { docType: 'goods-declaration', data: { ...declaration('import', { hsCode: '2204210000', description: 'Red wine', quantity: '10', unit: 'LTR', documents: [{ type: 'processing-trade-manual', number: 'PTM-NONE' }] }), tradeMode: '0110' } },
    });
    expect(manualOutside.json<{ errors: { path: string; code: string }[] }>().errors).toContainEqual(expect.objectContaining({ path: '$.tradeMode', code: 'TRADE_MODE_MISMATCH' }));

    // The lathe leaves again; the apples are sold at the fair, imported for good with duty.
    const admission = (key: string, writeOff: string) => ({ type: 'temporary-admission', number, key, writeOff });
    await release(declaration('export', { hsCode: '8458110000', description: 'Horizontal CNC lathe', quantity: '1', unit: 'SET', documents: [admission('1', 're-export')] }));
    await release(declaration('import', { hsCode: '0808100000', description: 'Fresh apples', quantity: '200', unit: 'KGM', documents: [admission('3', 'conversion')] }));
    expect((await lines(number)).lines.map((line) => line.outstanding)).toEqual(['0', '120', '0']);

    // A re-export cannot be declared on an import, and an item the account does not hold is refused.
    const wrongWay = await t.request('POST', '/api/v1/submissions', { key: enterprise, body: { docType: 'goods-declaration', data: declaration('import', { hsCode: '2204210000', description: 'Red wine', quantity: '10', unit: 'LTR', documents: [admission('2', 're-export')] }) } });
    expect(wrongWay.statusCode).toBe(422);
    expect(wrongWay.body).toContain('LEDGER_WRITE_OFF_INVALID');
    const unknownItem = await t.request('POST', '/api/v1/submissions', { key: enterprise, body: { docType: 'goods-declaration', data: declaration('export', { hsCode: '2204210000', description: 'Red wine', quantity: '10', unit: 'LTR', documents: [admission('9', 're-export')] }) } });
    expect(unknownItem.statusCode).toBe(422);
    expect(unknownItem.body).toContain('LEDGER_NO_MATCHING_KEY');
    expect((await lines(number)).lines.map((line) => line.outstanding)).toEqual(['0', '120', '0']);
  });

  it('runs a temporary admission\'s six months from the entry of its goods, then from each extension, and the record still verifies', async () => {
    const submitted = await submit('exhibition-filing', exhibition);
    for (const part of submitted.parts) await decide(submitted.id, part.agency, 'approved');
    const number = (await view(submitted.id)).opened?.number ?? '';
    expect((await lines(number)).enteredOn).toBeNull();
    // The exhibits arrive in March: their entry is what the deadline counts from, not the approval.
    const { ledger, store } = t.kouan.services;
    await store.db.transaction().execute((trx) => ledger.recordEntry(trx, [number], submitted.id, 'CUS', '2027-03-15T02:00:00.000Z'));
    expect(await lines(number)).toMatchObject({ enteredOn: '2027-03-15', validTo: '2027-09-15' });
    const extended = await t.request('POST', `/api/v1/ledger/accounts/${number}/extend`, { key: agencies.get('CUS'), body: { reason: 'The fair moves on to Guangzhou' } });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(await lines(number)).toMatchObject({ validTo: '2028-03-15', extensions: 1 });
    const audit = await ledger.audit();
    expect(audit.problems.filter((problem) => problem.includes(number))).toEqual([]);
  });
});
