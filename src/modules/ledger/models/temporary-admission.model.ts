/**
 * Temporary admission (暂时进境货物, ATA carnet): goods enter without duty for a while, item by item, and each
 * item must leave the account by its deadline: re-exported, converted to a definitive import (duty paid),
 * abandoned to customs or destroyed under supervision. A line is an item (key = its item number, as in the
 * carnet's general list), with a quantity; the claim line says which item and how it is written off, and the
 * entry records it. The deadline is entry + 6 months (validTo, at most that), which customs may extend by 6
 * months at most 3 times (Customs Measures on Temporary Admission and Temporary Export, arts. 9-10).
 */
import { fromScaled, toScaled } from '../../../shared/decimal.js';
import type { Direction } from '../account-types.js';
import type { WriteOffKind } from '../ledger.schema.js';
import { checkGoverned, checkQuantity, creditByHsCode, noDebits, refuseExtras, refuseFields, SCALE } from './goods-lines.js';
import type { Deadline, LedgerModel } from './ledger-model.js';

export const TEMPORARY_ADMISSION_DEADLINE: Deadline = { months: 6, extensionMonths: 6, maxExtensions: 3, extendedBy: 'CUS' };

/** The direction of the declaration each write-off comes with; abandonment and destruction come with either or none. */
const WRITE_OFF_DIRECTION: Readonly<Record<WriteOffKind, Direction | undefined>> = {
  're-export': 'export',
  conversion: 'import',
  abandonment: undefined,
  destruction: undefined,
};

/** A date-only string `months` later; the 31st becomes the last day of a shorter month. */
export function addMonths(date: string, months: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString().slice(0, 10);
}

export const temporaryAdmissionModel: LedgerModel = {
  id: 'temporary-admission',
  deadline: TEMPORARY_ADMISSION_DEADLINE,
  checkIssue(context) {
    const { request, type, errors } = context;
    refuseFields(context, ['grossMass']);
    refuseExtras(context, ['products']);
    const latest = addMonths(request.validFrom, TEMPORARY_ADMISSION_DEADLINE.months);
    if (/^\d{4}-\d{2}-\d{2}$/.test(request.validFrom) && request.validTo > latest) {
      errors.push({ path: '$.validTo', code: 'LEDGER_DEADLINE_TOO_LATE', params: { type: type.id, months: TEMPORARY_ADMISSION_DEADLINE.months, latest } });
    }
    const seen = new Set<string>();
    const lines = request.lines.map((line, index) => {
      if (line.key === undefined) errors.push({ path: `$.lines[${index}].key`, code: 'FIELD_REQUIRED' });
      else if (seen.has(line.key)) errors.push({ path: `$.lines[${index}].key`, code: 'LEDGER_LINE_KEY_DUPLICATE', params: { key: line.key } });
      else seen.add(line.key);
      if (line.hsCode !== undefined) checkGoverned(context, line.hsCode, index);
      return {
        lineNo: index + 1,
        key: line.key ?? '',
        ...(line.hsCode === undefined ? {} : { hsCode: line.hsCode }),
        ...(line.description === undefined ? {} : { description: line.description }),
        quantity: checkQuantity(line.quantity, `$.lines[${index}].quantity`, errors),
        unit: line.unit,
      };
    });
    return { lines, extras: { ...(request.carnet === undefined ? {} : { carnet: request.carnet }), ...(request.vouchers === undefined ? {} : { vouchers: [...request.vouchers] }) } };
  },
  lines: (signed) => signed.lines.map((line) => ({ lineNo: line.lineNo, key: line.key ?? '', hsCode: line.hsCode ?? null, unit: line.unit, granted: toScaled(line.quantity, SCALE) })),
  // The account is an import; the write-off kind says which declarations may write it off (see `take`).
  acceptsDirection: () => true,
  take({ account, lines, line, reference, direction }) {
    // The entry itself (an import under an exhibition or temporary trade mode): verified, nothing written off.
    if (reference.entry === true) {
      if (direction !== 'import') return { problem: { code: 'LEDGER_WRITE_OFF_INVALID', params: { number: account.number, writeOff: 'entry', direction } } };
      if (reference.key !== undefined && !lines.some((candidate) => candidate.key === reference.key)) return { problem: { code: 'LEDGER_NO_MATCHING_KEY', params: { number: account.number, key: reference.key } } };
      return { takings: [] };
    }
    const writeOff: WriteOffKind = reference.writeOff ?? (direction === 'export' ? 're-export' : 'conversion');
    const required = WRITE_OFF_DIRECTION[writeOff];
    if (required !== undefined && required !== direction) return { problem: { code: 'LEDGER_WRITE_OFF_INVALID', params: { number: account.number, writeOff, direction } } };
    if (reference.key === undefined) {
      const found = creditByHsCode(lines, account.number, line.hsCode, line.unit, line.quantity);
      return 'problem' in found ? found : { takings: found.takings.map((taking) => ({ ...taking, writeOff })) };
    }
    const item = lines.find((candidate) => candidate.key === reference.key);
    if (item === undefined) return { problem: { code: 'LEDGER_NO_MATCHING_KEY', params: { number: account.number, key: reference.key } } };
    if (item.unit !== line.unit) return { problem: { code: 'LEDGER_UNIT_MISMATCH', params: { number: account.number, expected: item.unit, actual: line.unit } } };
    return { takings: [{ lineNo: item.line_no, side: 'credit', quantity: toScaled(line.quantity, SCALE), writeOff }] };
  },
  lineView(line, signed) {
    const description = signed.lines.find((candidate) => candidate.lineNo === line.line_no)?.description;
    return { key: line.key, ...(description === undefined ? {} : { description }), outstanding: fromScaled(BigInt(line.granted) - BigInt(line.posted), SCALE) };
  },
  auditLine: noDebits,
};
