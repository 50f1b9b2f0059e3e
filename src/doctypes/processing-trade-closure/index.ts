/**
 * The processing-trade closure (加工贸易手册核销): the holder reconciles its manual, customs (and commerce, for
 * domestic sales) approve, and the approval closes the manual in the ledger (docs/doctypes.md).
 */
import type { DocTypeDefinition } from '../../modules/doctypes/doctype.js';
import { APPROVAL } from '../../modules/doctypes/lifecycle.js';
import { attachments } from './attachments.js';
import { examples } from './examples.js';
import { ledger } from './ledger.js';
import { parties } from './parties.js';
import { closureParts } from './parts.js';
import { rules } from './rules.js';
import { ProcessingTradeClosureSchema, type ProcessingTradeClosure } from './schema.js';

export function processingTradeClosure(): DocTypeDefinition<ProcessingTradeClosure> {
  return {
    id: 'processing-trade-closure',
    version: 1,
    title: { en: 'Processing-trade closure', zh: '加工贸易手册核销' },
    schema: ProcessingTradeClosureSchema,
    rules,
    parties,
    parts: closureParts,
    lifecycle: APPROVAL,
    // When every agency has approved, the manual is closed: nothing can be declared on it afterwards.
    reactions: [{ id: 'close-manual', on: { statuses: ['approved'] }, step: 'ledger.close' }],
    ledger,
    attachments,
    examples,
  };
}
