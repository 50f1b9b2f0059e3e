/**
 * The quantity model: an account grants quantities of goods by HS code (licences, permits, certificates); a
 * declaration of those goods holds part of a line, found by the most specific HS prefix in its unit, within the
 * granted quantity plus the type's tolerance. The account serves one direction.
 */
import { checkGoodsLines, creditByHsCode, goodsLines, noDebits, refuseExtras } from './goods-lines.js';
import type { LedgerModel } from './ledger-model.js';

export const quantityModel: LedgerModel = {
  id: 'quantity',
  checkIssue(context) {
    const lines = checkGoodsLines(context);
    refuseExtras(context, ['products', 'carnet', 'vouchers']);
    return { lines, extras: {} };
  },
  lines: goodsLines,
  acceptsDirection: (account, claim) => account === claim,
  take({ account, lines, line }) {
    return creditByHsCode(lines, account.number, line.hsCode, line.unit, line.quantity);
  },
  lineView: () => ({}),
  auditLine: noDebits,
};
