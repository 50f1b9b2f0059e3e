/** The ledger models, by id: the engine looks an account type's model up here and names none of them. */
import type { ModelId } from '../ledger.schema.js';
import type { LedgerModel } from './ledger-model.js';
import { moneyModel } from './money.model.js';
import { processingManualModel } from './processing-manual.model.js';
import { quantityModel } from './quantity.model.js';
import { temporaryAdmissionModel } from './temporary-admission.model.js';
import { transportDocumentModel } from './transport-document.model.js';

export const LEDGER_MODELS: Readonly<Record<ModelId, LedgerModel>> = {
  quantity: quantityModel,
  'processing-manual': processingManualModel,
  'temporary-admission': temporaryAdmissionModel,
  'transport-document': transportDocumentModel,
  money: moneyModel,
};

/** The model of an account type. */
export function ledgerModel(id: ModelId): LedgerModel {
  return LEDGER_MODELS[id];
}

export type { Deadline, LedgerModel, LineDraft, Taking } from './ledger-model.js';
export { SCALE } from './goods-lines.js';
export { addMonths } from './temporary-admission.model.js';
