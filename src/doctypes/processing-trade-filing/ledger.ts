/**
 * What an approved processing-trade filing opens: the processing-trade manual (加工贸易手册) as a ledger account of
 * the processing-manual model, held by the operating enterprise. Its material lines are credited by imports
 * under the manual and debited, through the consumption ratios, by the exports of its products.
 */
import type { LedgerIssue, LedgerUse, LooseDocument } from '../../modules/doctypes/doctype.js';
import type { ProcessingTradeFiling } from './schema.js';

export const MANUAL_ACCOUNT_TYPE = 'processing-trade-manual';

/** The manual of a filing, valid from the approval to the filing's validity; the filing passed its schema and rules. */
export function manualOf(document: LooseDocument, { approvedOn }: { readonly approvedOn: string }): LedgerIssue {
  const filing = document as unknown as ProcessingTradeFiling;
  // Material numbers are unique (the rule duplicate-item-numbers): the account's lines are the materials in order.
  const lineOf = new Map(filing.materials.map((material, index) => [material.no, index + 1]));
  return {
    type: MANUAL_ACCOUNT_TYPE,
    holder: filing.enterprise.id,
    direction: 'import',
    validFrom: approvedOn,
    validTo: filing.validTo,
    attributes: { tradeMode: filing.tradeMode },
    lines: filing.materials.map((material) => ({ hsCode: material.hsCode, quantity: material.quantity, unit: material.unit })),
    products: filing.products.map((product) => ({
      hsCode: product.hsCode,
      unit: product.unit,
      consumption: product.consumption.map((entry) => ({ line: lineOf.get(entry.material) ?? 0, ratio: entry.unitConsumption })),
    })),
  };
}

export const ledger: LedgerUse = { issues: manualOf, opens: MANUAL_ACCOUNT_TYPE };
