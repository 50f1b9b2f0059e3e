import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { createDeliveryEngine, DEFAULT_SCHEDULE, type DeliveryEngine, type WebhookOptions } from '../delivery/index.js';
import { createEventsModule, type EventLog } from '../events/index.js';
import { ExchangeRepository } from './exchange.repository.js';
import { ExchangeService, type Logger } from './exchange.service.js';

export { ExchangeService } from './exchange.service.js';
export { signPush } from '../delivery/index.js';
export type { Resolver, WebhookOptions, WebhookPolicy } from '../delivery/index.js';
export type { AckHandler, Logger, WebhookView } from './exchange.service.js';
export { InboxMessageSchema, InboxPageSchema, MESSAGE_KINDS, WebhookRegisteredSchema, WebhookRequestSchema, WebhookStatusSchema } from './exchange.schema.js';
export type { InboxMessage, InboxPage, MessageKind, OutboxMessage } from './exchange.schema.js';

/** Attempts before Kouan gives up pushing a message (about 9 hours of backoff); it stays in the pull inbox. */
export const MAX_PUSH_ATTEMPTS = DEFAULT_SCHEDULE.maxAttempts;

/**
 * The exchange module: outbox, dispatcher, agency inboxes and webhooks, pushed by the delivery engine (only where
 * `webhooks.policy` allows). Kouan passes its one engine and event log, and the store's background database for the
 * dispatcher; without them, ones over the same store are made.
 */
export function createExchangeModule(
  db: Kysely<Database>,
  dialect: Dialect,
  logger: Logger,
  pollMs: number,
  webhooks: WebhookOptions = {},
  shared: { readonly delivery?: DeliveryEngine; readonly events?: EventLog; readonly background?: Kysely<Database> } = {},
): ExchangeService {
  const delivery = shared.delivery ?? createDeliveryEngine(db, dialect, { logger, ...webhooks }, shared.background);
  return new ExchangeService(new ExchangeRepository(db, dialect, shared.background), logger, pollMs, delivery, shared.events ?? createEventsModule(db, dialect));
}
