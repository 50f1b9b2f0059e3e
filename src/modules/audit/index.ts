import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

export { AuditService, recordHash } from './audit.service.js';
export { runInAuditScope, type AuditScope } from './audit.scope.js';
export { ACTOR_KINDS, ANONYMOUS, AuditPageSchema, AuditQuerySchema, AuditRecordSchema, GENESIS_HASH } from './audit.schema.js';
export type { ActorKind, AuditCheckpoint, AuditEntry, AuditPage, AuditQuery, AuditRecord, AuditVerdict } from './audit.schema.js';

/**
 * The audit module: a hash-chained, append-only log of who did what to whose data, with verify and query. Join
 * it to the store (`store.db.join(audit)`) so that write requests have their record committed with their write.
 */
export function createAuditModule(db: Kysely<Database>, options: { settleGraceMs?: number; onError?: (error: unknown) => void } = {}): AuditService {
  return new AuditService(new AuditRepository(db), options);
}
