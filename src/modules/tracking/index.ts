import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { TrackingRepository } from './tracking.repository.js';
import { TrackingService, type SubmissionVisibility } from './tracking.service.js';

export { TrackingService, timelineQueryOf } from './tracking.service.js';
export type { SubmissionVisibility } from './tracking.service.js';
export { summarise } from './tracking.projection.js';
export {
  ALL_EVENT_CODES,
  CLEARANCE_CODES,
  EVENT_CLASSIFIERS,
  EVENT_CODES,
  EVENT_TYPES,
  IngestRequestSchema,
  IngestResponseSchema,
  TimelineQuerySchema,
  TimelineSchema,
  TrackingEventSchema,
} from './tracking.schema.js';
export type { ClearanceCode, ClearanceRecord, CurrentState, IngestResponse, IngestResult, Timeline, TimelineQuery, TrackingEvent, TrackingEventView } from './tracking.schema.js';

/** The tracking module: the event log, its per-reference current states and the timelines. */
export function createTrackingModule(db: Kysely<Database>, dialect: Dialect, canSeeSubmission: SubmissionVisibility, now?: () => Date): TrackingService {
  return new TrackingService(new TrackingRepository(db, dialect), canSeeSubmission, now);
}
