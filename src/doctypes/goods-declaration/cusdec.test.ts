import { describe, expect, it } from 'vitest';
import { parseInterchange } from '../../formats/edifact/tokenizer.js';
import { cusdec, printCusdec, readCusdec } from './cusdec.js';
import { examples } from './examples.js';
import type { GoodsDeclaration } from './schema.js';

const context = { submissionId: 'sub_01M8VR7999BAEWQ4EQSGHNZGT4', number: '220120261000000042', sender: 'KOUAN', preparedAt: '2026-12-02T09:30:00.000Z' };
/** The canonical document as the pipeline stores it: decimals as strings. */
const stored = (document: unknown): GoodsDeclaration => JSON.parse(JSON.stringify(document, (_key, value: unknown) => (typeof value === 'number' ? String(value) : value))) as GoodsDeclaration;

/**
 * An import of 200 laptops as a declarant's system sends it: UNOC, a UNA, the header in the order of the D.00B
 * segment table (CST procedure, LOC, DTM, EQD, RFF, TDT, NAD, TOD, MOA/CUX), qualifiers other senders use too.
 */
const SENT = [
  "UNA:+.? '",
  "UNB+UNOC:3+91310115MA1H7L0Q2K:ZZ+CNCUSTOMS:ZZ+250312:0930+CD0001'",
  "UNH+1+CUSDEC:D:00B:UN'",
  "BGM+929+DEC20250312001+9'",
  "CST++0110:117:ZZZ'",
  "LOC+22+2201::ZZZ'",
  "LOC+24+CNSHA::6'",
  "LOC+35+DE'",
  "DTM+137:20250312:102'",
  "EQD+CN+MSKU1234565'",
  "RFF+BM:MEDUDE123456'",
  "TDT+20+012E+1+++++9321483:146:11'",
  "NAD+DT+91310115MA1H7L0Q2K::ZZZ++SHANGHAI EXAMPLE BROKER CO LTD'",
  "NAD+CN+91310000MA1K4A2B90::ZZZ++SHANGHAI EXAMPLE TRADING CO LTD'",
  "NAD+CZ+++Example Maschinen GmbH+++++DE'",
  "TOD+++CIF'",
  "MOA+39:120000:EUR'",
  "CUX+2:EUR:4'",
  "UNS+D'",
  "CST+1+8471300000:108:ZZZ'",
  "FTX+AAA+++LAPTOP COMPUTERS, 14?+ INCH'",
  "LOC+27+DE'",
  "MEA+AAE+AAD+KGM:820.5'",
  "MEA+AAE+AAC+KGM:700'",
  "MEA+CT++PCE:200'",
  "MOA+38:120000:EUR'",
  "DOC+:::automatic-import-licence+AIL-2026-000123'",
  "UNS+S'",
  "UNT+27+1'",
  "UNZ+1+CD0001'",
].join('\n');

describe('the goods declaration as CUSDEC', () => {
  it('reads a declarant\'s interchange into the canonical document', () => {
    expect(cusdec.recognizes(SENT)).toBe(true);
    expect(readCusdec(SENT)).toEqual({
      document: {
        direction: 'import',
        declarant: '91310115MA1H7L0Q2K',
        consignee: { id: '91310000MA1K4A2B90', name: 'SHANGHAI EXAMPLE TRADING CO LTD' },
        consignor: { name: 'Example Maschinen GmbH', country: 'DE' },
        customsOffice: '2201',
        portOfEntry: 'CNSHA',
        countryOfDispatch: 'DE',
        currency: 'EUR',
        incoterm: 'CIF',
        tradeMode: '0110',
        transport: { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: 'MEDUDE123456', containers: ['MSKU1234565'] },
        lines: [
          {
            hsCode: '8471300000',
            description: 'LAPTOP COMPUTERS, 14+ INCH',
            originCountry: 'DE',
            grossWeightKg: '820.5',
            netWeightKg: '700',
            quantity: '200',
            unit: 'PCE',
            value: '120000',
            documents: [{ type: 'automatic-import-licence', number: 'AIL-2026-000123' }],
          },
        ],
      },
    });
  });

  it('prints every example so that reading the print gives the document back, Chinese names and cited documents included', () => {
    const withEverything = stored({
      ...(examples[0]?.document as object),
      tradeMode: '2700',
      consignee: { id: '91310000MA1K4A2B90', name: '上海示例贸易有限公司（浦东新区自由贸易试验区分公司）及其名称很长的关联企业集团' },
      lines: [{ ...(examples[0]?.document as { lines: object[] }).lines[0], documents: [{ type: 'temporary-admission', number: 'TA-01M8', key: '3', writeOff: 'conversion' }, { type: 'automatic-import-licence', number: 'AIL-1' }] }],
    });
    for (const document of [...examples.map((example) => stored(example.document)), withEverything]) {
      const printed = printCusdec(document, context);
      // A well-formed interchange: its own reader takes it (UNT counts its segments, UNZ its message).
      expect(() => parseInterchange(printed)).not.toThrow();
      expect(readCusdec(printed)).toEqual({ document });
    }
    const printed = printCusdec(withEverything, context);
    expect(printed).toContain("UNB+UNOW:4+KOUAN+CNCUSTOMS+261202:0930+");
    expect(printed).toContain('BGM+929+220120261000000042+9');
    expect(printed).toContain('DOC+:::temporary-admission+TA-01M8');
    expect(printed).toContain('RFF+ACD:3');
  });

  it('says what in a message it cannot read, naming the segment', () => {
    const exportCode = SENT.replace('BGM+929', 'BGM+999');
    expect(readCusdec(exportCode)).toEqual({ errors: [expect.objectContaining({ path: 'segment 3 (BGM)', code: 'MESSAGE_VALUE_UNKNOWN' })] });
    const badMode = SENT.replace('TDT+20+012E+1', 'TDT+20+012E+X');
    expect(readCusdec(badMode)).toEqual({ errors: [expect.objectContaining({ code: 'MESSAGE_VALUE_UNKNOWN', params: expect.objectContaining({ element: 'TDT 8067', value: 'X' }) as unknown })] });
    const itemless = SENT.replace("UNS+D'\nCST+1+8471300000:108:ZZZ'\n", "UNS+D'\n").replace('UNT+27', 'UNT+26');
    expect(readCusdec(itemless)).toEqual({ errors: [expect.objectContaining({ code: 'MESSAGE_SEGMENT_MISPLACED' })] });
    const two = SENT.replace("UNZ+1+CD0001'", "UNH+2+CUSDEC:D:00B:UN'\nBGM+929+X+9'\nUNT+3+2'\nUNZ+2+CD0001'");
    expect(readCusdec(two)).toEqual({ errors: [expect.objectContaining({ path: 'UNH', code: 'MESSAGE_NOT_ONE' })] });
    // An IFTSTA is no CUSDEC; a broken interchange is the tokenizer's to refuse.
    expect(cusdec.recognizes("UNB+UNOA:2+X+Y+250312:0930+1'UNH+1+IFTSTA:D:95B:UN'")).toBe(false);
    expect(() => readCusdec("UNB+UNOC:3+X+Y+250312:0930+1'UNH+1+CUSDEC:D:00B:UN'BGM+929'")).toThrow();
  });
});
