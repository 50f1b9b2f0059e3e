import type { EventLog } from '../events/index.js';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService, type LedgerOptions } from './ledger.service.js';
import type { Signer } from '../signatures/index.js';

export { LedgerService, SCALE } from './ledger.service.js';
export type { ClaimVerdict, LedgerAudit, LedgerOptions, PlannedReservation } from './ledger.service.js';
export { verifyCopy } from '../signatures/index.js';
export { verifyExportedCopy } from './account-copy.js';
export type { ExportedCopyCheck } from './account-copy.js';
export type { CopyCheck, Jwks } from '../signatures/index.js';
export * from './ledger.schema.js';
export type { LedgerClaim, LedgerClaimLine, LedgerClosure, LedgerClosureLine, LedgerIssue, LedgerUse } from './claim.js';
export type { LedgerClaimReference } from './claim.js';
export { ACCOUNT_TYPES, accountType, approvalAccountNumber } from './account-types.js';
export { LEDGER_MODELS, ledgerModel } from './models/index.js';
export type { LedgerModel } from './models/index.js';
export type { AccountType } from './account-types.js';
export { DEFAULT_REGULATORY_CONDITIONS, conditionsFor } from './regulatory-conditions.js';
export type { RegulatoryCondition } from './regulatory-conditions.js';

/** The ledger module: licences and certificates as signed accounts, reserved, written off and voided by declarations. */
export function createLedgerModule(
  db: Kysely<Database>,
  dialect: Dialect,
  signer: Signer,
  options: LedgerOptions,
  logger: { error(object: object, message: string): void },
  events?: Pick<EventLog, 'append'>,
): LedgerService {
  return new LedgerService(new LedgerRepository(db, dialect, events), signer, options, logger);
}
