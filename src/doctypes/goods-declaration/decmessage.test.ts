import { describe, expect, it } from 'vitest';
import { parseXml, XmlError } from '../../formats/xml/reader.js';
import { decMessage, printDecMessage, readDecMessage } from './decmessage.js';
import { examples } from './examples.js';
import type { GoodsDeclaration } from './schema.js';

const context = { submissionId: 'sub_01M8VR7999BAEWQ4EQSGHNZGT4', number: '220120261000000042', sender: 'KOUAN', preparedAt: '2026-12-02T09:30:00.000Z' };
/** The canonical document as the pipeline stores it: decimals as strings. */
const stored = (document: unknown): GoodsDeclaration => JSON.parse(JSON.stringify(document, (_key, value: unknown) => (typeof value === 'number' ? String(value) : value))) as GoodsDeclaration;

/**
 * An import of laptops as a broker's declaration system sends it: the single window's namespace, the header's
 * elements in their usual order with the many Kouan does not use (left empty or filled), two lines, a container,
 * the licence on the header only.
 */
const SENT = `<?xml version="1.0" encoding="UTF-8"?>
<DecMessage xmlns="http://www.chinaport.gov.cn/dec" Version="3.1">
  <DecHead>
    <SeqNo></SeqNo>
    <IEFlag>I</IEFlag>
    <Type></Type>
    <AgentCode>3101980001</AgentCode>
    <AgentName>上海示例报关有限公司</AgentName>
    <BillNo>MEDUDE123456</BillNo>
    <ContrNo>SH-2026-0311</ContrNo>
    <CustomMaster>2201</CustomMaster>
    <CutMode>101</CutMode>
    <DistinatePort>DEU105</DistinatePort>
    <FeeMark/><FeeRate/>
    <GrossWet>1640.5</GrossWet>
    <IEPort>2248</IEPort>
    <ManualNo></ManualNo>
    <NetWt>1400</NetWt>
    <PackNo>40</PackNo>
    <TradeCountry>DEU</TradeCountry>
    <TradeMode>0110</TradeMode>
    <TrafMode>2</TrafMode>
    <TrafName>UN9321483</TrafName>
    <VoyageNo>012E</VoyageNo>
    <TransMode>1</TransMode>
    <WrapType>22</WrapType>
    <EntryId></EntryId>
    <AgentCodeScc>91310115MA1H7L0Q2K</AgentCodeScc>
    <TradeCoScc>91310000MA1K4A2B90</TradeCoScc>
    <TradeName>上海示例贸易有限公司</TradeName>
    <OwnerCodeScc>91310000MA1K4A2B90</OwnerCodeScc>
    <OwnerName>上海示例贸易有限公司</OwnerName>
    <TradeAreaCode>DEU</TradeAreaCode>
    <EntyPortCode>CNSHA</EntyPortCode>
    <GoodsPlace>洋山港区</GoodsPlace>
    <DespPortCode>DEU105</DespPortCode>
    <OverseasConsignorCode></OverseasConsignorCode>
    <OverseasConsignorCname></OverseasConsignorCname>
    <OverseasConsignorEname>Example Maschinen GmbH</OverseasConsignorEname>
    <OverseasConsignorAddr>Hafenstrasse 1, Hamburg</OverseasConsignorAddr>
  </DecHead>
  <DecLists>
    <DecList>
      <ClassMark></ClassMark>
      <CodeTS>8471300000</CodeTS>
      <ContrItem></ContrItem>
      <DeclPrice>600</DeclPrice>
      <DutyMode>1</DutyMode>
      <GModel>0|0|联想|ThinkPad X1</GModel>
      <GName>便携式计算机</GName>
      <GNo>1</GNo>
      <OriginCountry>CHN</OriginCountry>
      <TradeCurr>EUR</TradeCurr>
      <DeclTotal>120000</DeclTotal>
      <GQty>200</GQty>
      <FirstQty>700</FirstQty>
      <SecondQty>200</SecondQty>
      <GUnit>001</GUnit>
      <FirstUnit>035</FirstUnit>
      <SecondUnit>001</SecondUnit>
      <DestinationCountry>CHN</DestinationCountry>
    </DecList>
    <DecList>
      <CodeTS>8471300000</CodeTS>
      <GName>便携式计算机</GName>
      <GModel>0|0|联想|ThinkPad T14</GModel>
      <GNo>2</GNo>
      <OriginCountry>DEU</OriginCountry>
      <TradeCurr>EUR</TradeCurr>
      <DeclTotal>90000</DeclTotal>
      <GQty>200</GQty>
      <GUnit>001</GUnit>
      <FirstQty>700</FirstQty>
      <FirstUnit>035</FirstUnit>
    </DecList>
  </DecLists>
  <DecContainers>
    <Container><ContainerId>MSKU1234565</ContainerId><ContainerMd>L</ContainerMd><GoodsNo>1,2</GoodsNo><LclFlag>0</LclFlag></Container>
  </DecContainers>
  <DecLicenseDocus>
    <LicenseDocu><DocuCode>7</DocuCode><CertCode>AIL-2026-000123</CertCode></LicenseDocu>
  </DecLicenseDocus>
  <DecFreeTxt><RelId/><RelManNo/><BonNo/><VoyNo/><DecBpNo/><CusFie/><DecNo/></DecFreeTxt>
</DecMessage>
`;

/** What a print keeps of a document: DecMessage has no place for a write-off, a domestic party's country or address, a line's gross weight among several, and groups the Incoterms. */
function kept(document: GoodsDeclaration): GoodsDeclaration {
  const incoterms: Record<string, string> = { CIP: 'CIF', DAP: 'CIF', DPU: 'CIF', DDP: 'CIF', CPT: 'CFR', FCA: 'FOB', FAS: 'FOB' };
  const domestic = document.direction === 'import' ? 'consignee' : 'consignor';
  const { country: _country, address: _address, ...party } = document[domestic];
  const { incoterm, ...rest } = document;
  return {
    ...rest,
    ...(incoterm === undefined ? {} : { incoterm: incoterms[incoterm] ?? incoterm }),
    [domestic]: party,
    lines: document.lines.map(({ grossWeightKg, documents, ...line }) => ({
      ...line,
      ...(document.lines.length === 1 && grossWeightKg !== undefined ? { grossWeightKg } : {}),
      ...(documents === undefined ? {} : { documents: documents.map(({ writeOff: _writeOff, ...reference }) => reference) }),
    })),
  };
}

describe('the goods declaration as a DecMessage', () => {
  it("reads a broker's message into the canonical document", () => {
    expect(decMessage.recognizes(SENT)).toBe(true);
    expect(readDecMessage(SENT)).toEqual({
      document: {
        direction: 'import',
        declarant: '91310115MA1H7L0Q2K',
        consignee: { id: '91310000MA1K4A2B90', name: '上海示例贸易有限公司' },
        consignor: { name: 'Example Maschinen GmbH', country: 'DE', address: 'Hafenstrasse 1, Hamburg' },
        customsOffice: '2201',
        portOfEntry: 'CNSHA',
        countryOfDispatch: 'DE',
        currency: 'EUR',
        incoterm: 'CIF',
        tradeMode: '0110',
        transport: { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: 'MEDUDE123456', containers: ['MSKU1234565'] },
        lines: [
          { hsCode: '8471300000', description: '便携式计算机 0|0|联想|ThinkPad X1', quantity: '200', unit: 'PCE', netWeightKg: '700', value: '120000', originCountry: 'CN', documents: [{ type: 'automatic-import-licence', number: 'AIL-2026-000123' }] },
          { hsCode: '8471300000', description: '便携式计算机 0|0|联想|ThinkPad T14', quantity: '200', unit: 'PCE', netWeightKg: '700', value: '90000', originCountry: 'DE', documents: [{ type: 'automatic-import-licence', number: 'AIL-2026-000123' }] },
        ],
      },
    });
    // A prefixed root reads the same; the lines come in the order of their numbers.
    const prefixed = SENT.replace('<DecMessage xmlns=', '<dec:DecMessage xmlns:dec=').replace('</DecMessage>', '</dec:DecMessage>').replace(/<(\/?)(?!dec:|\?|!)([A-Za-z])/g, '<$1dec:$2');
    expect(readDecMessage(prefixed)).toEqual(readDecMessage(SENT));
    const swapped = SENT.replace('<GNo>1</GNo>', '<GNo>3</GNo>');
    expect((readDecMessage(swapped) as { document: { lines: { value: string }[] } }).document.lines.map((line) => line.value)).toEqual(['90000', '120000']);
  });

  it('prints every example so that reading the print gives back all that DecMessage holds', () => {
    const withEverything = stored({
      ...(examples[0]?.document as object),
      tradeMode: '2700',
      incoterm: 'DAP',
      consignee: { id: '91310000MA1K4A2B90', name: '上海示例贸易有限公司 & <分公司>', country: 'CN', address: '浦东新区' },
      lines: [
        { ...(examples[0]?.document as { lines: object[] }).lines[0], documents: [{ type: 'temporary-admission', number: 'TA-01M8', key: '3', writeOff: 'conversion' }, { type: 'automatic-import-licence', number: 'AIL-1', key: '2' }, { type: 'veterinary-drug-clearance', number: 'VD-9' }] },
        { ...(examples[0]?.document as { lines: object[] }).lines[0], unit: 'SET', documents: [{ type: 'temporary-admission', number: 'TA-01M8', key: '4' }] },
      ],
    });
    for (const document of [...examples.map((example) => stored(example.document)), withEverything]) {
      const printed = printDecMessage(document, context);
      expect(() => parseXml(printed)).not.toThrow();
      expect(decMessage.recognizes(printed)).toBe(true);
      expect(readDecMessage(printed)).toEqual({ document: kept(document) });
    }
    const printed = printDecMessage(withEverything, context);
    expect(printed).toContain('<EntryId>220120261000000042</EntryId>');
    expect(printed).toContain('<ManualNo>TA-01M8</ManualNo>');
    expect(printed).toContain('<TradeName>上海示例贸易有限公司 &amp; &lt;分公司&gt;</TradeName>');
    expect(printed).toContain('<TransMode>1</TransMode>');
    expect(printed).toContain('<LicTypeCode>7</LicTypeCode>');
    // A type with no customs code is printed, and read back, by its own id.
    expect(printed).toContain('<LicTypeCode>veterinary-drug-clearance</LicTypeCode>');
    expect(printed).toContain('<GUnit>006</GUnit>');
  });

  it('says what in a message it cannot read, naming the element', () => {
    const refused = (text: string) => (readDecMessage(text) as { errors: { path: string; code: string; params?: Record<string, unknown> }[] }).errors;
    expect(refused(SENT.replace('<IEFlag>I</IEFlag>', '<IEFlag>X</IEFlag>'))).toEqual([expect.objectContaining({ path: 'DecMessage/DecHead/IEFlag', code: 'MESSAGE_VALUE_UNKNOWN' })]);
    expect(refused(SENT.replace('<TrafMode>2</TrafMode>', '<TrafMode>Y</TrafMode>'))).toEqual([expect.objectContaining({ path: 'DecMessage/DecHead/TrafMode', params: expect.objectContaining({ value: 'Y' }) as unknown })]);
    expect(refused(SENT.replace('<EntyPortCode>CNSHA</EntyPortCode>', '<EntyPortCode>310301</EntyPortCode>'))).toEqual([expect.objectContaining({ path: 'DecMessage/DecHead/EntyPortCode', code: 'MESSAGE_PORT_UNMAPPED' })]);
    expect(refused(SENT.replace('<OriginCountry>DEU</OriginCountry>', '<OriginCountry>ZZZ</OriginCountry>'))).toEqual([expect.objectContaining({ path: 'DecMessage/DecLists/DecList[2]/OriginCountry', code: 'MESSAGE_VALUE_UNKNOWN' })]);
    expect(refused(SENT.replace('<GUnit>001</GUnit>\n      <FirstQty>700', '<GUnit>038</GUnit>\n      <FirstQty>700'))).toEqual([expect.objectContaining({ path: 'DecMessage/DecLists/DecList[2]/GUnit' })]);
    expect(refused(SENT.replace('<TradeCurr>EUR</TradeCurr>\n      <DeclTotal>90000', '<TradeCurr>USD</TradeCurr>\n      <DeclTotal>90000'))).toEqual([expect.objectContaining({ code: 'MESSAGE_CURRENCIES_MIXED', params: { currencies: 'EUR, USD' } })]);
    expect(refused(SENT.replace('<DocuCode>7</DocuCode>', '<DocuCode>%</DocuCode>'))).toEqual([expect.objectContaining({ path: 'DecMessage/DecLicenseDocus/LicenseDocu[1]/DocuCode', code: 'MESSAGE_VALUE_UNKNOWN' })]);
    expect(refused(SENT.replaceAll('8471300000', '0808100000'))).toEqual([expect.objectContaining({ code: 'MESSAGE_LICENCE_UNMATCHED', params: { type: 'automatic-import-licence', number: 'AIL-2026-000123' } })]);
    expect(refused('<Other/>')).toEqual([expect.objectContaining({ code: 'MESSAGE_NOT_ONE' })]);
    expect(refused('<DecMessage><DecLists/></DecMessage>')).toEqual([expect.objectContaining({ code: 'MESSAGE_ELEMENT_MISSING', params: { element: 'DecHead' } })]);
    // A DTD is the reader's to refuse, before any of it is read.
    expect(() => readDecMessage(`<?xml version="1.0"?><!DOCTYPE DecMessage [<!ENTITY x SYSTEM "file:///etc/passwd">]>${SENT.slice(SENT.indexOf('<DecMessage'))}`)).toThrow(XmlError);
    expect(decMessage.recognizes('<Manifest xmlns="urn:x"/>')).toBe(false);
  });
});
