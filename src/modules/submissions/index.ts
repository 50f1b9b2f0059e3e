import type { Kysely } from 'kysely';
import type { AttachmentsService } from '../attachments/index.js';
import type { EventLog } from '../events/index.js';
import type { CodesService } from '../codes/index.js';
import type { DelegationsService } from '../delegations/index.js';
import type { DocTypeRegistry } from '../doctypes/index.js';
import type { ExchangeService } from '../exchange/index.js';
import type { LedgerService } from '../ledger/index.js';
import type { SignaturesService } from '../signatures/index.js';
import type { TrackingService } from '../tracking/index.js';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { AmendmentsRepository } from './amendments.repository.js';
import { SubmissionsRepository } from './submissions.repository.js';
import { SubmissionsService } from './submissions.service.js';

export { SubmissionsService } from './submissions.service.js';
export { DECLARATION_NUMBER, formatNumber, seriesOf } from './declaration-number.js';
export type { SubmitOutcome, ValidationOutcome } from './submissions.service.js';
export * from './submissions.schema.js';
export { AMENDMENT_ACTIONS, AMENDMENT_OUTCOMES, AMENDMENT_STATUSES } from './amendments.tables.js';
export { SYSTEM_REASONS, wordReasons, wordSubmission } from '../../shared/reasons.js';
export { OUTCOMES, PART_STATUSES, SUBMISSION_STATUSES } from '../doctypes/lifecycle.js';
export type { Outcome, PartStatus, SubmissionStatus } from '../doctypes/lifecycle.js';

/** The submissions module: the pipeline from one entry to separate declarations, and the parts' lifecycle. */
export function createSubmissionsModule(
  db: Kysely<Database>,
  dialect: Dialect,
  doctypes: DocTypeRegistry,
  codes: CodesService,
  exchange: ExchangeService,
  ledger: LedgerService,
  delegations: DelegationsService,
  signatures: SignaturesService,
  tracking: Pick<TrackingService, 'recordClearance'>,
  options: { readonly timeZone?: string; readonly events?: EventLog; readonly attachments?: AttachmentsService } = {},
): SubmissionsService {
  const service = new SubmissionsService(new SubmissionsRepository(db, dialect), doctypes, codes, exchange, ledger, delegations, signatures, tracking, options.timeZone, options.events, options.attachments, new AmendmentsRepository(db));
  exchange.onAck((trx, message, announced) => service.markDelivered(trx, message, announced));
  return service;
}
