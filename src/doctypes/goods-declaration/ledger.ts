/** What a goods declaration asks of the ledger. */
import type { Caller, LedgerClaim, LooseDocument } from '../../modules/doctypes/doctype.js';
import { arr, decimal, obj, str } from '../../modules/doctypes/loose.js';
import { hasStanding } from '../../modules/doctypes/parties.js';
import { WRITE_OFF_KINDS } from '../../modules/ledger/ledger.schema.js';
import { parties } from './parties.js';

/**
 * The ledger's view of a declaration: every well-formed goods line with the documents it cites, for the
 * domestic trader only when the caller is the declarant and may declare for that trader (itself, or a broker
 * with its delegation for the direction today).
 */
export function ledgerClaim(document: LooseDocument, caller: Caller): LedgerClaim | undefined {
  const direction = document.direction;
  if (direction !== 'import' && direction !== 'export') return undefined;
  const trader = str(obj(document[direction === 'import' ? 'consignee' : 'consignor'])?.id);
  const standing = hasStanding({ id: 'goods-declaration', parties }, document, caller);
  // Exhibits and temporary goods entering under their trade mode enter under the temporary admission; they
  // leave it later, by a re-export, a conversion under another mode, abandonment or destruction.
  const entering = direction === 'import' && (document.tradeMode === '2700' || document.tradeMode === '2600');
  return {
    direction,
    holder: standing ? trader : undefined,
    caller: caller.partyId,
    port: str(document[direction === 'import' ? 'portOfEntry' : 'portOfExit']),
    lines: arr(document.lines).flatMap((value, index) => {
      const line = obj(value);
      const hsCode = str(line?.hsCode);
      const quantity = decimal(line?.quantity);
      const unit = str(line?.unit);
      if (hsCode === undefined || !/^\d{10}$/.test(hsCode) || quantity === undefined || unit === undefined) return [];
      const documents = arr(line?.documents).flatMap((reference) => {
        const type = str(obj(reference)?.type);
        const number = str(obj(reference)?.number);
        const key = str(obj(reference)?.key);
        const writeOff = WRITE_OFF_KINDS.find((kind) => kind === obj(reference)?.writeOff);
        const entry = entering && type === 'temporary-admission' && writeOff === undefined;
        return type === undefined || number === undefined ? [] : [{ type, number, ...(key === undefined ? {} : { key }), ...(writeOff === undefined ? {} : { writeOff }), ...(entry ? { entry } : {}) }];
      });
      return [{ path: `$.lines[${index}]`, hsCode, quantity, unit, documents }];
    }),
  };
}

