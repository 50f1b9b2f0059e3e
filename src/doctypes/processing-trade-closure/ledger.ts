/**
 * What a processing-trade closure asks of the ledger: that its report reconciles with the manual (checked at
 * submission, by the manual's model), which the approval closes (reaction `ledger.close`).
 */
import type { Caller, LedgerClosure, LedgerUse, LooseDocument } from '../../modules/doctypes/doctype.js';
import { arr, decimal, obj, str } from '../../modules/doctypes/loose.js';
import { hasStanding } from '../../modules/doctypes/parties.js';
import { parties } from './parties.js';

const REMAINING = ['domesticSales', 'leftover', 'scrap', 'destroyed'] as const;

/** The closure's report as the ledger reads it; the holder only when the caller may file for the enterprise. */
export function closureOf(document: LooseDocument, caller: Caller): LedgerClosure | undefined {
  const number = str(document.manual);
  if (number === undefined) return undefined;
  const holder = str(obj(document.enterprise)?.id);
  return {
    path: '$.manual',
    type: 'processing-trade-manual',
    number,
    holder: hasStanding({ id: 'processing-trade-closure', parties }, document, caller) ? holder : undefined,
    caller: caller.partyId,
    linesPath: '$.materials',
    lines: arr(document.materials).flatMap((value, index) => {
      const material = obj(value);
      const lineNo = material?.line;
      const credited = decimal(material?.imported);
      const debited = decimal(material?.consumed);
      const remaining = REMAINING.map((kind) => ({ kind, quantity: decimal(material?.[kind]) }));
      if (typeof lineNo !== 'number' || credited === undefined || debited === undefined || remaining.some((part) => part.quantity === undefined)) return [];
      const path = `$.materials[${index}]`;
      return [{
        path,
        lineNo,
        credited,
        debited,
        remaining: remaining.map((part) => ({ kind: part.kind, quantity: part.quantity ?? '0' })),
        at: { lineNo: `${path}.line`, credited: `${path}.imported`, debited: `${path}.consumed`, remaining: path },
      }];
    }),
  };
}

export const ledger: LedgerUse = { closes: closureOf };
