import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { EventsRepository } from './events.repository.js';
import { EventLog } from './events.service.js';

export { ConsumerRunner, EventLog } from './events.service.js';
export type { EventConsumer, RunnerOptions } from './events.service.js';
export type { EventFilter } from './events.repository.js';
export { DomainEventSchema, EVENT_PAYLOADS, EVENT_TYPES, EventPageSchema, EventQuerySchema } from './events.catalogue.js';
export type { DomainEvent, EventPage, EventPayload, EventQuery, EventType, NewEvent, SubjectKind } from './events.catalogue.js';

/** The events module: the one domain event log, its published read and its consumers' cursors. */
export function createEventsModule(db: Kysely<Database>, dialect: Dialect): EventLog {
  return new EventLog(new EventsRepository(db, dialect));
}
export { amendmentDecided, amendmentRequested, decisionRecorded, partStatusChanged, submissionStatusChanged, submissionSubmitted } from './submission-events.js';
