import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COUNTRIES } from './countries.js';
import { COUNTRY_ALPHA2, COUNTRY_ALPHA3 } from './country-alpha3.js';

const GACC_COUNTRIES = fileURLToPath(new URL('../../../../shared/data/cn-customs/countries.csv', import.meta.url));

describe('ISO 3166-1 alpha-3', () => {
  it('names every country of the alpha-2 list, one to one', () => {
    expect(COUNTRY_ALPHA3.size).toBe(COUNTRIES.size);
    expect(COUNTRY_ALPHA2.size).toBe(COUNTRIES.size);
    for (const [alpha2, alpha3] of COUNTRY_ALPHA3) {
      expect(COUNTRIES.has(alpha2)).toBe(true);
      expect(alpha3).toMatch(/^[A-Z]{3}$/);
      expect(COUNTRY_ALPHA2.get(alpha3)).toBe(alpha2);
    }
    expect([COUNTRY_ALPHA3.get('CN'), COUNTRY_ALPHA3.get('US'), COUNTRY_ALPHA3.get('DE'), COUNTRY_ALPHA3.get('HK'), COUNTRY_ALPHA3.get('GB')]).toEqual(['CHN', 'USA', 'DEU', 'HKG', 'GBR']);
  });

  // China customs' country table (2018) is ISO alpha-3 plus codes of its own (CAI, CEU, ZZZ ...): every ISO one maps.
  it.runIf(existsSync(GACC_COUNTRIES))('reads every ISO code of the GACC country table, with the same English name', () => {
    const rows = readFileSync(GACC_COUNTRIES, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const mapped = rows.filter(([code]) => COUNTRY_ALPHA2.has(code ?? ''));
    expect(mapped.length).toBeGreaterThan(240);
    const unmapped = rows.filter(([code]) => !COUNTRY_ALPHA2.has(code ?? '')).map(([code]) => code);
    // What is left are the customs' own codes, none of them ISO.
    for (const code of unmapped) expect([...COUNTRY_ALPHA3.values()]).not.toContain(code);
    const first = (name: string) => name.split(/[ ,(]/)[0]?.toLowerCase();
    const sameName = mapped.filter(([code, , en]) => first(COUNTRIES.get(COUNTRY_ALPHA2.get(code ?? '') ?? '')?.en ?? '') === first(en ?? ''));
    expect(sameName.length / mapped.length).toBeGreaterThan(0.85);
  });
});
