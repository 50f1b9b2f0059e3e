/**
 * The exhibition filing (会展商品备案): an exhibition agent files the event and its exhibit list once, to
 * customs, inspection and quarantine, commerce and market regulation (docs/doctypes.md walks through it).
 */
import type { DocTypeDefinition } from '../../modules/doctypes/doctype.js';
import { APPROVAL } from '../../modules/doctypes/lifecycle.js';
import { attachments } from './attachments.js';
import { examples } from './examples.js';
import { ledger } from './ledger.js';
import { parties } from './parties.js';
import { exhibitionParts } from './parts.js';
import { rules } from './rules.js';
import { ExhibitionFilingSchema, GUARANTEE_KINDS, INTENDED_DISPOSALS, type ExhibitionFiling } from './schema.js';

export interface ExhibitionFilingOptions {
  /** HS prefixes whose exhibits go to inspection and quarantine (the goods declaration's table). */
  readonly inspectionPrefixes: readonly string[];
}

export function exhibitionFiling(options: ExhibitionFilingOptions): DocTypeDefinition<ExhibitionFiling> {
  return {
    id: 'exhibition-filing',
    version: 1,
    title: { en: 'Exhibition filing', zh: '会展商品备案' },
    schema: ExhibitionFilingSchema,
    rules,
    parties,
    parts: exhibitionParts(options.inspectionPrefixes),
    lifecycle: APPROVAL,
    // When every agency has approved, the exhibit list becomes a temporary-admission account.
    reactions: [{ id: 'open-temporary-admission', on: { statuses: ['approved'] }, step: 'ledger.issue' }],
    ledger,
    attachments,
    examples,
    publish: { guaranteeKinds: GUARANTEE_KINDS, disposals: INTENDED_DISPOSALS },
  };
}
