import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../shared/errors.js';
import { accountType } from '../account-types.js';
import type { AccountRow, LineRow } from '../ledger.repository.js';
import type { IssueAccountRequest, SignedAccount } from '../ledger.schema.js';
import { LEDGER_MODELS, addMonths, ledgerModel } from './index.js';
import type { TakeContext } from './ledger-model.js';

const M = 1_000_000;
const signed = (overrides: Partial<SignedAccount>): SignedAccount => ({
  number: 'X-1', type: 'temporary-admission', issuer: 'CUS', holder: 'H', direction: 'import', validFrom: '2026-01-31', validTo: '2026-07-31',
  ports: [], maxUses: null, tolerancePct: '0', attributes: {}, lines: [], issuedAt: '2026-01-31T00:00:00.000Z', ...overrides,
});
const row = (lineNo: number, key: string, unit: string, granted: number, hsCode: string | null = null): LineRow => ({
  account_number: 'X-1', line_no: lineNo, key, hs_code: hsCode, unit, granted: granted * M, ceiling: granted * M, reserved: 0, posted: 0, debit_reserved: 0, debit_posted: 0,
});
const context = (lines: LineRow[], claim: Partial<TakeContext>): TakeContext => ({
  account: { number: 'X-1' } as AccountRow,
  signed: signed({}),
  lines,
  line: { path: '$.lines[0]', quantity: '1', unit: 'PCE', documents: [] },
  reference: { type: 't', number: 'X-1' },
  direction: 'import',
  ...claim,
});

describe('addMonths', () => {
  it('keeps the day, or takes the last day of a shorter month', () => {
    expect(addMonths('2026-01-15', 6)).toBe('2026-07-15');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-07-31', -7)).toBe('2025-12-31');
  });
});

describe('the models', () => {
  it('has one model for each id, and a model for every account type', () => {
    for (const [id, model] of Object.entries(LEDGER_MODELS)) expect(model.id).toBe(id);
    expect(accountType('temporary-admission')?.model).toBe('temporary-admission');
    expect(ledgerModel('quantity').acceptsDirection('import', 'export')).toBe(false);
    expect(ledgerModel('processing-manual').acceptsDirection('import', 'export')).toBe(true);
  });

  it('writes a temporary admission off by re-export on an export and by conversion on an import, unless told', () => {
    const model = ledgerModel('temporary-admission');
    const items = [row(1, 'A1', 'PCE', 5)];
    const reference = { type: 'temporary-admission', number: 'X-1', key: 'A1' };
    expect(model.take(context(items, { reference, direction: 'export' }))).toEqual({ takings: [{ lineNo: 1, side: 'credit', quantity: BigInt(M), writeOff: 're-export' }] });
    expect(model.take(context(items, { reference, direction: 'import' }))).toEqual({ takings: [{ lineNo: 1, side: 'credit', quantity: BigInt(M), writeOff: 'conversion' }] });
    expect(model.take(context(items, { reference: { ...reference, writeOff: 'destruction' }, direction: 'import' }))).toMatchObject({ takings: [{ writeOff: 'destruction' }] });
    expect(model.take(context(items, { reference: { ...reference, writeOff: 'conversion' }, direction: 'export' }))).toMatchObject({ problem: { code: 'LEDGER_WRITE_OFF_INVALID' } });
  });

  it('refuses a temporary admission whose deadline is later than six months after entry', () => {
    const errors: FieldError[] = [];
    const request: IssueAccountRequest = { type: 'temporary-admission', holder: 'H', direction: 'import', validFrom: '2026-08-31', validTo: '2027-03-01', lines: [{ key: '1', quantity: 1, unit: 'PCE' }] };
    const type = accountType('temporary-admission');
    if (type === undefined) throw new Error('no temporary-admission type');
    ledgerModel('temporary-admission').checkIssue({ request, type, errors });
    expect(errors).toEqual([{ path: '$.validTo', code: 'LEDGER_DEADLINE_TOO_LATE', params: { type: 'temporary-admission', months: 6, latest: '2027-02-28' } }]);
    const fine: FieldError[] = [];
    ledgerModel('temporary-admission').checkIssue({ request: { ...request, validTo: '2027-02-28' }, type, errors: fine });
    expect(fine).toEqual([]);
  });

  it('stores a bill line as its packages and its gross mass under one key', () => {
    const bill = signed({ type: 'transport-document', lines: [{ lineNo: 1, key: 'B/1', quantity: '4', unit: 'CT', grossMass: '80.5' }] });
    expect(ledgerModel('transport-document').lines(bill)).toEqual([
      { lineNo: 1, key: 'B/1', hsCode: null, unit: 'CT', granted: 4n * BigInt(M) },
      { lineNo: 2, key: 'B/1', hsCode: null, unit: 'KGM', granted: 80_500_000n },
    ]);
  });

  it('takes money whole or not at all', () => {
    const model = ledgerModel('money');
    const amount = [row(1, 'CNY', 'CNY', 100)];
    expect(model.take(context(amount, { line: { path: '$', quantity: '100', unit: 'CNY', documents: [] } }))).toEqual({ takings: [{ lineNo: 1, side: 'credit', quantity: 100n * BigInt(M) }] });
    expect(model.take(context(amount, { line: { path: '$', quantity: '99.99', unit: 'CNY', documents: [] } }))).toMatchObject({ problem: { code: 'LEDGER_NOT_IN_FULL', params: { amount: '100', requested: '99.99' } } });
  });

  it('finds goods by the most specific HS prefix in their unit, and audits debits only where a model takes them', () => {
    const lines = [row(1, '84', 'PCE', 10, '84'), row(2, '8471', 'PCE', 10, '8471'), row(3, '8471', 'KGM', 10, '8471')];
    expect(ledgerModel('quantity').take(context(lines, { line: { path: '$', hsCode: '8471300000', quantity: '2', unit: 'PCE', documents: [] } }))).toMatchObject({ takings: [{ lineNo: 2 }] });
    expect(ledgerModel('quantity').take(context(lines, { line: { path: '$', hsCode: '9001', quantity: '2', unit: 'PCE', documents: [] } }))).toMatchObject({ problem: { code: 'LEDGER_NO_MATCHING_LINE' } });
    const debited = { ...row(1, '84', 'PCE', 10, '84'), posted: 5 * M, debit_posted: 2 * M };
    expect(ledgerModel('quantity').auditLine(debited)).toHaveLength(1);
    expect(ledgerModel('processing-manual').auditLine(debited)).toEqual([]);
    expect(ledgerModel('processing-manual').auditLine({ ...debited, debit_posted: 6 * M })).toEqual(['X-1 line 1: exports consumed more than imports posted']);
  });
});
