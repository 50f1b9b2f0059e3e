import { describe, expect, it } from 'vitest';
import { compareDecimal } from '../../shared/decimal.js';
import { SEEDED_AGENCIES } from '../parties/index.js';
import { ACCOUNT_TYPES, accountType } from './account-types.js';
import { DEFAULT_REGULATORY_CONDITIONS, conditionsFor } from './regulatory-conditions.js';

// DESIGN.md, "Canonical documents": clients and tests depend on these ids.
const DESIGN_TYPE_IDS = [
  'import-licence',
  'automatic-import-licence',
  'tariff-quota-certificate',
  'solid-waste-import-permit',
  'hazardous-chemical-registration',
  'pesticide-registration',
  'inbound-clearance-form',
  'certificate-of-origin',
  'preferential-certificate-of-origin',
  'crypto-product-import-licence',
  'cites-permit',
  'drug-import-permit',
  'drug-export-permit',
  'processing-trade-manual',
];

const DECIMAL = /^\d+(\.\d+)?$/;
const HS_PREFIX = /^(\d{2}|\d{4}|\d{6}|\d{8})$/;

describe('account types', () => {
  it('has every type id from DESIGN.md exactly once', () => {
    for (const id of DESIGN_TYPE_IDS) {
      expect(ACCOUNT_TYPES.filter((type) => type.id === id), id).toHaveLength(1);
      expect(accountType(id)?.id).toBe(id);
    }
    expect(new Set(ACCOUNT_TYPES.map((type) => type.id)).size).toBe(ACCOUNT_TYPES.length);
    expect(accountType('no-such-type')).toBeUndefined();
  });

  it('names only seeded agencies, carriers or Kouan itself as issuers', () => {
    const agencies = new Set([...SEEDED_AGENCIES.map((agency) => agency.id), 'carrier', 'platform']);
    for (const type of ACCOUNT_TYPES) {
      expect(type.issuers.length, type.id).toBeGreaterThan(0);
      for (const issuer of type.issuers) expect(agencies.has(issuer), `${type.id} issuer ${issuer}`).toBe(true);
    }
    expect(accountType('processing-trade-manual')?.issuers).toEqual(['MOC', 'CUS', 'platform']);
    expect(accountType('transport-document')?.issuers).toEqual(['carrier']);
  });

  it('gives every type its own number prefix', () => {
    const prefixes = ACCOUNT_TYPES.map((type) => type.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[A-Z]{2,5}$/);
    expect(accountType('automatic-import-licence')?.prefix).toBe('AIL');
  });

  it('has decimal tolerances with the default no greater than the maximum', () => {
    for (const type of ACCOUNT_TYPES) {
      expect(type.defaultTolerancePct, type.id).toMatch(DECIMAL);
      expect(type.maxTolerancePct, type.id).toMatch(DECIMAL);
      expect(compareDecimal(type.defaultTolerancePct, type.maxTolerancePct), type.id).toBeLessThanOrEqual(0);
    }
  });

  it('governs HS prefixes of 2, 4 or 6 digits and names at least one direction', () => {
    for (const type of ACCOUNT_TYPES) {
      for (const prefix of type.governs) expect(prefix, type.id).toMatch(HS_PREFIX);
      expect(new Set(type.governs).size, type.id).toBe(type.governs.length);
      expect(type.directions.length, type.id).toBeGreaterThan(0);
    }
  });

  it('gives the processing-manual model to the processing-trade manual only', () => {
    const manuals = ACCOUNT_TYPES.filter((type) => type.model === 'processing-manual').map((type) => type.id);
    expect(manuals).toEqual(['processing-trade-manual']);
  });

  it('requires the agreement on a preferential certificate of origin', () => {
    const agreement = accountType('preferential-certificate-of-origin')?.attributes?.find((attribute) => attribute.name === 'agreement');
    expect(agreement?.required).toBe(true);
    expect(agreement?.allowed).toEqual(['CN-ASEAN', 'CN-CL', 'CN-SG']);
  });
});

describe('default regulatory conditions', () => {
  it('use HS prefixes of 2, 4, 6 or 8 (national) digits and require at least one type', () => {
    for (const condition of DEFAULT_REGULATORY_CONDITIONS) {
      expect(condition.prefix, condition.en).toMatch(HS_PREFIX);
      expect(condition.requires.length, condition.en).toBeGreaterThan(0);
      expect(condition.en.length, condition.prefix).toBeGreaterThan(0);
    }
  });

  it('require only types that exist, move in that direction and govern those goods', () => {
    for (const condition of DEFAULT_REGULATORY_CONDITIONS) {
      const directions = condition.direction === 'both' ? (['import', 'export'] as const) : [condition.direction];
      for (const id of condition.requires) {
        const type = accountType(id);
        const where = `${condition.prefix} ${condition.direction} -> ${id}`;
        expect(type, where).toBeDefined();
        if (!type) continue;
        for (const direction of directions) expect(type.directions, where).toContain(direction);
        const covered = type.governs.length === 0
          || type.governs.some((governed) => condition.prefix.startsWith(governed) || governed.startsWith(condition.prefix));
        expect(covered, where).toBe(true);
      }
    }
  });

  it('state each prefix and direction once', () => {
    const keys = DEFAULT_REGULATORY_CONDITIONS.map((condition) => `${condition.prefix}/${condition.direction}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('ask for a pesticide registration on pesticides', () => {
    const ids = conditionsFor('3808911000', 'import').flatMap((condition) => condition.requires);
    expect(ids).toContain('pesticide-registration');
    expect(conditionsFor('3808911000', 'export').flatMap((condition) => condition.requires)).toContain('pesticide-registration');
  });

  it('ask nothing of laptops and fresh apples', () => {
    expect(conditionsFor('8471300000', 'import')).toEqual([]);
    expect(conditionsFor('8471990000', 'import')).toEqual([]);
    expect(conditionsFor('0808100000', 'import')).toEqual([]);
    for (const condition of DEFAULT_REGULATORY_CONDITIONS) {
      for (const fixture of ['8471', '0808']) {
        expect(fixture.startsWith(condition.prefix) || condition.prefix.startsWith(fixture), condition.prefix).toBe(false);
      }
    }
  });

  it('match on direction: waste paper needs a permit to come in, not to go out', () => {
    const imports = conditionsFor('4707100000', 'import');
    expect(imports.flatMap((condition) => condition.requires)).toContain('solid-waste-import-permit');
    const exports = conditionsFor('4707100000', 'export');
    expect(exports.flatMap((condition) => condition.requires)).not.toContain('solid-waste-import-permit');
    expect(exports).toEqual([]);
  });

  it('ask for the drug permit of the declaration direction', () => {
    const inbound = conditionsFor('2939110000', 'import').flatMap((condition) => condition.requires);
    const outbound = conditionsFor('2939110000', 'export').flatMap((condition) => condition.requires);
    expect(inbound).toEqual(['drug-import-permit']);
    expect(outbound).toEqual(['drug-export-permit']);
  });

  it('stack conditions that overlap, and read a table given instead of the default', () => {
    const reptiles = conditionsFor('0106202000', 'import').flatMap((condition) => condition.requires);
    expect(reptiles).toEqual(expect.arrayContaining(['inbound-clearance-form', 'cites-permit']));
    const table = [{ prefix: '84', direction: 'both', requires: ['automatic-import-licence'], en: 'test' }] as const;
    expect(conditionsFor('8471300000', 'import', table)).toEqual(table);
    expect(conditionsFor('3808911000', 'import', table)).toEqual([]);
  });
});

describe('agriculture (MOA) types and conditions', () => {
  it('asks for the veterinary drug clearance, the aquatic seedling and the crop seed approvals', () => {
    expect(conditionsFor('3002420000', 'import').map((condition) => condition.requires)).toEqual([['veterinary-drug-clearance']]);
    expect(conditionsFor('0301921090', 'import').map((condition) => condition.requires)).toEqual([['aquatic-seedling-import-approval']]);
    expect(conditionsFor('1209100000', 'import').map((condition) => condition.requires)).toEqual([['crop-seed-import-approval']]);
    expect(conditionsFor('0602100000', 'import').map((condition) => condition.requires)).toEqual([['crop-seed-import-approval']]);
    for (const id of ['veterinary-drug-clearance', 'aquatic-seedling-import-approval', 'crop-seed-import-approval']) expect(accountType(id)?.issuers, id).toEqual(['MOA']);
  });

  it('leaves live food fish, human medicines and seeds going out alone', () => {
    expect(conditionsFor('0301929090', 'import')).toEqual([]);
    expect(conditionsFor('3004909099', 'import')).toEqual([]);
    expect(conditionsFor('1209100000', 'export')).toEqual([]);
  });
});
