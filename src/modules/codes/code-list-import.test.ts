import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KouanError } from '../../shared/errors.js';
import { readCodeListFile, type CodeListEntryRow } from './code-list-import.js';
import { CodeListRegistry, type StoredCodeList } from './code-list-registry.js';
import { CODES_MODULE_LISTS } from './code-lists.js';

const registry = new CodeListRegistry().register(...CODES_MODULE_LISTS);
const stored = (id: string): StoredCodeList => {
  const list = registry.stored(id);
  if (list === undefined) throw new Error(`${id} is not store-backed`);
  return list;
};
const DATA = fileURLToPath(new URL('../../../../shared/data/cn-customs/', import.meta.url));
const haveData = existsSync(join(DATA, 'trade_modes.csv'));
if (!haveData) console.warn(`Skipping the GACC parameter tables: the reference data is not at ${DATA}`);

async function collect(source: AsyncIterable<CodeListEntryRow>): Promise<CodeListEntryRow[]> {
  const rows: CodeListEntryRow[] = [];
  for await (const row of source) rows.push(row);
  return rows;
}

let directory = '';
let count = 0;
async function fixture(lines: readonly string[]): Promise<string> {
  count += 1;
  const path = join(directory, `list-${count}.csv`);
  await writeFile(path, lines.join('\n'), 'utf8');
  return path;
}
async function failure(path: string, list: StoredCodeList): Promise<string> {
  try {
    await collect(readCodeListFile(path, list));
  } catch (error) {
    if (error instanceof KouanError && error.code === 'CODE_IMPORT_FAILED') return error.message;
    throw error;
  }
  throw new Error('the file was read');
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kouan-code-lists-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readCodeListFile', () => {
  it('reads code,en,zh and keeps the other columns as extra, leaving empty cells out', async () => {
    const path = await fixture(['code,en,zh,note', '0110,General trade,一般贸易,most common', '"0214","Processing with supplied materials",来料加工,']);
    expect(await collect(readCodeListFile(path, stored('trade-mode')))).toEqual([
      { code: '0110', en: 'General trade', zh: '一般贸易', extra: { note: 'most common' } },
      { code: '0214', en: 'Processing with supplied materials', zh: '来料加工', extra: {} },
    ]);
  });

  it('reads a GACC parameter table as published: Chinese names only, the old codes as extra', async () => {
    const path = await fixture(['code,name_zh,old_customs_code,old_ciq_code', '101,一般征税,101,', '503,进料加工,503,']);
    expect(await collect(readCodeListFile(path, stored('levy-nature')))).toEqual([
      { code: '101', en: '', zh: '一般征税', extra: { old_customs_code: '101' } },
      { code: '503', en: '', zh: '进料加工', extra: { old_customs_code: '503' } },
    ]);
  });

  it('reads the names from the column a definition names', async () => {
    const path = await fixture(['code,name', '1,CIF', '5,市场价']);
    expect(await collect(readCodeListFile(path, stored('cn-transaction-term')))).toEqual([
      { code: '1', en: '', zh: 'CIF', extra: {} },
      { code: '5', en: '', zh: '市场价', extra: {} },
    ]);
  });

  it('refuses, naming the line, a code of the wrong form, a code given twice, an entry without a name, a line of the wrong width', async () => {
    const tradeMode = stored('trade-mode');
    expect(await failure(await fixture(['code,en,zh', '0110,General trade,一般贸易', '110,General trade,一般贸易']), tradeMode)).toBe(
      'The code list file could not be imported: line 3: the code "110" does not match ^\\d{4}$, the form of trade-mode codes',
    );
    expect(await failure(await fixture(['code,en,zh', '0110,General trade,一般贸易', '', '0110,Again,再次']), tradeMode)).toContain('line 4: the code 0110 is given twice');
    expect(await failure(await fixture(['code,en,zh', '0110,, ']), tradeMode)).toContain('line 2: the code 0110 has no name');
    expect(await failure(await fixture(['code,en,zh', '0110,General trade']), tradeMode)).toContain('line 2: 2 fields where the header has 3');
    expect(await failure(await fixture(['id,en,zh', '0110,General trade,一般贸易']), tradeMode)).toContain('line 1: expected a header with a "code" column');
    expect(await failure(await fixture(['code,note', '0110,x']), tradeMode)).toContain('line 1: expected a header');
    expect(await failure(await fixture(['code,en,en', '0110,a,b']), tradeMode)).toContain('line 1: the header repeats the column "en"');
    expect(await failure(await fixture(['code,en,zh', '"0110,General trade,一般贸易']), tradeMode)).toContain('line 2: the quoted field at column 1 is not closed');
  });

  it.skipIf(!haveData)('reads every GACC parameter table a shipped list names, as published', async () => {
    const files: Record<string, [file: string, rows: number]> = {
      'trade-mode': ['trade_modes.csv', 98],
      'levy-nature': ['levy_natures.csv', 45],
      'levy-method': ['levy_methods.csv', 9],
      'cn-transaction-term': ['transaction_terms.csv', 7],
      'cn-transport-mode': ['transport_modes.csv', 18],
      'cn-package-type': ['package_types.csv', 13],
      'container-size': ['container_sizes.csv', 8],
      'domestic-port': ['domestic_ports.csv', 997],
      'inspection-authority': ['inspection_authorities.csv', 1032],
      'goods-use': ['goods_use_codes.csv', 24],
      'goods-attribute': ['goods_attributes.csv', 20],
      'attached-document': ['edoc_types.csv', 52],
    };
    const storeBacked = registry.all().filter((list) => list.source.kind === 'store').map((list) => list.id);
    expect(Object.keys(files).sort()).toEqual([...storeBacked].sort());
    for (const [id, [file, rows]] of Object.entries(files)) {
      const list = stored(id);
      expect(list.source.file).toContain(file);
      const entries = await collect(readCodeListFile(join(DATA, file), list));
      expect(entries, id).toHaveLength(rows);
    }
    const tradeModes = await collect(readCodeListFile(join(DATA, 'trade_modes.csv'), stored('trade-mode')));
    expect(tradeModes.find((entry) => entry.code === '0110')).toEqual({
      code: '0110', en: '', zh: '一般贸易', extra: { old_customs_code: '0110', old_customs_name: '一般贸易', old_ciq_code: '11', old_ciq_name: '一般贸易' },
    });
  });
});
