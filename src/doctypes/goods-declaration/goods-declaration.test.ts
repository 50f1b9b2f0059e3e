/**
 * The goods declaration's ledger claim names the trader whose accounts it may use only when the caller may
 * declare for that trader, with the same standing the `declarant-is-caller` rule checks: otherwise the ledger
 * looks nothing up (docs/ledger.md, "The ledger is no oracle").
 */
import { describe, expect, it } from 'vitest';
import { DocTypeRegistry, type Caller, type References } from '../../modules/doctypes/index.js';
import { goodsDeclaration } from './index.js';

const TRADER = '91310000MA1K4A2B90';
const BROKER = '91310115MA1H7L0Q2K';
// As registered: the kernel adds the rule declarant-is-caller from the definition's parties.
const definition = new DocTypeRegistry([goodsDeclaration({ inspectionPrefixes: [], country: 'CN' })]).get('goods-declaration');
const standingRule = definition.rules.find((rule) => rule.id === 'declarant-is-caller');

function declaration(direction: 'import' | 'export', declarant: string, trader: string | undefined): Record<string, unknown> {
  const domestic = trader === undefined ? { name: 'No id' } : { id: trader, name: 'Trader' };
  const foreign = { name: 'Foreign', country: 'DE' };
  return {
    direction,
    declarant,
    consignee: direction === 'import' ? domestic : foreign,
    consignor: direction === 'import' ? foreign : domestic,
    ...(direction === 'import' ? { portOfEntry: 'CNSHA' } : { portOfExit: 'CNSHA' }),
    lines: [{ hsCode: '8471300000', quantity: '10', unit: 'PCE', documents: [{ type: 'automatic-import-licence', number: 'AIL-1' }] }],
  };
}

const broker = (mandates: NonNullable<Caller['mandates']>): Caller => ({ partyId: BROKER, roles: ['declarant', 'broker'], mandates });

describe('the goods declaration ledger claim', () => {
  const cases: [string, Record<string, unknown>, Caller, string | undefined][] = [
    ['the trader declaring for itself', declaration('import', TRADER, TRADER), { partyId: TRADER, roles: ['declarant'] }, TRADER],
    ['a broker delegated for imports, on an import', declaration('import', BROKER, TRADER), broker([{ principal: TRADER, directions: ['import'] }]), TRADER],
    ['a broker delegated for imports, on an export', declaration('export', BROKER, TRADER), broker([{ principal: TRADER, directions: ['import'] }]), undefined],
    ['a broker delegated by another principal', declaration('import', BROKER, TRADER), broker([{ principal: '914403001922038216', directions: ['import', 'export'] }]), undefined],
    ['a broker without a delegation', declaration('import', BROKER, TRADER), broker([]), undefined],
    ['an enterprise without the broker role', declaration('import', BROKER, TRADER), { partyId: BROKER, roles: ['declarant'], mandates: [{ principal: TRADER, directions: ['import'] }] }, undefined],
    ['a caller that is not the declarant', declaration('import', TRADER, TRADER), broker([{ principal: TRADER, directions: ['import'] }]), undefined],
    ['a declaration naming no trader id', declaration('import', BROKER, undefined), broker([{ principal: TRADER, directions: ['import'] }]), undefined],
    ['a declaration naming no declarant', { ...declaration('import', TRADER, TRADER), declarant: undefined }, { partyId: TRADER, roles: ['declarant'] }, undefined],
  ];

  it.each(cases)('for %s names the trader only when the caller may declare for it', (_name, document, caller, holder) => {
    const claim = definition.ledger?.claim?.(document, caller);
    expect(claim?.holder).toBe(holder);
    expect(claim?.caller).toBe(caller.partyId);
    // Whenever the claim names the trader, the standing rule is satisfied, and the other way round where a trader is named.
    const standing = standingRule?.check(document, caller) ?? ['no rule'];
    if (holder !== undefined) expect(standing).toEqual([]);
    else if (document.declarant !== undefined && (document.consignee as { id?: string }).id !== undefined) expect(standing).not.toEqual([]);
  });
});

describe('the border port', () => {
  const rule = (country: string) => goodsDeclaration({ inspectionPrefixes: [], country }).rules.find((candidate) => candidate.id === 'port-in-country');
  const trader = { partyId: TRADER, roles: ['declarant'] };

  it("lies in the country the definition was made for, for the declaration's direction", () => {
    expect(rule('CN')?.check(declaration('import', TRADER, TRADER), trader)).toEqual([]);
    expect(rule('CN')?.check({ ...declaration('import', TRADER, TRADER), portOfEntry: 'DEHAM' }, trader)).toEqual([
      { path: '$.portOfEntry', code: 'PORT_NOT_IN_COUNTRY', params: { field: 'portOfEntry', direction: 'import', country: 'CN', value: 'DEHAM' } },
    ]);
    expect(rule('CN')?.check({ ...declaration('export', TRADER, TRADER), portOfExit: 'NLRTM' }, trader)).toMatchObject([{ path: '$.portOfExit', code: 'PORT_NOT_IN_COUNTRY' }]);
    // The same declaration on Singapore's single window: Shanghai is the foreign port there.
    expect(rule('SG')?.check(declaration('import', TRADER, TRADER), trader)).toMatchObject([{ path: '$.portOfEntry', params: { country: 'SG', value: 'CNSHA' } }]);
    expect(rule('SG')?.check({ ...declaration('import', TRADER, TRADER), portOfEntry: 'SGSIN' }, trader)).toEqual([]);
    // The port of the other direction is another rule's business (PORT_WRONG_DIRECTION); a malformed one the schema's.
    expect(rule('CN')?.check({ ...declaration('import', TRADER, TRADER), portOfExit: 'DEHAM' }, trader)).toEqual([]);
    expect(rule('CN')?.check({ ...declaration('import', TRADER, TRADER), portOfEntry: 'hamburg' }, trader)).toEqual([]);
  });
});

describe('the advisories', () => {
  const advisory = (id: string) => definition.advisories?.find((candidate) => candidate.id === id);
  const references = (places: Record<string, string>, lines: Record<string, [string, string | null]> = {}): References => ({
    place: (code) => (places[code] === undefined ? undefined : { country: code.slice(0, 2), functions: places[code] ?? '' }),
    tariffLine: (code) => (lines[code] === undefined ? undefined : { code, unit1: lines[code]?.[0] ?? '', unit2: lines[code]?.[1] ?? null }),
  });
  const at = (port: string, mode: string) => ({ ...declaration('import', TRADER, TRADER), portOfEntry: port, transport: { mode } });

  it('compare the UN/LOCODE functions of the border port with the transport mode', () => {
    const check = advisory('port-function-for-mode');
    const refs = references({ CNSHA: '---4----', CNYTN: '1-------', CNERL: '-23----B', CNXYZ: '0-------' });
    expect(check?.advise(at('CNSHA', 'sea'), refs)).toEqual([{ code: 'PORT_FUNCTION_MISMATCH', path: '$.portOfEntry', params: { value: 'CNSHA', mode: 'sea', functions: '---4----' } }]);
    expect(check?.advise(at('CNSHA', 'air'), refs)).toEqual([]);
    expect(check?.advise(at('CNYTN', 'sea'), refs)).toEqual([]);
    expect(check?.advise(at('CNERL', 'rail'), refs)).toEqual([]);
    expect(check?.advise(at('CNERL', 'road'), refs)).toEqual([]);
    expect(check?.advise(at('CNERL', 'post'), refs)).toHaveLength(1);
    // Functions not known (0), or a port the list does not have: nothing to compare.
    expect(check?.advise(at('CNXYZ', 'sea'), refs)).toEqual([]);
    expect(check?.advise(at('CNNGB', 'sea'), refs)).toEqual([]);
  });

  it('hold each line to the statutory units of its tariff line, kilograms being met by the net weight', () => {
    const check = advisory('statutory-units');
    const refs = references({}, { '0601102100': ['007', '035'], '0603110000': ['035', '013'], '0202300090': ['035', null], '9999999999': ['038', null] });
    const line = (hsCode: string, unit: string) => ({ hsCode, unit, quantity: '1' });
    const document = { ...declaration('import', TRADER, TRADER), lines: [line('0601102100', 'KGM'), line('0603110000', 'C62'), line('0202300090', 'KGM'), line('0601102100', 'PCE'), line('9999999999', 'PCE'), line('0808100000', 'KGM')] };
    expect(check?.advise(document, refs)).toEqual([
      { code: 'STATUTORY_UNIT_NOT_DECLARED', path: '$.lines[0].unit', params: { hsCode: '0601102100', unit: '个 (007)', position: 1, declared: 'KGM' } },
      // 万个 has no Recommendation 20 equivalent: only a statutory quantity could give it.
      { code: 'STATUTORY_UNIT_NOT_DECLARED', path: '$.lines[4].unit', params: { hsCode: '9999999999', unit: '万个 (038)', position: 1, declared: 'PCE' } },
    ]);
  });

  it('are published with the definition', () => {
    expect(definition.advisories?.map((rule) => [rule.id, rule.notices])).toEqual([
      ['port-function-for-mode', ['PORT_FUNCTION_MISMATCH']],
      ['statutory-units', ['STATUTORY_UNIT_NOT_DECLARED']],
    ]);
    expect(definition.publish).toMatchObject({ country: 'CN' });
  });
});
