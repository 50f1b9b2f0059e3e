/**
 * A goods declaration sent as a UN/EDIFACT CUSDEC interchange, on both stores: the registry finds the format the
 * goods declaration registers by the media type and the message type, the message becomes the canonical document
 * and goes through the same checks and pipeline as JSON; a stored declaration prints back as CUSDEC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCusdec } from '../src/doctypes/goods-declaration/cusdec.js';
import { IMPORTER } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

/** The importer declares 200 laptops itself, in UNOC (ISO 8859-1): an umlaut in the consignor's name. */
const interchange = (hsCode = '8471300000') =>
  [
    "UNA:+.? '",
    "UNB+UNOC:3+91310000MA1K4A2B90:ZZ+KOUAN:ZZ+261202:0930+CD0001'",
    "UNH+1+CUSDEC:D:00B:UN'",
    "BGM+929+DEC20261202001+9'",
    "LOC+22+2201::ZZZ'",
    "LOC+24+CNSHA::6'",
    "LOC+35+DE'",
    "EQD+CN+MSKU1234565'",
    "RFF+BM:MEDUDE123456'",
    "TDT+20+012E+1+++++9321483:146:11'",
    `NAD+DT+${IMPORTER}::ZZZ'`,
    `NAD+CN+${IMPORTER}::ZZZ++Shanghai Example Trading Co.?, Ltd.'`,
    "NAD+CZ+++Example Maschinen München GmbH+++++DE'",
    "TOD+++CIF'",
    "MOA+39:120000:EUR'",
    "CUX+2:EUR:4'",
    "UNS+D'",
    `CST+1+${hsCode}:108:ZZZ'`,
    "FTX+AAA+++Portable computers'",
    "LOC+27+DE'",
    "MEA+AAE+AAD+KGM:820.5'",
    "MEA+AAE+AAC+KGM:700'",
    "MEA+CT++PCE:200'",
    "MOA+38:120000:EUR'",
    "UNS+S'",
    "UNT+24+1'",
    "UNZ+1+CD0001'",
  ].join('\n');

describe.each(kinds)('CUSDEC declarations on %s', (kind) => {
  let t: TestKouan;
  let importer: string;
  let customs: string;
  let operator: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    importer = await t.enterprise(IMPORTER);
    customs = await t.agency('CUS');
    await t.kouan.services.parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    operator = (await t.kouan.services.parties.createKey('ops')).key;
  });
  afterAll(async () => t.close());

  const send = (url: string, text: string, key = importer) => t.request('POST', url, { key, body: Buffer.from(text, 'latin1'), headers: { 'content-type': 'application/EDIFACT' } });

  it('takes a CUSDEC interchange as the goods declaration it carries, and prints it back', async () => {
    const checked = await send('/api/v1/validate', interchange());
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json<Json>()).toMatchObject({ valid: true, parts: [{ agency: 'CUS' }] });

    const filed = await send('/api/v1/submissions', interchange());
    expect(filed.statusCode, filed.body).toBe(201);
    const { id } = filed.json<Json>();
    const view = (await t.request('GET', `/api/v1/submissions/${id}`, { key: importer })).json<Json>();
    expect(view).toMatchObject({ docType: 'goods-declaration', data: { consignor: { name: 'Example Maschinen München GmbH' }, consignee: { name: 'Shanghai Example Trading Co., Ltd.' }, lines: [{ quantity: '200', grossWeightKg: '820.5' }] } });

    const printed = await t.request('GET', `/api/v1/submissions/${id}/formats/cusdec`, { key: importer });
    expect(printed.statusCode, printed.body).toBe(200);
    expect(printed.headers['content-type']).toBe('application/edifact; charset=utf-8');
    expect(printed.headers['content-disposition']).toContain('.cusdec.edi');
    const reading = readCusdec(printed.body);
    expect(reading).toEqual({ document: view.data });
    // Operators read it too; an agency reads its part from its inbox, and another enterprise nothing.
    expect((await t.request('GET', `/api/v1/submissions/${id}/formats/cusdec`, { key: operator })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/v1/submissions/${id}/formats/cusdec`, { key: customs })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/v1/submissions/${id}/formats/xml`, { key: importer })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/v1/submissions/${id}/formats/cusdec`, { key: importer, headers: { accept: 'text/html' } })).statusCode).toBe(406);
  });

  it('checks the document a message carries as any other, and refuses what is no declaration, changing nothing', async () => {
    const before = (await t.request('GET', '/api/v1/submissions?limit=200', { key: importer })).json<Json>().submissions.length;
    const invalid = await send('/api/v1/submissions', interchange('84713'));
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json<Json>().errors).toContainEqual(expect.objectContaining({ path: '$.lines[0].hsCode', code: 'HS_FORMAT' }));
    const unreadable = await send('/api/v1/submissions', interchange().replace('BGM+929', 'BGM+999'));
    expect(unreadable.statusCode).toBe(422);
    expect(unreadable.json<Json>().errors).toEqual([expect.objectContaining({ path: 'segment 3 (BGM)', code: 'MESSAGE_VALUE_UNKNOWN' })]);
    const status = "UNB+UNOA:2+SENDER+KOUAN+261202:0930+1'UNH+1+IFTSTA:D:95B:UN'BGM+23+X+9'UNT+3+1'UNZ+1+1'";
    const notADeclaration = await send('/api/v1/submissions', status);
    expect([notADeclaration.statusCode, notADeclaration.json<Json>().code]).toEqual([415, 'FORMAT_UNKNOWN']);
    const broken = await send('/api/v1/submissions', "UNB+UNOC:3+X+Y+261202:0930+1'UNH+1+CUSDEC:D:00B:UN'BGM+929'");
    expect(broken.statusCode).toBe(400);
    expect(broken.json<Json>().code).toMatch(/^EDIFACT_/);
    // Another route still takes no EDIFACT.
    expect((await send('/api/v1/drafts', interchange())).statusCode).toBe(415);
    expect((await t.request('GET', '/api/v1/submissions?limit=200', { key: importer })).json<Json>().submissions.length).toBe(before);
  });

  it('publishes the formats a document type registers', async () => {
    const published = (await t.request('GET', '/api/v1/doctypes/goods-declaration', { key: importer })).json<Json>();
    expect(published.formats).toEqual([
      { id: 'cusdec', title: { en: 'UN/EDIFACT CUSDEC (D.00B)', zh: 'UN/EDIFACT 海关申报报文 CUSDEC（D.00B）' }, mediaType: 'application/edifact' },
      { id: 'decmessage', title: { en: 'China customs declaration message (DecMessage XML)', zh: '中国海关报关单报文（DecMessage XML）' }, mediaType: 'application/xml' },
    ]);
  });
});
