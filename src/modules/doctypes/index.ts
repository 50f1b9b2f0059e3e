import { DocTypeRegistry } from './registry.js';
import { goodsDeclaration } from './definitions/goods-declaration.js';
import { DEFAULT_INSPECTION_HS_PREFIXES } from './definitions/inspection-hs-prefixes.js';

export { DocTypeRegistry, PublishedDocTypeSchema } from './registry.js';
export type { PublishedDocType } from './registry.js';
export { onePerPath, validateDocument } from './validation.js';
export { arr, decimal, obj, str } from './loose.js';
export type { Notice, ValidationResult } from './validation.js';
export type { AdvisoryRule, Caller, DocTypeDefinition, References, LedgerClaim, LedgerClaimLine, LedgerUse, LooseDocument, PartSpec, Text } from './doctype.js';
export { DEFAULT_INSPECTION_HS_PREFIXES } from './definitions/inspection-hs-prefixes.js';
export { GoodsDeclarationSchema } from './definitions/goods-declaration.js';
export type { GoodsDeclaration } from './definitions/goods-declaration.js';

export interface DocTypeOptions {
  /** HS prefixes routed to inspection and quarantine; the default table when undefined. */
  readonly inspectionHsPrefixes?: readonly string[] | undefined;
  /** The country of this single window (config.country); CN when undefined. */
  readonly country?: string | undefined;
}

/** The document-type registry with every definition Kouan ships. */
export function createDocTypeRegistry(options: DocTypeOptions = {}): DocTypeRegistry {
  const prefixes = options.inspectionHsPrefixes ?? DEFAULT_INSPECTION_HS_PREFIXES.map((entry) => entry.prefix);
  return new DocTypeRegistry([goodsDeclaration({ inspectionPrefixes: prefixes, country: options.country ?? 'CN' })]);
}
