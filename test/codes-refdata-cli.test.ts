/** `kouan codes import tariff|customs-offices FILE` as an operator runs it, in a process of its own, then the server on the same store. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan } from '../src/main.js';
import { IMPORTER } from './support/fixtures.js';
import { runKouan } from './support/cli.js';

const SAMPLE = fileURLToPath(new URL('./fixtures/cn-tariff-sample.csv', import.meta.url));

let dataDir = '';
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kouan-refdata-cli-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kouan codes import tariff and customs-offices', () => {
  it('imports a tariff and a list of offices, reporting the rows it skipped, and the server checks and finds them', async () => {
    const tariff = await runKouan(dataDir, ['codes', 'import', 'tariff', SAMPLE]);
    expect(tariff.code, tariff.stderr).toBe(0);
    expect(JSON.parse(tariff.stdout)).toMatchObject({ list: 'tariff', entries: 17, skipped: 0 });

    const offices = join(dataDir, 'offices.csv');
    writeFileSync(offices, ['code,name_zh', '0000,海关总署', '5300,深圳海关', '5301,皇岗海关', '5316,大鹏海关'].join('\n'));
    const imported = await runKouan(dataDir, ['codes', 'import', 'customs-offices', offices]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ list: 'customs-offices', entries: 3, skipped: 1 });
    expect(imported.stderr).toContain('skipped line 2: 0000 海关总署 belongs to no directly-subordinate customs district');

    const status = await runKouan(dataDir, ['codes', 'status']);
    const lists = JSON.parse(status.stdout) as { list: string; loaded: boolean; entries: number }[];
    expect(lists.filter((list) => list.list === 'tariff' || list.list === 'customs-offices')).toEqual([
      expect.objectContaining({ list: 'tariff', loaded: true, entries: 17 }),
      expect.objectContaining({ list: 'customs-offices', loaded: true, entries: 3 }),
    ]);

    const kouan = await createKouan(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }), { startExchange: false });
    try {
      await kouan.services.parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Importer', roles: ['declarant'] });
      const headers = { authorization: `Bearer ${(await kouan.services.parties.createKey(IMPORTER)).key}` };
      const found = await kouan.app.inject({ method: 'GET', url: `/api/v1/codes/customs-offices?q=${encodeURIComponent('皇岗')}`, headers });
      expect(found.json()).toMatchObject({ list: 'customs-offices', loaded: true, entries: [{ code: '5301', zh: '皇岗海关', en: 'Office 5301 of Shenzhen Customs' }] });
      const apples = await kouan.app.inject({ method: 'GET', url: `/api/v1/codes/hs?q=${encodeURIComponent('苹果')}`, headers });
      expect(apples.json()).toMatchObject({ list: 'hs', loaded: true, entries: [{ code: '0808100000', zh: '鲜苹果', en: 'Apples, fresh' }] });
    } finally {
      await kouan.close();
    }
  });

  it('refuses a tariff file it cannot read whole, exit code 1, naming the line, and keeps the tariff it had', async () => {
    const broken = join(dataDir, 'broken.csv');
    writeFileSync(broken, ['code,name_zh,name_en,unit1,unit2,declaration_elements', '0808100000,鲜苹果,Apples,035,,', '0808100000,鲜苹果,Apples,035,,'].join('\n'));
    const run = await runKouan(dataDir, ['codes', 'import', 'tariff', broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('line 3: the line 0808100000 is given twice');
    const status = JSON.parse((await runKouan(dataDir, ['codes', 'status'])).stdout) as { list: string; entries: number }[];
    expect(status.find((list) => list.list === 'tariff')).toMatchObject({ entries: 17 });
  });
});
