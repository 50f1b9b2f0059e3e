import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

export { AuditService, recordHash } from './audit.service.js';
export { ACTOR_KINDS, ANONYMOUS, AuditPageSchema, AuditQuerySchema, AuditRecordSchema, GENESIS_HASH } from './audit.schema.js';
export type { ActorKind, AuditCheckpoint, AuditEntry, AuditPage, AuditQuery, AuditRecord, AuditVerdict } from './audit.schema.js';

/** The audit module: a hash-chained, append-only log of who did what to whose data, with verify and query. */
export function createAuditModule(db: Kysely<Database>): AuditService {
  return new AuditService(new AuditRepository(db));
}
