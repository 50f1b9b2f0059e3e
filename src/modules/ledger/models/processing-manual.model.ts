/**
 * The processing-trade manual (加工贸易手册): its lines are materials. An import credits a material line, as a
 * quantity line is credited; an export of a finished product debits every material the product consumes
 * (quantity × consumption ratio, rounded up), within what imports posted. One manual serves both directions.
 */
import { parseDecimal, fromScaled, toScaled } from '../../../shared/decimal.js';
import type { FieldError } from '../../../shared/errors.js';
import type { SignedAccount } from '../ledger.schema.js';
import { checkGoodsLines, creditByHsCode, goodsLines, refuseExtras, SCALE } from './goods-lines.js';
import type { IssueContext, LedgerModel } from './ledger-model.js';

/** The manual's finished products, checked against its material lines. */
function checkProducts({ request, errors }: IssueContext): NonNullable<SignedAccount['products']> {
  return (request.products ?? []).map((product, index) => ({
    hsCode: product.hsCode,
    unit: product.unit,
    consumption: product.consumption.map((entry, position) => {
      const path = `$.products[${index}].consumption[${position}]`;
      if (entry.line > request.lines.length) errors.push({ path: `${path}.line`, code: 'LEDGER_PRODUCT_INVALID', params: { problem: `there is no material line ${entry.line}` } });
      const ratio = parseDecimal(entry.ratio, { integer: 9, scale: SCALE });
      if (!ratio.ok) errors.push({ path: `${path}.ratio`, code: ratio.code, params: { integer: 9, scale: SCALE } });
      else if (/^(-|0$)/.test(ratio.value)) errors.push({ path: `${path}.ratio`, code: 'DECIMAL_NOT_POSITIVE' });
      return { line: entry.line, ratio: ratio.ok ? ratio.value : '0' };
    }),
  }));
}

export const processingManualModel: LedgerModel = {
  id: 'processing-manual',
  checkIssue(context) {
    const lines = checkGoodsLines(context);
    refuseExtras(context, ['carnet', 'vouchers']);
    return { lines, extras: { products: checkProducts(context) } };
  },
  lines: goodsLines,
  acceptsDirection: () => true,
  take({ account, signed, lines, line, direction }) {
    if (direction === 'import') return creditByHsCode(lines, account.number, line.hsCode, line.unit, line.quantity);
    const hsCode = line.hsCode ?? '';
    const product = (signed.products ?? [])
      .filter((candidate) => hsCode.startsWith(candidate.hsCode) && candidate.unit === line.unit)
      .sort((a, b) => b.hsCode.length - a.hsCode.length)[0];
    if (line.hsCode === undefined || product === undefined) return { problem: { code: 'LEDGER_NO_MATCHING_PRODUCT', params: { number: account.number, hsCode: line.hsCode ?? '-', unit: line.unit } } };
    const quantity = toScaled(line.quantity, SCALE);
    const unit = 10n ** BigInt(SCALE);
    return { takings: product.consumption.map((entry) => ({ lineNo: entry.line, side: 'debit' as const, quantity: (quantity * toScaled(entry.ratio, SCALE) + unit - 1n) / unit })) };
  },
  lineView: (line) => ({
    debitReserved: fromScaled(BigInt(line.debit_reserved), SCALE),
    debitPosted: fromScaled(BigInt(line.debit_posted), SCALE),
    stock: fromScaled(BigInt(line.posted) - BigInt(line.debit_reserved) - BigInt(line.debit_posted), SCALE),
  }),
  reconcile: reconcileManual,
  auditLine: (line) =>
    line.debit_reserved < 0 || line.debit_posted < 0 || BigInt(line.debit_reserved) + BigInt(line.debit_posted) > BigInt(line.posted)
      ? [`${line.account_number} line ${line.line_no}: exports consumed more than imports posted`]
      : [],
};

/**
 * The closure of a manual (核销): nothing in progress on it, every material line reported, what it reports
 * imported and consumed is what the ledger posted, and the stock left (imported − consumed) is exactly what
 * domestic sales, leftover, scrap and destruction account for.
 */
function reconcileManual({ account, lines, closure }: Parameters<NonNullable<LedgerModel['reconcile']>>[0]): FieldError[] {
  const errors: FieldError[] = [];
  const number = account.number;
  for (const line of lines) {
    const held = BigInt(line.reserved) + BigInt(line.debit_reserved);
    if (held > 0n) errors.push({ path: closure.path, code: 'LEDGER_CLOSURE_PENDING', params: { number, lineNo: line.line_no, reserved: fromScaled(held, SCALE), unit: line.unit } });
  }
  const reported = new Set(closure.lines.map((line) => line.lineNo));
  for (const line of lines) if (!reported.has(line.line_no)) errors.push({ path: closure.linesPath, code: 'LEDGER_CLOSURE_LINE_MISSING', params: { number, lineNo: line.line_no } });
  for (const report of closure.lines) {
    const line = lines.find((candidate) => candidate.line_no === report.lineNo);
    if (line === undefined) {
      errors.push({ path: report.at.lineNo, code: 'LEDGER_CLOSURE_LINE_UNKNOWN', params: { number, lineNo: report.lineNo } });
      continue;
    }
    const posted = BigInt(line.posted);
    const consumed = BigInt(line.debit_posted);
    const mismatch = (path: string, expected: bigint, value: string) => {
      if (toScaled(value, SCALE) !== expected) errors.push({ path, code: 'LEDGER_CLOSURE_MISMATCH', params: { lineNo: report.lineNo, expected: fromScaled(expected, SCALE), unit: line.unit, reported: value } });
    };
    mismatch(report.at.credited, posted, report.credited);
    mismatch(report.at.debited, consumed, report.debited);
    const accounted = report.remaining.reduce((sum, part) => sum + toScaled(part.quantity, SCALE), 0n);
    if (accounted !== posted - consumed) {
      errors.push({ path: report.at.remaining, code: 'LEDGER_CLOSURE_UNBALANCED', params: { lineNo: report.lineNo, stock: fromScaled(posted - consumed, SCALE), unit: line.unit, accounted: fromScaled(accounted, SCALE) } });
    }
  }
  return errors;
}
