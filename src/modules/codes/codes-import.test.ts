import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvLine, readCsvRecords } from './csv.js';
import { readHsFile } from './hs-import.js';
import type { HsRow } from './hs-import.js';
import { readLocodeFile } from './locode-import.js';
import type { LocodeRejection, LocodeRow } from './locode-import.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

let directory = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kouan-codes-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

let fixtureCount = 0;

async function fixture(lines: readonly string[], lineEnding = '\n'): Promise<string> {
  fixtureCount += 1;
  const path = join(directory, `fixture-${fixtureCount}.csv`);
  await writeFile(path, lines.join(lineEnding), 'utf8');
  return path;
}

describe('parseCsvLine', () => {
  it('splits plain fields, keeping empty ones', () => {
    expect(parseCsvLine('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(parseCsvLine('a,,c,')).toEqual(['a', '', 'c', '']);
    expect(parseCsvLine('')).toEqual(['']);
  });

  it('reads quoted fields with commas and escaped quotes', () => {
    expect(parseCsvLine('I,0101,"Horses, asses, mules and hinnies; live",01,4')).toEqual([
      'I', '0101', 'Horses, asses, mules and hinnies; live', '01', '4',
    ]);
    expect(parseCsvLine('"say ""hello""",x')).toEqual(['say "hello"', 'x']);
    expect(parseCsvLine('"",""""')).toEqual(['', '"']);
    expect(parseCsvLine('x,"last"')).toEqual(['x', 'last']);
  });

  it('rejects bad quoting', () => {
    expect(() => parseCsvLine('a,"open')).toThrow(/not closed/);
    expect(() => parseCsvLine('"quoted"tail,b')).toThrow(/after the quoted field/);
    expect(() => parseCsvLine('a,b"c')).toThrow(/quote inside the unquoted field/);
  });
});

describe('readCsvRecords', () => {
  it('keys the records by the header and skips blank lines', async () => {
    const path = await fixture(['code,name', 'CN,"China, People\'s Republic of"', '', '   ', 'NL,"The ""Netherlands"""', '']);
    expect(await collect(readCsvRecords(path))).toEqual([
      { code: 'CN', name: "China, People's Republic of" },
      { code: 'NL', name: 'The "Netherlands"' },
    ]);
  });

  it('reads CRLF line endings and a byte order mark', async () => {
    const path = await fixture(['\uFEFFsection,name', 'I,live animals', 'II,Vegetable products'], '\r\n');
    expect(await collect(readCsvRecords(path))).toEqual([
      { section: 'I', name: 'live animals' },
      { section: 'II', name: 'Vegetable products' },
    ]);
  });

  it('throws naming the line of a row with the wrong number of fields', async () => {
    const path = await fixture(['a,b,c', '1,2,3', '', '4,5', '6,7,8']);
    await expect(collect(readCsvRecords(path))).rejects.toThrow(/line 4: 2 fields where the header has 3/);
    await expect(collect(readCsvRecords(path))).rejects.toMatchObject({
      code: 'CODE_IMPORT_FAILED',
      extra: { line: 4 },
    });
  });

  it('throws naming the line of a row with bad quoting', async () => {
    const path = await fixture(['a,b', '1,2', '3,"unclosed']);
    await expect(collect(readCsvRecords(path))).rejects.toThrow(/line 3: the quoted field at column 3 is not closed/);
  });

  it('throws on a header that repeats a column', async () => {
    const path = await fixture(['a,b,a', '1,2,3']);
    await expect(collect(readCsvRecords(path))).rejects.toThrow(/line 1: the header repeats the column "a"/);
  });
});

const HS_HEADER = 'section,hscode,description,parent,level';

describe('readHsFile', () => {
  it('reads chapters, headings and subheadings and skips the TOTAL rows', async () => {
    const path = await fixture([
      HS_HEADER,
      'I,01,"Animals; live",TOTAL,2',
      'I,0101,"Horses, asses, mules and hinnies; live",01,4',
      'I,010121,"Horses; live, pure-bred breeding animals",0101,6',
      'TOTAL,99,Commodities not specified according to kind,TOTAL,2',
      'TOTAL,9999,Commodities not specified according to kind,99,4',
      'TOTAL,999999,Commodities not specified according to kind,9999,6',
      'TOTAL,TOTAL,Total of all HS2022 commodities,TOTAL,5',
    ]);
    expect(await collect(readHsFile(path))).toEqual<HsRow[]>([
      { code: '01', description: 'Animals; live', parent: null, level: 2 },
      { code: '0101', description: 'Horses, asses, mules and hinnies; live', parent: '01', level: 4 },
      { code: '010121', description: 'Horses; live, pure-bred breeding animals', parent: '0101', level: 6 },
    ]);
  });

  it.each([
    ['a code that is not 2, 4 or 6 digits', 'XVI,84713,Machines,8471,6', /line 3: the code "84713" is not 2, 4 or 6 digits/],
    ['a non-numeric code outside the TOTAL section', 'XVI,8471A0,Machines,8471,6', /line 3: the code "8471A0"/],
    ['a level that does not match the code', 'XVI,847130,Machines,8471,4', /line 3: the level "4" does not match the 6-digit code 847130/],
    ['a parent that is not the code\'s heading', 'XVI,847130,Machines,8470,6', /line 3: the parent "8470" of 847130 should be "8471"/],
    ['a missing description', 'XVI,847130,,8471,6', /line 3: the code 847130 has no description/],
    ['a row of the wrong width', 'XVI,847130,Machines,8471', /line 3: 4 fields where the header has 5/],
  ])('throws naming the line of %s', async (_case, row, message) => {
    const path = await fixture([HS_HEADER, 'XVI,8471,"Automatic data processing machines",84,4', row]);
    await expect(collect(readHsFile(path))).rejects.toThrow(message);
  });

  it('throws on a file with another header', async () => {
    const path = await fixture(['code,description', '01,Animals; live']);
    await expect(collect(readHsFile(path))).rejects.toThrow(/line 1: expected the header/);
  });
});

const LOCODE_HEADER = 'country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded';

describe('readLocodeFile', () => {
  it('reads locations, with a quoted name, an empty subdivision and without the geocoded column', async () => {
    const path = await fixture([
      LOCODE_HEADER,
      'NL,RTM,Rotterdam,Rotterdam,ZH,AF,12345---,,51.91,4.5,',
      'CN,NGB,"Ningbo, Zhejiang","Ningbo, Zhejiang",ZJ,AI,12345---,NGB,29.86,121.55,true',
      'AQ,ARC,Arctowski,Arctowski,,RL,1-------,,-62.15,-58.46',
    ]);
    expect(await collect(readLocodeFile(path))).toEqual<LocodeRow[]>([
      { code: 'NLRTM', country: 'NL', name: 'Rotterdam', subdivision: 'ZH', functions: '12345---', status: 'AF' },
      { code: 'CNNGB', country: 'CN', name: 'Ningbo, Zhejiang', subdivision: 'ZJ', functions: '12345---', status: 'AI' },
      { code: 'AQARC', country: 'AQ', name: 'Arctowski', subdivision: null, functions: '1-------', status: 'RL' },
    ]);
  });

  it('splits the records of several countries glued onto one line', async () => {
    const path = await fixture([
      LOCODE_HEADER,
      // glued to an empty geocoded value, to "true", and (in a country without that column) to the longitude
      'AD,SCO,Santa Coloma,Santa Coloma,,RL,--3-----,,42.5,1.5,AE,ABU,Abu al Bukhoosh,Abu al Bukhoosh,,RL,1-------,,25.48,53.13,',
      'AO,XGN,Xangongo,Xangongo,,AI,---4----,,-16.75,14.96,trueAQ,ABA,Aboa,Aboa,,RL,1-------,,-73.05,-13.41',
      'AQ,ZGN,Zhongshan,Zhongshan,,RL,1-------,,-69.36,76.38AR,ABA,Abasto,Abasto,,RQ,--3-----,,-34.96,-58.08,',
    ]);
    const codes = (await collect(readLocodeFile(path))).map((row) => row.code);
    expect(codes).toEqual(['ADSCO', 'AEABU', 'AOXGN', 'AQABA', 'AQZGN', 'ARABA']);
  });

  it('rejoins a name the export split at its comma and leaves its lost status null', async () => {
    const path = await fixture([
      LOCODE_HEADER,
      'MY,BLI,"""Batu Lintang"," Sarawak""","""Batu Lintang"," Sarawak""",13,1-------,1.01,111.55,true',
    ]);
    expect(await collect(readLocodeFile(path))).toEqual<LocodeRow[]>([
      { code: 'MYBLI', country: 'MY', name: 'Batu Lintang, Sarawak', subdivision: '13', functions: '1-------', status: null },
    ]);
  });

  it('uses the name without diacritics when the accented name was garbled', async () => {
    const path = await fixture([LOCODE_HEADER, 'BJ,TAN,Tangui\uFFFDta,Tanguieta,,RL,--3-----,,10.61,1.26,']);
    const [row] = await collect(readLocodeFile(path));
    expect(row?.name).toBe('Tanguieta');
  });

  it('throws naming the line of an invalid location code', async () => {
    const path = await fixture([
      LOCODE_HEADER,
      'DE,BER,Berlin,Berlin,BE,AI,12345---,BER,52.5,13.4,',
      'DE,9B0,Bollberg,Bollberg,TH,RQ,--3-----,,50.88,11.8,',
    ]);
    await expect(collect(readLocodeFile(path))).rejects.toThrow(/line 3: the location "9B0" of DE9B0/);
  });

  it('passes invalid rows to onRejectedRow instead, and reads on', async () => {
    const path = await fixture([
      LOCODE_HEADER,
      'DE,9B0,Bollberg,Bollberg,TH,RQ,--3-----,,50.88,11.8,',
      'de,ber,Berlin,Berlin,BE,AI,12345---,BER,52.5,13.4,',
      'DE,HAM,Hamburg,Hamburg,HH,AF,12345---,HAM,53.55,9.99,',
    ]);
    const rejections: LocodeRejection[] = [];
    const rows = await collect(readLocodeFile(path, { onRejectedRow: (rejection) => rejections.push(rejection) }));
    expect(rows.map((row) => row.code)).toEqual(['DEHAM']);
    expect(rejections).toEqual([
      { lineNumber: 2, reason: 'the location "9B0" of DE9B0 is not three capital letters or digits 2-9' },
      { lineNumber: 3, reason: 'the country "de" is not two capital letters' },
    ]);
  });

  it.each([
    ['a row that is too short', 'NL,RTM,Rotterdam,Rotterdam,ZH', /line 2: 5 fields where a record has 11/],
    ['a row too long to be two records', `NL,RTM,Rotterdam,Rotterdam,ZH,AF,12345---,,51.91,4.5,,x,y,z`, /line 2: 14 fields/],
    ['a malformed function classifier', 'NL,RTM,Rotterdam,Rotterdam,ZH,AF,port,,51.91,4.5,', /line 2: the function classifier "port"/],
    ['a malformed status', 'NL,RTM,Rotterdam,Rotterdam,ZH,Approved,12345---,,51.91,4.5,', /line 2: the status "Approved"/],
    ['a missing name', 'NL,RTM,,,ZH,AF,12345---,,51.91,4.5,', /line 2: NLRTM has no name/],
    ['bad quoting', 'NL,RTM,"Rotterdam,Rotterdam,ZH,AF,12345---,,51.91,4.5,', /line 2: the quoted field at column 8 is not closed/],
  ])('throws naming the line of %s', async (_case, row, message) => {
    const path = await fixture([LOCODE_HEADER, row]);
    await expect(collect(readLocodeFile(path))).rejects.toThrow(message);
  });

  it('throws on a file with another header', async () => {
    const path = await fixture(['Ch,Country,Location,Name', ',CN,SHA,Shanghai']);
    await expect(collect(readLocodeFile(path))).rejects.toThrow(/line 1: expected the header/);
  });
});

// The shared reference data sits beside the project (../shared/data); CI checkouts may not have it.
const HS_FILE = fileURLToPath(new URL('../../../../shared/data/hs/harmonized-system.csv', import.meta.url));
const LOCODE_FILE = fileURLToPath(new URL('../../../../shared/data/unlocode/unlocode.csv', import.meta.url));

describe.skipIf(!existsSync(HS_FILE))(`the real HS file (skipped: ${HS_FILE} is absent)`, () => {
  it('holds the HS 2022 chapters, headings and subheadings', async () => {
    const rows = await collect(readHsFile(HS_FILE));
    const byCode = new Map(rows.map((row) => [row.code, row]));
    expect(byCode.get('847130')).toMatchObject({ level: 6, parent: '8471' });
    expect(byCode.get('8471')).toMatchObject({ level: 4, parent: '84' });
    expect(byCode.get('84')).toMatchObject({ level: 2, parent: null });
    expect(byCode.has('99')).toBe(false);
    expect(rows.length).toBeGreaterThan(5000);
    expect(rows.length).toBeLessThan(8000);
    expect(rows.filter((row) => row.level === 2)).toHaveLength(96);
  });
});

describe.skipIf(!existsSync(LOCODE_FILE))(`the real UN/LOCODE file (skipped: ${LOCODE_FILE} is absent)`, () => {
  it('holds the main ports among about 115k locations, rejecting only the three codes with a 0', async () => {
    const rejections: LocodeRejection[] = [];
    const codes = new Set<string>();
    let count = 0;
    for await (const row of readLocodeFile(LOCODE_FILE, { onRejectedRow: (rejection) => rejections.push(rejection) })) {
      codes.add(row.code);
      count += 1;
    }
    for (const code of ['CNSHA', 'CNNGB', 'NLRTM', 'SGSIN', 'USLAX', 'DEHAM']) expect(codes.has(code)).toBe(true);
    expect(count).toBeGreaterThan(110_000);
    expect(count).toBeLessThan(120_000);
    expect(rejections.map((rejection) => rejection.lineNumber)).toEqual([24569, 24753, 72223]);
  });
});
