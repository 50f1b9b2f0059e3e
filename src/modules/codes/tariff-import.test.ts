/** The national tariff reader: the documented format, every row checked, the whole file or nothing. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTariffFile, type TariffRow } from './tariff-import.js';

const SAMPLE = fileURLToPath(new URL('../../../test/fixtures/cn-tariff-sample.csv', import.meta.url));
const HEADER = 'code,name_zh,name_en,unit1,unit2,declaration_elements';

async function collect(path: string): Promise<TariffRow[]> {
  const rows: TariffRow[] = [];
  for await (const row of readTariffFile(path)) rows.push(row);
  return rows;
}

let directory = '';
let count = 0;
async function file(lines: readonly string[]): Promise<string> {
  count += 1;
  const path = join(directory, `tariff-${count}.csv`);
  await writeFile(path, lines.join('\n'), 'utf8');
  return path;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kouan-tariff-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readTariffFile', () => {
  it('reads the sample of real lines with their units, declaration elements and rates', async () => {
    const rows = await collect(SAMPLE);
    expect(rows).toHaveLength(17);
    const bulbs = rows.find((row) => row.code === '0601102100');
    expect(bulbs).toMatchObject({ nameZh: '种用休眠的百合球茎', unit1: '007', unit2: '035' });
    const beef = rows.find((row) => row.code === '0202300090');
    expect(beef).toMatchObject({ nameZh: '其他冻藏的去骨牛肉', nameEn: 'Other boneless meat of bovine animals, frozen', unit1: '035', unit2: null });
    expect(beef?.declarationElements).toContain('制作或保存方法[冻]');
    expect(beef?.declarationElements.every((element) => element !== '')).toBe(true);
    expect(beef?.rates).toEqual({ import_mfn_rate: '12%', import_general_rate: '70%', vat_rate: '9%' });
  });

  it('keeps only the rate columns that have a value, and takes a file with none', async () => {
    const rows = await collect(await file([`${HEADER},export_rebate_rate,vat_rate`, '0808100000,鲜苹果,"Apples, fresh",035,,品牌类型|种类,,9%']));
    expect(rows).toEqual([{ code: '0808100000', nameZh: '鲜苹果', nameEn: 'Apples, fresh', unit1: '035', unit2: null, declarationElements: ['品牌类型', '种类'], rates: { vat_rate: '9%' } }]);
    expect(await collect(await file([HEADER, '0808100000,鲜苹果,,035,,']))).toEqual([{ code: '0808100000', nameZh: '鲜苹果', nameEn: '', unit1: '035', unit2: null, declarationElements: [], rates: {} }]);
  });

  const broken: [string, string[], RegExp][] = [
    ['another header', ['hs_code,name_zh,units', '0808100000,鲜苹果,千克'], /line 1: expected the header to start/],
    ['an unknown column', [`${HEADER},duty`, '0808100000,鲜苹果,Apples,035,,,5%'], /line 1: unknown column "duty"/],
    ['a repeated rate column', [`${HEADER},vat_rate,vat_rate`, '0808100000,鲜苹果,Apples,035,,,9%,9%'], /repeats the column "vat_rate"/],
    ['an eight-digit code', [HEADER, '08081000,鲜苹果,Apples,035,,'], /line 2: the code "08081000" is not ten digits/],
    ['a unit given by name', [HEADER, '0808100000,鲜苹果,Apples,千克,,'], /line 2: the first statutory unit "千克"/],
    ['an unknown second unit', [HEADER, '0808100000,鲜苹果,Apples,035,999,'], /line 2: the second statutory unit "999"/],
    ['the same unit twice', [HEADER, '0808100000,鲜苹果,Apples,035,035,'], /both its first and second/],
    ['no Chinese name', [HEADER, '0808100000,,Apples,035,,'], /has no Chinese name/],
    ['a line given twice', [HEADER, '0808100000,鲜苹果,Apples,035,,', '0808100000,鲜苹果,Apples,035,,'], /line 3: the line 0808100000 is given twice/],
    ['a short row', [HEADER, '0808100000,鲜苹果,Apples,035'], /line 2: 4 fields where the header has 6/],
  ];

  it.each(broken)('throws naming the line for %s', async (_name, lines, message) => {
    await expect(collect(await file(lines))).rejects.toThrow(message);
  });
});
