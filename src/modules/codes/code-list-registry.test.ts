import { describe, expect, it } from 'vitest';
import { CodeListRegistry, type CodeListDefinition } from './code-list-registry.js';
import { CODES_MODULE_LISTS } from './code-lists.js';

const exhibitionKinds: CodeListDefinition = {
  id: 'exhibition-kind',
  title: { en: 'Kinds of exhibition goods', zh: '展览品种类' },
  errorCode: 'CODE_NOT_IN_LIST',
  source: { kind: 'built-in', entries: new Map([['1', { en: 'Exhibit', zh: '展品' }]]) },
};

describe('the code-list registry', () => {
  it('registers the lists the codes module ships, each id once, in order', () => {
    const registry = new CodeListRegistry().register(...CODES_MODULE_LISTS);
    const ids = registry.all().map((list) => list.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 10)).toEqual(['country', 'currency', 'unit', 'incoterm', 'transport-mode', 'package-type', 'hs', 'locode', 'tariff', 'customs-offices']);
    expect(ids).toEqual(expect.arrayContaining(['trade-mode', 'levy-nature', 'cn-transport-mode', 'cn-package-type', 'domestic-port']));
    expect(registry.stored('trade-mode')?.source).toMatchObject({ kind: 'store', codePattern: '^\\d{4}$' });
    expect(registry.stored('country')).toBeUndefined();
    expect(registry.get('nowhere')).toBeUndefined();
  });

  it('takes a list registered later by another module, and refuses a second list with the same id', () => {
    const registry = new CodeListRegistry().register(...CODES_MODULE_LISTS).register(exhibitionKinds);
    expect(registry.get('exhibition-kind')).toBe(exhibitionKinds);
    expect(() => registry.register({ ...exhibitionKinds, title: { en: 'Other', zh: '其他' } })).toThrow('code list "exhibition-kind" is registered twice');
    expect(() => new CodeListRegistry().register(...CODES_MODULE_LISTS, CODES_MODULE_LISTS[0] as CodeListDefinition)).toThrow('code list "country" is registered twice');
  });

  it('refuses malformed definitions at start', () => {
    const registry = new CodeListRegistry();
    expect(() => registry.register({ ...exhibitionKinds, id: 'Exhibition Kind' })).toThrow('the id must match');
    expect(() => registry.register({ ...exhibitionKinds, title: { en: 'Kinds', zh: ' ' } })).toThrow('the title needs English and Chinese');
    expect(() => registry.register({ ...exhibitionKinds, source: { kind: 'built-in', entries: new Map() } })).toThrow('a built-in list needs entries');
    expect(() => registry.register({ ...exhibitionKinds, source: { kind: 'store', codePattern: '^[0-9' } })).toThrow('is not a regular expression');
    // Special lists are checked by code of the codes module; another module cannot add one.
    expect(() => registry.register({ ...exhibitionKinds, source: { kind: 'special' } })).toThrow('a special list is one of hs, locode, tariff, customs-offices');
    expect(registry.all()).toEqual([]);
  });

  it('ships UN/ECE Rec 19 whole and the common codes of Rec 21, each with English and Chinese names', () => {
    const registry = new CodeListRegistry().register(...CODES_MODULE_LISTS);
    const modes = registry.get('transport-mode')?.source;
    const packages = registry.get('package-type')?.source;
    if (modes?.kind !== 'built-in' || packages?.kind !== 'built-in') throw new Error('Rec 19 and Rec 21 are built in');
    expect([...modes.entries.keys()]).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(modes.entries.get('1')).toEqual({ en: 'Maritime transport', zh: '海运' });
    expect(packages.entries.get('CT')).toEqual({ en: 'Carton', zh: '纸箱' });
    expect(packages.entries.get('PX')?.en).toBe('Pallet');
    for (const [code, names] of [...modes.entries, ...packages.entries]) {
      expect(code).toMatch(/^[0-9A-Z]{1,2}$/);
      expect(names.en.trim()).not.toBe('');
      expect(names.zh.trim()).not.toBe('');
    }
  });
});
