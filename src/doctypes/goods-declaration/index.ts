/**
 * The goods declaration (报关单): one import or export of goods, declared once and split into a customs part
 * and, when any goods need it, an inspection-and-quarantine part (docs/goods-declaration.md).
 */
import Type from 'typebox';
import type { DocTypeDefinition } from '../../modules/doctypes/doctype.js';
import { CLEARANCE } from '../../modules/doctypes/lifecycle.js';
import { attachments } from './attachments.js';
import { cusdec } from './cusdec.js';
import { decMessage } from './decmessage.js';
import { advisories } from './advisories.js';
import { examples } from './examples.js';
import { ledgerClaim } from './ledger.js';
import { parties } from './parties.js';
import { goodsDeclarationParts } from './parts.js';
import { portInCountry, rules } from './rules.js';
import { GoodsDeclarationSchema, type GoodsDeclaration } from './schema.js';
import { trackingReferences } from './tracking.js';

export { DEFAULT_INSPECTION_HS_PREFIXES } from './inspection-hs-prefixes.js';
export { GoodsDeclarationSchema, type GoodsDeclaration } from './schema.js';

export interface GoodsDeclarationOptions {
  /** HS prefixes whose lines go to inspection and quarantine (CIQ). */
  readonly inspectionPrefixes: readonly string[];
  /** The country of this single window (ISO 3166-1 alpha-2): border ports of declarations lie in it. */
  readonly country: string;
}

const OptionsSchema = Type.Object(
  {
    inspectionPrefixes: Type.Array(Type.String({ pattern: '^\\d{2,10}$' }), { maxItems: 5000, description: 'HS prefixes routed to inspection and quarantine (KOUAN_CIQ_HS_PREFIXES)' }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'The country of this single window (KOUAN_COUNTRY)' }),
  },
  { additionalProperties: false },
);

/** The goods declaration's definition, routing to CIQ the lines whose HS code starts with one of `inspectionPrefixes`. */
export function goodsDeclaration(options: GoodsDeclarationOptions): DocTypeDefinition<GoodsDeclaration> {
  const { inspectionPrefixes, country } = options;
  return {
    id: 'goods-declaration',
    version: 1,
    title: { en: 'Goods declaration', zh: '货物报关单' },
    schema: GoodsDeclarationSchema,
    rules: [...rules.slice(0, 1), portInCountry(country), ...rules.slice(1)],
    advisories,
    parties,
    parts: goodsDeclarationParts(inspectionPrefixes),
    lifecycle: CLEARANCE,
    reactions: [
      { id: 'write-off-on-release', on: { outcomes: ['released'], agency: 'CUS' }, step: 'ledger.write-off' },
      { id: 'give-back-on-rejection', on: { outcomes: ['rejected', 'refused'] }, step: 'ledger.void' },
      { id: 'give-back-on-withdrawal', on: { withdrawn: true }, step: 'ledger.void' },
    ],
    ledger: { claim: ledgerClaim, writeOffOn: 'CUS' },
    attachments,
    formats: [cusdec, decMessage],
    tracking: trackingReferences,
    options: { schema: OptionsSchema, values: { inspectionPrefixes, country } },
    examples,
    publish: { inspectionHsPrefixes: inspectionPrefixes, country },
  };
}
