/**
 * The document types Kouan ships: each is a folder here (definition, schema, rules, parts, ledger use,
 * tracking references, fixtures, tests), registered by one line below. docs/doctypes.md tells how to add one.
 */
import { DocTypeRegistry } from '../modules/doctypes/registry.js';
import { DEFAULT_INSPECTION_HS_PREFIXES, goodsDeclaration } from './goods-declaration/index.js';
import { exhibitionFiling } from './exhibition-filing/index.js';
import { processingTradeClosure } from './processing-trade-closure/index.js';
import { processingTradeFiling } from './processing-trade-filing/index.js';

export interface DocTypeOptions {
  /** HS prefixes routed to inspection and quarantine; the default table when undefined. */
  readonly inspectionHsPrefixes?: readonly string[] | undefined;
  /** The country of this single window (config.country); CN when undefined. */
  readonly country?: string | undefined;
  /** Whether commerce approves processing-trade filings; true when undefined. */
  readonly commerceApproval?: boolean | undefined;
}

/** The document-type registry with every definition Kouan ships. */
export function createDocTypeRegistry(options: DocTypeOptions = {}): DocTypeRegistry {
  const country = options.country ?? 'CN';
  const inspectionPrefixes = options.inspectionHsPrefixes ?? DEFAULT_INSPECTION_HS_PREFIXES.map((entry) => entry.prefix);
  return new DocTypeRegistry([
    goodsDeclaration({ inspectionPrefixes, country }),
    processingTradeFiling({ commerceApproval: options.commerceApproval ?? true }),
    exhibitionFiling({ inspectionPrefixes }),
    processingTradeClosure(),
  ]);
}
