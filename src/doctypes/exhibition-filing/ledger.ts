/**
 * What an approved exhibition filing opens: a temporary-admission account (暂时进境) of the exhibit list, held by
 * the exhibition agent, one line per exhibit keyed by its item number. Goods declarations write the items off
 * by re-export, conversion to a definitive import, abandonment or destruction; the deadline is six months from
 * their entry, which customs may extend (POST /api/v1/ledger/accounts/{number}/extend).
 */
import type { LedgerIssue, LedgerUse, LooseDocument } from '../../modules/doctypes/doctype.js';
import { addMonths } from '../../modules/ledger/models/temporary-admission.model.js';
import type { ExhibitionFiling } from './schema.js';

export const TEMPORARY_ADMISSION = 'temporary-admission';

/** Months the exhibits may stay: the temporary admission's own deadline (the model refuses a later one). */
const STAY_MONTHS = 6;

/**
 * The account of a filing, signed with six months from the approval (the earliest the exhibits may enter). The
 * deadline then runs from their entry: the release of the import under 2700 that cites the account starts it
 * (the ledger's `enter` entry), and customs extends it from there.
 */
export function admissionOf(document: LooseDocument, { approvedOn }: { readonly approvedOn: string }): LedgerIssue {
  const filing = document as unknown as ExhibitionFiling;
  const carnet = filing.guarantee.kind === 'ata-carnet' ? filing.guarantee.carnetNumber : undefined;
  return {
    type: TEMPORARY_ADMISSION,
    holder: filing.agent.id,
    direction: 'import',
    validFrom: approvedOn,
    validTo: addMonths(approvedOn, STAY_MONTHS),
    attributes: { guarantee: filing.guarantee.kind },
    ...(carnet === undefined ? {} : { carnet }),
    lines: filing.exhibits.map((exhibit) => ({ key: String(exhibit.no), hsCode: exhibit.hsCode, description: exhibit.description.slice(0, 200), quantity: exhibit.quantity, unit: exhibit.unit })),
  };
}

export const ledger: LedgerUse = { issues: admissionOf, opens: TEMPORARY_ADMISSION };
