/**
 * A goods declaration sent as China customs' DecMessage XML, on both stores: in UTF-8 or GBK, as application/xml
 * or text/xml, the message becomes the canonical document and goes through the same checks and pipeline as JSON;
 * a message with a DTD or an unknown entity is refused before anything in it is read, and nothing is stored; a
 * stored declaration prints back as DecMessage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDecMessage } from '../src/doctypes/goods-declaration/decmessage.js';
import { IMPORTER } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

/** The importer declares 200 laptops itself; the names are Chinese. */
const message = (encoding = 'UTF-8', hsCode = '8471300000') => `<?xml version="1.0" encoding="${encoding}"?>
<DecMessage xmlns="http://www.chinaport.gov.cn/dec" Version="3.1">
  <DecHead>
    <IEFlag>I</IEFlag>
    <CustomMaster>2201</CustomMaster>
    <EntyPortCode>CNSHA</EntyPortCode>
    <TradeCountry>DEU</TradeCountry>
    <TradeMode>0110</TradeMode>
    <TrafMode>2</TrafMode>
    <TrafName>UN9321483</TrafName>
    <VoyageNo>012E</VoyageNo>
    <BillNo>MEDUDE123456</BillNo>
    <TransMode>1</TransMode>
    <GrossWet>820.5</GrossWet>
    <NetWt>700</NetWt>
    <AgentCodeScc>${IMPORTER}</AgentCodeScc>
    <TradeCoScc>${IMPORTER}</TradeCoScc>
    <TradeName>上海示例贸易有限公司</TradeName>
    <OverseasConsignorEname>Example Maschinen München GmbH</OverseasConsignorEname>
  </DecHead>
  <DecLists>
    <DecList><GNo>1</GNo><CodeTS>${hsCode}</CodeTS><GName>便携式计算机</GName><GQty>200</GQty><GUnit>001</GUnit><FirstQty>700</FirstQty><FirstUnit>035</FirstUnit><DeclTotal>120000</DeclTotal><TradeCurr>EUR</TradeCurr><OriginCountry>DEU</OriginCountry></DecList>
  </DecLists>
  <DecContainers><Container><ContainerId>MSKU1234565</ContainerId></Container></DecContainers>
</DecMessage>
`;

describe.each(kinds)('DecMessage declarations on %s', (kind) => {
  let t: TestKouan;
  let importer: string;
  let customs: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    importer = await t.enterprise(IMPORTER);
    customs = await t.agency('CUS');
  });
  afterAll(async () => t.close());

  const send = (url: string, body: Buffer, contentType = 'application/xml') => t.request('POST', url, { key: importer, body, headers: { 'content-type': contentType } });
  const count = async () => (await t.request('GET', '/api/v1/submissions?limit=200', { key: importer })).json<Json>().submissions.length as number;

  it('takes a DecMessage in UTF-8 or GBK as the goods declaration it carries, and prints it back', async () => {
    const checked = await send('/api/v1/validate', Buffer.from(message(), 'utf8'));
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json<Json>()).toMatchObject({ valid: true, parts: [{ agency: 'CUS' }] });

    // GBK bytes, named by the XML declaration, sent as text/xml.
    const gbk = Buffer.from(new TextEncoderGbk().encode(message('GBK')));
    const filed = await send('/api/v1/submissions', gbk, 'text/xml');
    expect(filed.statusCode, filed.body).toBe(201);
    const { id } = filed.json<Json>();
    const view = (await t.request('GET', `/api/v1/submissions/${id}`, { key: importer })).json<Json>();
    expect(view).toMatchObject({
      docType: 'goods-declaration',
      data: { consignee: { name: '上海示例贸易有限公司' }, consignor: { name: 'Example Maschinen München GmbH', country: 'DE' }, lines: [{ description: '便携式计算机', unit: 'PCE', netWeightKg: '700', grossWeightKg: '820.5' }] },
    });

    const printed = await t.request('GET', `/api/v1/submissions/${id}/formats/decmessage`, { key: importer });
    expect(printed.statusCode, printed.body).toBe(200);
    expect(printed.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(printed.headers['content-disposition']).toContain('.decmessage.xml');
    expect(printed.body).toContain(`<EntryId>${String(view.number)}</EntryId>`);
    expect(readDecMessage(printed.body)).toEqual({ document: view.data });
    expect((await t.request('GET', `/api/v1/submissions/${id}/formats/decmessage`, { key: customs })).statusCode).toBe(404);
  });

  it('refuses a DTD, an external or unknown entity, bad bytes and a broken message, storing nothing', async () => {
    const before = await count();
    const xxe = message().replace('<DecMessage', '<!DOCTYPE DecMessage [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<DecMessage').replace('<TradeName>上海示例贸易有限公司', '<TradeName>&x;');
    const refusedDtd = await send('/api/v1/submissions', Buffer.from(xxe, 'utf8'));
    expect([refusedDtd.statusCode, refusedDtd.json<Json>().code]).toEqual([400, 'XML_DOCTYPE']);
    expect(refusedDtd.json<Json>()).toMatchObject({ line: 2, column: 1 });
    expect(refusedDtd.body).not.toContain('root:');
    const entity = await send('/api/v1/submissions', Buffer.from(message().replace('便携式计算机', '&nbsp;'), 'utf8'));
    expect([entity.statusCode, entity.json<Json>().code]).toEqual([400, 'XML_ENTITY']);
    // GBK bytes said to be UTF-8: refused, never read as replacement characters.
    const mislabelled = await send('/api/v1/submissions', Buffer.from(new TextEncoderGbk().encode(message('UTF-8'))), 'application/xml; charset=utf-8');
    expect([mislabelled.statusCode, mislabelled.json<Json>().code]).toEqual([400, 'XML_CHARSET']);
    const broken = await send('/api/v1/submissions', Buffer.from(message().replace('</DecHead>', ''), 'utf8'));
    expect([broken.statusCode, broken.json<Json>().code]).toEqual([400, 'XML_SYNTAX']);
    const invalid = await send('/api/v1/submissions', Buffer.from(message('UTF-8', '84713'), 'utf8'));
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json<Json>().errors).toContainEqual(expect.objectContaining({ path: '$.lines[0].hsCode', code: 'HS_FORMAT' }));
    const gaccPort = await send('/api/v1/submissions', Buffer.from(message().replace('<EntyPortCode>CNSHA</EntyPortCode>', '<EntyPortCode>310301</EntyPortCode>'), 'utf8'));
    expect(gaccPort.statusCode).toBe(422);
    expect(gaccPort.json<Json>().errors).toEqual([expect.objectContaining({ path: 'DecMessage/DecHead/EntyPortCode', code: 'MESSAGE_PORT_UNMAPPED' })]);
    const other = await send('/api/v1/submissions', Buffer.from('<Manifest xmlns="urn:example"/>', 'utf8'));
    expect([other.statusCode, other.json<Json>().code]).toEqual([415, 'FORMAT_UNKNOWN']);
    // Other routes take no XML.
    expect((await send('/api/v1/drafts', Buffer.from(message(), 'utf8'))).statusCode).toBe(415);
    expect(await count()).toBe(before);
  });
});

/** GBK bytes of a text (Node decodes GBK but does not encode it): the few characters these tests use, from their GBK codes. */
class TextEncoderGbk {
  private static readonly TABLE: Readonly<Record<string, number[]>> = {
    上: [0xc9, 0xcf], 海: [0xba, 0xa3], 示: [0xca, 0xbe], 例: [0xc0, 0xfd], 贸: [0xc3, 0xb3], 易: [0xd2, 0xd7], 有: [0xd3, 0xd0], 限: [0xcf, 0xde], 公: [0xb9, 0xab], 司: [0xcb, 0xbe],
    便: [0xb1, 0xe3], 携: [0xd0, 0xaf], 式: [0xca, 0xbd], 计: [0xbc, 0xc6], 算: [0xcb, 0xe3], 机: [0xbb, 0xfa], ü: [0xa8, 0xb9],
  };

  encode(text: string): Uint8Array {
    const bytes: number[] = [];
    for (const character of text) {
      const code = character.codePointAt(0) ?? 0;
      if (code < 0x80) bytes.push(code);
      else {
        const gbk = TextEncoderGbk.TABLE[character];
        if (gbk === undefined) throw new Error(`no GBK bytes for ${character} in the test table`);
        bytes.push(...gbk);
      }
    }
    const decoded = new TextDecoder('gbk').decode(Uint8Array.from(bytes));
    if (decoded !== text) throw new Error('the test table has a wrong GBK code');
    return Uint8Array.from(bytes);
  }
}
