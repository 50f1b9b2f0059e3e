/**
 * The processing-trade filing (加工贸易手册备案): an enterprise enters its processing contract once (contract,
 * parties, imported materials, exported products, consumption, validity); commerce approves the business and
 * customs files the manual, each deciding its part (docs/doctypes.md).
 */
import Type from 'typebox';
import type { DocTypeDefinition } from '../../modules/doctypes/doctype.js';
import { APPROVAL } from '../../modules/doctypes/lifecycle.js';
import { attachments } from './attachments.js';
import { examples } from './examples.js';
import { ledger } from './ledger.js';
import { parties } from './parties.js';
import { processingTradeParts } from './parts.js';
import { rules } from './rules.js';
import { PROCESSING_TRADE_MODES, ProcessingTradeFilingSchema, type ProcessingTradeFiling } from './schema.js';

export interface ProcessingTradeFilingOptions {
  /**
   * Whether commerce approves the business (加工贸易业务批准证) before customs files the manual. China abolished
   * this approval in 2016 for most of the country; deployments that still have it, or that want commerce to see
   * every contract, keep it on.
   */
  readonly commerceApproval: boolean;
}

const OptionsSchema = Type.Object({ commerceApproval: Type.Boolean() }, { additionalProperties: false });

export function processingTradeFiling(options: ProcessingTradeFilingOptions): DocTypeDefinition<ProcessingTradeFiling> {
  return {
    id: 'processing-trade-filing',
    version: 1,
    title: { en: 'Processing-trade filing', zh: '加工贸易手册备案' },
    schema: ProcessingTradeFilingSchema,
    rules,
    parties,
    parts: processingTradeParts(options.commerceApproval),
    lifecycle: APPROVAL,
    // When commerce and customs have both approved, the manual is opened from the filing.
    reactions: [{ id: 'open-manual', on: { statuses: ['approved'] }, step: 'ledger.issue' }],
    ledger,
    attachments,
    options: { schema: OptionsSchema, values: { ...options } },
    examples,
    publish: { tradeModes: PROCESSING_TRADE_MODES },
  };
}
