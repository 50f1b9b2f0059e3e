/** Type-ahead over the code lists on both stores: what was typed as a code comes first, then names that mention it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

describe.each(kinds)('code search on %s', (kind) => {
  let t: TestKouan;
  let key: string;
  const codes = async (list: string, q: string) => (await t.request('GET', `/api/v1/codes/${list}?q=${encodeURIComponent(q)}&limit=5`, { key })).json<{ entries: { code: string }[] }>().entries.map((entry) => entry.code);

  beforeAll(async () => {
    t = await startTestKouan(kind);
    key = await t.enterprise('91310000MA1K4A2B90');
    const dir = mkdtempSync(join(tmpdir(), 'kouan-codes-search-'));
    try {
      writeFileSync(join(dir, 'locode.csv'), [
        'country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded',
        'BD,DEL,Delduar,Delduar,,RL,--3-----,,,,',
        'DE,HAM,Hamburg,Hamburg,HH,AI,12345---,,53.55,10.0,true',
        'CN,SHA,Shanghai,Shanghai,SH,AI,12345---,,31.23,121.47,true',
        'CN,SDE,Shidao,Shidao,SD,AI,1-------,,,,',
      ].join('\n'));
      await t.kouan.services.codes.importLocode(join(dir, 'locode.csv'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('puts the exact code first, then codes that start with what was typed, then names that contain it', async () => {
    const countries = await codes('country', 'DE');
    expect(countries[0]).toBe('DE');
    // "Bangladesh" contains "de" but is not the code DE.
    expect(countries.indexOf('BD') === -1 || countries.indexOf('BD') > 0).toBe(true);
    expect((await codes('currency', 'CN'))[0]).toBe('CNY');
    // Port codes starting DE come before "Delduar" (BDDEL), which only has DE in its name.
    expect(await codes('locode', 'de')).toEqual(['DEHAM', 'BDDEL']);
    expect(await codes('locode', 'sha')).toEqual(['CNSHA']);
  });
});
