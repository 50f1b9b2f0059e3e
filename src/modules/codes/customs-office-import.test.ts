/** The customs-office reader and the built-in districts, against the GACC parameter list where it is at hand. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CN_UNITS } from './cn-units.js';
import { readCsvRecords } from './csv.js';
import { CUSTOMS_DISTRICTS, districtOf } from './customs-districts.js';
import { readCustomsOfficeFile, type CustomsOfficeRow, type CustomsOfficeSkip } from './customs-office-import.js';
import { UNITS } from './units.js';

// The shared reference data sits beside the project (../shared/data); CI checkouts may not have it.
const OFFICES_FILE = fileURLToPath(new URL('../../../../shared/data/cn-customs/customs_districts.csv', import.meta.url));
const UNITS_FILE = fileURLToPath(new URL('../../../../shared/data/cn-customs/units.csv', import.meta.url));
const haveData = existsSync(OFFICES_FILE) && existsSync(UNITS_FILE);
if (!haveData) console.warn('Skipping the checks against the GACC lists: ../shared/data/cn-customs is not here');

async function collect(path: string): Promise<{ rows: CustomsOfficeRow[]; skipped: CustomsOfficeSkip[] }> {
  const rows: CustomsOfficeRow[] = [];
  const skipped: CustomsOfficeSkip[] = [];
  for await (const row of readCustomsOfficeFile(path, (skip) => skipped.push(skip))) rows.push(row);
  return { rows, skipped };
}

let directory = '';
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kouan-offices-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('customs districts', () => {
  it('are the 42 directly-subordinate customs, by two-digit prefix', () => {
    expect(CUSTOMS_DISTRICTS.size).toBe(42);
    expect(districtOf('2201')).toEqual({ prefix: '22', zh: '上海海关', en: 'Shanghai Customs' });
    expect(districtOf('5301')?.zh).toBe('深圳海关');
    expect(districtOf('5208')?.en).toBe('Huangpu Customs');
    expect(districtOf('0101')?.en).toBe('Beijing Customs');
    for (const office of ['0000', '5000', '9800', '9900', 'A100', '1000']) expect(districtOf(office)).toBeUndefined();
  });
});

describe('readCustomsOfficeFile', () => {
  it('reads offices with their district, skipping rows of no district, and throws on a bad or repeated row', async () => {
    const path = join(directory, 'offices.csv');
    await writeFile(path, ['code,name_zh', '0000,海关总署', '2201,浦江海关', '', '5301,皇岗海关', 'A100,澳门海关'].join('\n'));
    const { rows, skipped } = await collect(path);
    expect(rows).toEqual([{ code: '2201', nameZh: '浦江海关', district: '22' }, { code: '5301', nameZh: '皇岗海关', district: '53' }]);
    expect(skipped.map((skip) => skip.lineNumber)).toEqual([2, 6]);

    await writeFile(path, ['code,name_zh', '2201,浦江海关', '2201,浦江海关'].join('\n'));
    await expect(collect(path)).rejects.toThrow(/line 3: the office 2201 is given twice/);
    await writeFile(path, ['code,name_zh', '220,浦江海关'].join('\n'));
    await expect(collect(path)).rejects.toThrow(/line 2: the code "220"/);
    await writeFile(path, ['code,name', '2201,浦江海关'].join('\n'));
    await expect(collect(path)).rejects.toThrow(/line 1: expected the header "code,name_zh"/);
  });

  it.skipIf(!haveData)('reads the GACC list: every district has its XX00 office and every office outside the districts is a known exception', async () => {
    const { rows, skipped } = await collect(OFFICES_FILE);
    expect(rows).toHaveLength(1319);
    expect(skipped.map((skip) => skip.reason.slice(0, 4)).sort()).toEqual(['0000', '5000', '9800', '9900', 'A100']);
    const codes = new Set(rows.map((row) => row.code));
    for (const prefix of CUSTOMS_DISTRICTS.keys()) expect(codes.has(`${prefix}00`), prefix).toBe(true);
    const districts = new Set(rows.map((row) => row.district));
    expect(districts.size).toBe(42);
  });
});

describe('GACC units', () => {
  it('map to Recommendation 20 codes Kouan knows', () => {
    for (const [code, unit] of CN_UNITS) for (const rec20 of unit.rec20) expect(UNITS.has(rec20), `${code} ${unit.zh} -> ${rec20}`).toBe(true);
    expect(CN_UNITS.get('035')).toEqual({ zh: '千克', rec20: ['KGM'] });
    expect(CN_UNITS.get('025')?.rec20).toContain('PR');
  });

  it.skipIf(!haveData)('are the units of the GACC parameter table, with the same names', async () => {
    const table = new Map<string, string>();
    for await (const record of readCsvRecords(UNITS_FILE)) table.set(record.code ?? '', record.name_zh ?? '');
    expect(new Map([...CN_UNITS].map(([code, unit]) => [code, unit.zh]))).toEqual(table);
  });
});
