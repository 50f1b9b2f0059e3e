/**
 * Money claimed once: a tax payment letter (海关专用缴款书) settled against a declaration, an export rebate
 * entitlement drawn by one filing. The account has one line, an amount in a currency (key = the currency), and
 * a claim takes it whole or not at all; the type is single-use, so nothing can claim it again.
 */
import { fromScaled, parseDecimal, toScaled } from '../../../shared/decimal.js';
import { checkQuantity, noDebits, refuseExtras, refuseFields, SCALE } from './goods-lines.js';
import type { LedgerModel } from './ledger-model.js';

/** Money is kept to the fen (cent). */
const MONEY_SCALE = 2;

export const moneyModel: LedgerModel = {
  id: 'money',
  checkIssue(context) {
    const { request, type, errors } = context;
    refuseFields(context, ['hsCode', 'key', 'description', 'grossMass']);
    refuseExtras(context, ['products', 'carnet', 'vouchers']);
    if (request.lines.length !== 1) errors.push({ path: '$.lines', code: 'LEDGER_ONE_AMOUNT', params: { type: type.id } });
    const lines = request.lines.map((line, index) => {
      if (!/^[A-Z]{3}$/.test(line.unit)) errors.push({ path: `$.lines[${index}].unit`, code: 'LEDGER_CURRENCY_INVALID', params: { value: line.unit } });
      const amount = checkQuantity(line.quantity, `$.lines[${index}].quantity`, errors);
      if (!parseDecimal(amount, { integer: 10, scale: MONEY_SCALE }).ok) errors.push({ path: `$.lines[${index}].quantity`, code: 'DECIMAL_PRECISION', params: { integer: 10, scale: MONEY_SCALE } });
      return { lineNo: index + 1, key: line.unit, quantity: amount, unit: line.unit };
    });
    return { lines, extras: {} };
  },
  lines: (signed) => signed.lines.map((line) => ({ lineNo: line.lineNo, key: line.key ?? line.unit, hsCode: null, unit: line.unit, granted: toScaled(line.quantity, SCALE) })),
  acceptsDirection: (account, claim) => account === claim,
  take({ account, lines, line, reference }) {
    const amount = lines[0];
    if (amount === undefined) return { problem: { code: 'LEDGER_NO_MATCHING_KEY', params: { number: account.number, key: reference.key ?? line.unit } } };
    if (reference.key !== undefined && reference.key !== amount.key) return { problem: { code: 'LEDGER_NO_MATCHING_KEY', params: { number: account.number, key: reference.key } } };
    if (line.unit !== amount.unit) return { problem: { code: 'LEDGER_UNIT_MISMATCH', params: { number: account.number, expected: amount.unit, actual: line.unit } } };
    const requested = toScaled(line.quantity, SCALE);
    if (requested !== BigInt(amount.granted)) {
      return { problem: { code: 'LEDGER_NOT_IN_FULL', params: { number: account.number, amount: fromScaled(BigInt(amount.granted), SCALE), unit: amount.unit, requested: line.quantity } } };
    }
    return { takings: [{ lineNo: amount.line_no, side: 'credit', quantity: requested }] };
  },
  lineView: (line) => ({ key: line.key }),
  auditLine: noDebits,
};

