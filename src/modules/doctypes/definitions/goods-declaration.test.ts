/**
 * The goods declaration's ledger claim names the trader whose accounts it may use only when the caller may
 * declare for that trader, with the same standing the `declarant-is-caller` rule checks: otherwise the ledger
 * looks nothing up (docs/ledger.md, "The ledger is no oracle").
 */
import { describe, expect, it } from 'vitest';
import type { Caller } from '../doctype.js';
import { goodsDeclaration } from './goods-declaration.js';

const TRADER = '91310000MA1K4A2B90';
const BROKER = '91310115MA1H7L0Q2K';
const definition = goodsDeclaration({ inspectionPrefixes: [], country: 'CN' });
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
    const claim = definition.ledger?.claim(document, caller);
    expect(claim?.holder).toBe(holder);
    expect(claim?.caller).toBe(caller.partyId);
    // Whenever the claim names the trader, the standing rule is satisfied, and the other way round where a trader is named.
    const standing = standingRule?.check(document, caller) ?? ['no rule'];
    if (holder !== undefined) expect(standing).toEqual([]);
    else if (document.declarant !== undefined && (document.consignee as { id?: string }).id !== undefined) expect(standing).not.toEqual([]);
  });
});
