/**
 * Transport document lines (提运单): a bill of lading (or waybill) recorded by the carrier that issued it. Each
 * bill line is a number of packages of one kind and a gross mass; the ledger keeps both, as two stored lines
 * with the same key (the bill number and the line: `MSKU1234567/1`), one in the package code, one in KGM. A
 * claim line names the bill line by key and takes its packages (quantity, unit) and its gross mass (a measure
 * in KGM): a manifest or declaration cannot move more than the bill carries.
 */
import { fromScaled, toScaled } from '../../../shared/decimal.js';
import { checkQuantity, noDebits, refuseExtras, refuseFields, SCALE } from './goods-lines.js';
import type { LedgerModel, Taking } from './ledger-model.js';

const MASS_UNIT = 'KGM';

export const transportDocumentModel: LedgerModel = {
  id: 'transport-document',
  checkIssue(context) {
    const { request, type, errors } = context;
    refuseFields(context, ['hsCode', 'key']);
    refuseExtras(context, ['products', 'carnet', 'vouchers']);
    // The account is the bill: its number is the bill's, as the carrier issued it.
    if (request.number === undefined) errors.push({ path: '$.number', code: 'LEDGER_NUMBER_REQUIRED', params: { type: type.id } });
    const bill = request.number ?? '';
    const lines = request.lines.map((line, index) => {
      if (line.unit === MASS_UNIT) errors.push({ path: `$.lines[${index}].unit`, code: 'LEDGER_PACKAGE_UNIT_INVALID', params: { unit: line.unit } });
      if (line.grossMass === undefined) errors.push({ path: `$.lines[${index}].grossMass`, code: 'FIELD_REQUIRED' });
      return {
        lineNo: index + 1,
        key: `${bill}/${index + 1}`,
        ...(line.description === undefined ? {} : { description: line.description }),
        quantity: checkQuantity(line.quantity, `$.lines[${index}].quantity`, errors),
        unit: line.unit,
        grossMass: line.grossMass === undefined ? '0' : checkQuantity(line.grossMass, `$.lines[${index}].grossMass`, errors),
      };
    });
    return { lines, extras: {} };
  },
  lines: (signed) =>
    signed.lines.flatMap((line) => [
      { lineNo: line.lineNo * 2 - 1, key: line.key ?? '', hsCode: null, unit: line.unit, granted: toScaled(line.quantity, SCALE) },
      { lineNo: line.lineNo * 2, key: line.key ?? '', hsCode: null, unit: MASS_UNIT, granted: toScaled(line.grossMass ?? '0', SCALE) },
    ]),
  acceptsDirection: (account, claim) => account === claim,
  take({ account, lines, line, reference }) {
    const keys = [...new Set(lines.map((candidate) => candidate.key))];
    const key = reference.key ?? (keys.length === 1 ? keys[0] : undefined);
    if (key === undefined) return { problem: { code: 'LEDGER_LINE_KEY_REQUIRED', params: { number: account.number } } };
    const billLine = lines.filter((candidate) => candidate.key === key);
    if (billLine.length === 0) return { problem: { code: 'LEDGER_NO_MATCHING_KEY', params: { number: account.number, key } } };
    const takings: Taking[] = [];
    for (const measure of [{ quantity: line.quantity, unit: line.unit }, ...(line.measures ?? [])]) {
      const stored = billLine.find((candidate) => candidate.unit === measure.unit);
      if (stored === undefined) return { problem: { code: 'LEDGER_UNIT_MISMATCH', params: { number: account.number, expected: billLine.map((candidate) => candidate.unit).join(', '), actual: measure.unit } } };
      takings.push({ lineNo: stored.line_no, side: 'credit', quantity: toScaled(measure.quantity, SCALE) });
    }
    return { takings };
  },
  lineView(line, signed) {
    const description = signed.lines.find((candidate) => candidate.key === line.key)?.description;
    return { key: line.key, ...(description === undefined ? {} : { description }), outstanding: fromScaled(BigInt(line.granted) - BigInt(line.posted), SCALE) };
  },
  auditLine: noDebits,
};
