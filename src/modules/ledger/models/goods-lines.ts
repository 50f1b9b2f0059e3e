/**
 * What the models share: quantities in millionths, and lines of goods found by HS prefix (the quantity model,
 * the processing-trade manual's materials, a temporary admission's items when they give an HS code).
 */
import { parseDecimal, toScaled } from '../../../shared/decimal.js';
import type { FieldError } from '../../../shared/errors.js';
import type { LineRow } from '../ledger.repository.js';
import type { SignedAccount, SignedLine } from '../ledger.schema.js';
import type { IssueContext, LineDraft, Taking } from './ledger-model.js';

/** Quantities are kept in millionths of the unit. */
export const SCALE = 6;
const MAX_UNITS = BigInt(Number.MAX_SAFE_INTEGER);

/** A positive quantity of at most 10 integer digits and 6 decimals that fits the store; '0' after a problem. */
export function checkQuantity(value: unknown, path: string, errors: FieldError[]): string {
  const parsed = parseDecimal(value, { integer: 10, scale: SCALE });
  if (!parsed.ok) errors.push({ path, code: parsed.code, params: { integer: 10, scale: SCALE } });
  else if (/^(-|0$)/.test(parsed.value)) errors.push({ path, code: 'DECIMAL_NOT_POSITIVE' });
  else if (toScaled(parsed.value, SCALE) > MAX_UNITS) errors.push({ path, code: 'DECIMAL_PRECISION', params: { integer: 9, scale: SCALE } });
  return parsed.ok ? parsed.value : '0';
}

/** The request's lines must not carry what a model does not read. */
export function refuseFields(context: IssueContext, fields: readonly ('hsCode' | 'key' | 'description' | 'grossMass')[]): void {
  context.request.lines.forEach((line, index) => {
    for (const field of fields) {
      if (line[field] !== undefined) context.errors.push({ path: `$.lines[${index}].${field}`, code: 'LEDGER_FIELD_NOT_ALLOWED', params: { type: context.type.id, field } });
    }
  });
}

/** An HS code the type governs, on a line at `index`. */
export function checkGoverned(context: IssueContext, hsCode: string, index: number): void {
  const { type } = context;
  if (type.governs.length > 0 && !type.governs.some((prefix) => hsCode.startsWith(prefix))) {
    context.errors.push({ path: `$.lines[${index}].hsCode`, code: 'LEDGER_GOODS_NOT_GOVERNED', params: { type: type.id, hsCode, governs: type.governs.join(', ') } });
  }
}

/** Lines of goods by HS code, signed as `{lineNo, hsCode, quantity, unit}`: the shape every account had before models. */
export function checkGoodsLines(context: IssueContext): SignedLine[] {
  refuseFields(context, ['key', 'description', 'grossMass']);
  return context.request.lines.map((line, index) => {
    if (line.hsCode === undefined) context.errors.push({ path: `$.lines[${index}].hsCode`, code: 'FIELD_REQUIRED' });
    else checkGoverned(context, line.hsCode, index);
    return { lineNo: index + 1, hsCode: line.hsCode ?? '', quantity: checkQuantity(line.quantity, `$.lines[${index}].quantity`, context.errors), unit: line.unit };
  });
}

/** One stored line per signed line, keyed by its HS code. */
export function goodsLines(signed: SignedAccount): LineDraft[] {
  return signed.lines.map((line) => ({ lineNo: line.lineNo, key: line.hsCode ?? '', hsCode: line.hsCode ?? null, unit: line.unit, granted: toScaled(line.quantity, SCALE) }));
}

/** The account line for a goods line: the most specific HS prefix in the same unit. */
export function matchingLine(lines: readonly LineRow[], hsCode: string, unit: string): LineRow | undefined {
  return lines.filter((line) => line.hs_code !== null && hsCode.startsWith(line.hs_code) && line.unit === unit).sort((a, b) => (b.hs_code ?? '').length - (a.hs_code ?? '').length)[0];
}

/**
 * What a goods line takes from the account line granting its goods, or why it cannot: no line for its HS code,
 * or none in its unit.
 */
export function creditByHsCode(lines: readonly LineRow[], number: string, hsCode: string | undefined, unit: string, quantity: string): { takings: Taking[] } | { problem: Omit<FieldError, 'path'> } {
  const forGoods = hsCode === undefined ? [] : lines.filter((candidate) => candidate.hs_code !== null && hsCode.startsWith(candidate.hs_code));
  if (hsCode === undefined || forGoods.length === 0) return { problem: { code: 'LEDGER_NO_MATCHING_LINE', params: { number, hsCode: hsCode ?? '-' } } };
  const line = matchingLine(forGoods, hsCode, unit);
  if (line === undefined) return { problem: { code: 'LEDGER_UNIT_MISMATCH', params: { number, expected: forGoods[0]?.unit ?? '', actual: unit } } };
  return { takings: [{ lineNo: line.line_no, side: 'credit', quantity: toScaled(quantity, SCALE) }] };
}

/** A line only credits are taken from has no debits. */
export function noDebits(line: LineRow): string[] {
  return BigInt(line.debit_reserved) !== 0n || BigInt(line.debit_posted) !== 0n ? [`${line.account_number} line ${line.line_no}: holds debits, which its model never takes`] : [];
}

/** Extras of the issue request that only one model reads (a manual's products, a temporary admission's carnet and vouchers). */
export function refuseExtras(context: IssueContext, extras: readonly ('products' | 'carnet' | 'vouchers')[]): void {
  for (const extra of extras) {
    if (context.request[extra] === undefined) continue;
    // Products keep the code they always had.
    if (extra === 'products') context.errors.push({ path: '$.products', code: 'LEDGER_PRODUCT_INVALID', params: { problem: `a ${context.type.id} has no products` } });
    else context.errors.push({ path: `$.${extra}`, code: 'LEDGER_FIELD_NOT_ALLOWED', params: { type: context.type.id, field: extra } });
  }
}
