import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { DraftsRepository } from './drafts.repository.js';
import { DraftsService } from './drafts.service.js';
import { DRAFT_LIMIT } from './drafts.schema.js';

export { DraftsService } from './drafts.service.js';
export type { DraftsOptions } from './drafts.service.js';
export { DRAFT_LIMIT, DraftPageSchema, DraftSchema, DraftSummarySchema, ListDraftsQuerySchema, NewDraftSchema, SaveDraftSchema } from './drafts.schema.js';
export type { Draft, DraftPage, DraftSummary, ListDraftsQuery, NewDraft, SaveDraft } from './drafts.schema.js';

/** The drafts module: enterprises' unfinished declarations, kept per party with optimistic concurrency. */
export function createDraftsModule(db: Kysely<Database>, dialect: Dialect, docTypes: readonly string[], options: { limit?: number } = {}): DraftsService {
  return new DraftsService(new DraftsRepository(db, dialect), { docTypes, limit: options.limit ?? DRAFT_LIMIT });
}
