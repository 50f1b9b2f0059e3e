/** `kouan codes import <list> FILE` for a store-backed list, as an operator runs it, in a process of its own. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKouan } from './support/cli.js';

let dataDir = '';
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kouan-code-lists-cli-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kouan codes import <store-backed list>', () => {
  it('imports a list from CSV, refuses a bad file naming the line and keeps the list, refuses a built-in list', { timeout: 240_000 }, async () => {
    const good = join(dataDir, 'modes.csv');
    writeFileSync(good, ['code,en,zh,old_ciq_code', '0110,General trade,一般贸易,11', '2700,Exhibition goods,展览品,'].join('\n'));
    const imported = await runKouan(dataDir, ['codes', 'import', 'trade-mode', good], 120_000);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ list: 'trade-mode', entries: 2, skipped: 0 });

    const bad = join(dataDir, 'bad.csv');
    writeFileSync(bad, ['code,en,zh', '0110,General trade,一般贸易', '0110,Again,再次'].join('\n'));
    const refused = await runKouan(dataDir, ['codes', 'import', 'trade-mode', bad], 120_000);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('kouan: CODE_IMPORT_FAILED: The code list file could not be imported: line 3: the code 0110 is given twice');

    const builtIn = await runKouan(dataDir, ['codes', 'import', 'country', good], 120_000);
    expect(builtIn.code).toBe(1);
    expect(builtIn.stderr).toContain('kouan: CODE_LIST_NOT_IMPORTABLE: The code list "country" is built in: only store-backed lists are imported (hs, locode, tariff, customs-offices, trade-mode');

    const status = JSON.parse((await runKouan(dataDir, ['codes', 'status'], 120_000)).stdout) as { list: string; kind: string; entries: number; source: string }[];
    expect(status.find((list) => list.list === 'trade-mode')).toMatchObject({ kind: 'store', entries: 2, source: 'modes.csv' });
  });
});
