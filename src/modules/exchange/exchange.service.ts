import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Logger } from '../../shared/logger.js';
import { KouanError } from '../../shared/errors.js';
import { nowIso } from '../../shared/ids.js';
import { publicPushError, pushBackoffSeconds, signPush, WebhookSender, type WebhookOptions } from '../../shared/webhooks.js';
import { Worker } from '../../shared/worker.js';
import type { DuePush, ExchangeRepository } from './exchange.repository.js';
import type { InboxMessage, InboxPage, OutboxMessage } from './exchange.schema.js';

export type { Logger } from '../../shared/logger.js';

/** Called inside the acknowledging transaction, so that what an ack means (a part delivered) commits with it. */
export type AckHandler = (trx: Transaction<Database>, message: InboxMessage) => Promise<void>;

const BATCH = 200;
const PUSH_BATCH = 50;
/** A claimed push not answered within this time is tried again by any process. */
const PUSH_LEASE_MS = 60_000;
/** Attempts before Kouan gives up pushing a message (about 9 hours of backoff); it stays in the pull inbox. */
export const MAX_PUSH_ATTEMPTS = 15;

export interface WebhookView {
  readonly url: string;
  readonly createdAt: string;
  readonly pending: number;
  readonly delivered: number;
  readonly failed: number;
  readonly lastError: string | null;
}

/**
 * The exchange: a transactional outbox, drained into per-agency inboxes that agencies read with a cursor and
 * acknowledge. Delivery is at least once; every message keeps its id so receivers deduplicate.
 */
export class ExchangeService {
  private timer: NodeJS.Timeout | undefined;
  private dispatcher = new Worker();
  private pusher = new Worker();
  private ackHandler: AckHandler | undefined;
  private readonly sender: WebhookSender;

  constructor(
    private readonly repository: ExchangeRepository,
    private readonly logger: Logger,
    private readonly pollMs: number,
    webhooks: WebhookOptions = {},
  ) {
    this.sender = new WebhookSender({ logger, ...webhooks });
  }

  /** Registers what an acknowledgement means for the sender's module. */
  onAck(handler: AckHandler): void {
    this.ackHandler = handler;
  }

  /** Writes messages to the outbox inside the caller's transaction. */
  enqueue(trx: Transaction<Database>, messages: readonly OutboxMessage[]): Promise<void> {
    return this.repository.enqueue(trx, messages);
  }

  /** Delivers every pending outbox row to its inbox now; returns how many were moved. */
  async dispatchPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.repository.dispatchBatch(BATCH, nowIso());
      total += moved;
      if (moved < BATCH) return total;
    }
  }

  /** Asks the dispatcher to run soon, after a transaction that wrote to the outbox has committed. */
  notify(): void {
    if (this.timer === undefined) return;
    this.dispatcher.run(async () => {
      await this.dispatchPending();
      this.pusher.run(() => this.pushDue(), this.onWorkerError('push'));
    }, this.onWorkerError('dispatch'));
  }

  /** Starts the background dispatcher and pusher: on notify, and every pollMs for rows written by other processes. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.notify(), this.pollMs);
    this.timer.unref();
    this.notify();
  }

  /** Stops the background work after the batches in flight. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.dispatcher.idle();
    await this.pusher.idle();
  }

  async readInbox(agency: string, after: number, limit: number, unackedOnly: boolean): Promise<InboxPage> {
    const messages = await this.repository.readInbox(agency, after, limit, unackedOnly);
    return { messages, next: messages.at(-1)?.seq ?? after };
  }

  /** Acknowledges a message of the agency's inbox; acknowledging twice is harmless. */
  async ack(agency: string, messageId: string): Promise<InboxMessage> {
    const message = await this.repository.transaction(async (trx) => {
      const acked = await this.repository.ack(trx, agency, messageId, nowIso());
      if (acked !== undefined && this.ackHandler !== undefined) await this.ackHandler(trx, acked);
      return acked;
    });
    if (message === undefined) throw new KouanError('MESSAGE_NOT_FOUND', { params: { messageId } });
    return message;
  }

  pendingCount(): Promise<number> {
    return this.repository.pendingCount();
  }

  /** Registers (or replaces) the agency's webhook; the returned secret signs every push and is shown once. */
  async registerWebhook(agency: string, url: string): Promise<{ url: string; secret: string; createdAt: string }> {
    const parsed = this.sender.target(url, '$.url');
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const createdAt = nowIso();
    await this.repository.setWebhook({ agency, url: parsed.toString(), secret, createdAt });
    return { url: parsed.toString(), secret, createdAt };
  }

  /** The agency's webhook and how its pushes are going. */
  async webhook(agency: string): Promise<WebhookView> {
    const webhook = await this.repository.findWebhook(agency);
    if (webhook === undefined) throw new KouanError('NOT_FOUND');
    const stats = await this.repository.webhookStats(agency);
    return { ...webhook, ...stats, lastError: publicPushError(stats.lastError) };
  }

  async removeWebhook(agency: string): Promise<void> {
    if (!(await this.repository.deleteWebhook(agency))) throw new KouanError('NOT_FOUND');
  }

  /**
   * Pushes the messages that are due to their agencies' webhooks. A 2xx answer acknowledges the message,
   * exactly like POST /inbox/{id}/ack; anything else is retried with backoff. Returns how many were pushed.
   */
  async pushDue(now: Date = new Date()): Promise<number> {
    const due = await this.repository.claimDueDeliveries(now.toISOString(), new Date(now.getTime() + PUSH_LEASE_MS).toISOString(), PUSH_BATCH);
    const results = await Promise.all(due.map((push) => this.push(push, now)));
    return results.filter(Boolean).length;
  }

  private async push(push: DuePush, now: Date): Promise<boolean> {
    const attempts = push.attempts + 1;
    const body = JSON.stringify(push.message);
    const outcome = await this.sender.post(
      push.url,
      {
        'content-type': 'application/json',
        'kouan-message-id': push.message.messageId,
        'kouan-delivery-attempt': String(attempts),
        'kouan-signature': signPush(push.secret, Math.floor(now.getTime() / 1000), body),
      },
      body,
    );
    if (outcome.delivered) {
      await this.ack(push.message.agency, push.message.messageId);
      await this.repository.recordPushed(push.message.messageId, attempts, nowIso());
      return true;
    }
    const gaveUp = attempts >= MAX_PUSH_ATTEMPTS;
    await this.repository.recordPushFailure(push.message.messageId, {
      attempts,
      error: outcome.error ?? 'unreachable',
      nextAttemptAt: new Date(now.getTime() + pushBackoffSeconds(attempts) * 1000).toISOString(),
      gaveUpAt: gaveUp ? nowIso() : null,
    });
    return false;
  }

  private onWorkerError(what: string): (error: unknown) => void {
    // The rows stay pending and the next poll retries them; nothing is lost, but someone should know.
    return (error) => this.logger.error({ err: error }, `exchange ${what} failed; will retry`);
  }
}
