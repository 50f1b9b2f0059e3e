import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { DeliveryRepository } from './delivery.repository.js';
import { DeliveryEngine, type DeliveryOptions } from './delivery.service.js';

export { DEFAULT_SCHEDULE, DeliveryEngine } from './delivery.service.js';
export type { DeliveredHandler, DeliveryOptions, RetrySchedule } from './delivery.service.js';
export { DELIVERY_STATUSES, DeliveryListSchema, DeliveryQuerySchema, DeliveryRecordSchema } from './delivery.schema.js';
export type { DeliveryList, DeliveryQuery, DeliveryRecord, DeliveryStatus, LeasedDelivery, NewDelivery } from './delivery.schema.js';
export { publicPushError, signPush } from '../../shared/webhooks.js';
export type { PushOutcome, Resolver, WebhookOptions, WebhookPolicy } from '../../shared/webhooks.js';

/**
 * The delivery module: the one engine that pushes to URLs others gave Kouan, with records, leases, backoff, signatures
 * and the address guard. Its leases and settlements run on `background` (Store.background), the rest on `db`.
 */
export function createDeliveryEngine(db: Kysely<Database>, dialect: Dialect, options: DeliveryOptions = {}, background: Kysely<Database> = db): DeliveryEngine {
  return new DeliveryEngine(new DeliveryRepository(db, dialect, background), options);
}
