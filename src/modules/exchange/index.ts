import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { ExchangeRepository } from './exchange.repository.js';
import { ExchangeService, type Logger } from './exchange.service.js';
import type { WebhookOptions } from '../../shared/webhooks.js';

export { ExchangeService, MAX_PUSH_ATTEMPTS } from './exchange.service.js';
export { pushBackoffSeconds, signPush } from '../../shared/webhooks.js';
export type { Resolver, WebhookOptions, WebhookPolicy } from '../../shared/webhooks.js';
export type { AckHandler, Logger, WebhookView } from './exchange.service.js';
export { InboxMessageSchema, InboxPageSchema, MESSAGE_KINDS, WebhookRegisteredSchema, WebhookRequestSchema, WebhookStatusSchema } from './exchange.schema.js';
export type { InboxMessage, InboxPage, MessageKind, OutboxMessage } from './exchange.schema.js';

/** The exchange module: outbox, dispatcher, agency inboxes and webhooks (pushed only where `webhooks.policy` allows). */
export function createExchangeModule(db: Kysely<Database>, dialect: Dialect, logger: Logger, pollMs: number, webhooks: WebhookOptions = {}): ExchangeService {
  return new ExchangeService(new ExchangeRepository(db, dialect), logger, pollMs, webhooks);
}
