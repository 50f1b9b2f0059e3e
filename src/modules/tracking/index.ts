import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { EventLog } from '../events/index.js';
import type { SubmissionVisibility } from './tracking.access.js';
import { SubscriptionRepository } from './subscriptions.repository.js';
import { SubscriptionService, type Logger } from './subscriptions.service.js';
import { createDeliveryEngine, type DeliveryEngine, type WebhookOptions } from '../delivery/index.js';
import { TrackingRepository } from './tracking.repository.js';
import { TrackingStreams, type StreamLimits } from './tracking.streams.js';
import { TrackingService, type LocationsOf, type LocodeLookup } from './tracking.service.js';

export { TIMELINE_LIMIT, TrackingService, timelineQueryOf } from './tracking.service.js';
export type { LocationsOf, LocodeLookup } from './tracking.service.js';
export { StreamQueue, TrackingStreams } from './tracking.streams.js';
export type { StreamLimits, StreamSink, StreamTicket } from './tracking.streams.js';
export { CONTAINER_WINDOW } from './tracking.access.js';
export type { SubmissionVisibility } from './tracking.access.js';
export { SubscriptionService } from './subscriptions.service.js';
export { EVENT_PHRASES, fold, project, render, summarise } from './tracking.projection.js';
export { resolveDocument } from './tracking.documents.js';
export { shipmentsOf } from './tracking.shipments.js';
export {
  ALL_EVENT_CODES,
  CLEARANCE_CODES,
  DeliveryListSchema,
  EVENT_CLASSIFIERS,
  EVENT_CODES,
  EVENT_TYPES,
  IngestRequestSchema,
  IngestResponseSchema,
  ReplayRequestSchema,
  StreamQuerySchema,
  SubscriptionCreatedSchema,
  SubscriptionListSchema,
  SubscriptionPushSchema,
  SubscriptionRequestSchema,
  SubscriptionSchema,
  ShipmentSchema,
  ProjectedStateSchema,
  TimelineQuerySchema,
  TimelineSchema,
  TrackingEventSchema,
  TrackingEventViewSchema,
} from './tracking.schema.js';
export type { ClearanceCode, ClearanceRecord, CurrentState, ProjectedState, Shipment, IngestResponse, IngestResult, Subscription, SubscriptionPush, Timeline, TimelineQuery, TrackingEvent, TrackingEventView } from './tracking.schema.js';

/** Stream caps when the caller names none (src/config.ts has the settings). */
const DEFAULT_STREAM_LIMITS: StreamLimits = { perKey: 20, perParty: 100, queue: 1000 };

/** The tracking module: the event log, its per-reference current states, timelines, live streams and subscriptions. */
export function createTrackingModule(
  db: Kysely<Database>,
  dialect: Dialect,
  canSee: SubmissionVisibility,
  options: { logger: Logger; pollMs: number; locodes?: LocodeLookup; locationsOf?: LocationsOf; now?: () => Date; streams?: StreamLimits; webhooks?: WebhookOptions; events?: EventLog; delivery?: DeliveryEngine },
): { tracking: TrackingService; subscriptions: SubscriptionService; streams: TrackingStreams } {
  const subscriptionRepository = new SubscriptionRepository(db);
  const tracking = new TrackingService(new TrackingRepository(db, dialect), subscriptionRepository, canSee, options.locodes, options.now, options.locationsOf, options.events);
  const streams = new TrackingStreams(tracking, options.streams ?? DEFAULT_STREAM_LIMITS, options.pollMs, (error) => options.logger.error({ err: error }, 'tracking stream read failed; its clients reconnect'));
  return { tracking, subscriptions: new SubscriptionService(subscriptionRepository, tracking, options.logger, options.pollMs, options.delivery ?? createDeliveryEngine(db, dialect, { logger: options.logger, ...options.webhooks })), streams };
}
