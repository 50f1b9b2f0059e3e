import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Logger } from '../../shared/logger.js';
import { KouanError } from '../../shared/errors.js';
import { nowIso } from '../../shared/ids.js';
import { Worker } from '../../shared/worker.js';
import type { DeliveryEngine, DeliveryList, DeliveryQuery, LeasedDelivery } from '../delivery/index.js';
import type { EventLog, NewEvent } from '../events/index.js';
import { authorize, type Subject } from '../policies/index.js';
import type { ExchangeRepository } from './exchange.repository.js';
import type { InboxMessage, InboxPage, OutboxMessage } from './exchange.schema.js';

export type { Logger } from '../../shared/logger.js';

/**
 * Called inside the acknowledging transaction, so that what an ack means (a part delivered) commits with it. Its
 * domain events go into `announced` (appended with the acknowledgement's own, in one insert); it returns the tenant
 * of the message's submission when it knows it.
 */
export type AckHandler = (trx: Transaction<Database>, message: InboxMessage, announced: NewEvent[]) => Promise<string | undefined>;

const BATCH = 200;
/** The delivery engine's records of agency webhook pushes carry this topic. */
const PUSH_TOPIC = 'exchange.message';

export interface WebhookView {
  readonly url: string;
  readonly createdAt: string;
  readonly pending: number;
  readonly delivered: number;
  readonly failed: number;
  readonly lastError: string | null;
}

/** The agency whose inbox the caller reads: its own, if the policies let it read one. */
function inboxOf(caller: Subject): string {
  authorize(caller, 'inbox.read');
  return caller.partyId;
}

/** The agency whose webhook the caller manages: its own, if the policies let it. */
function webhookOf(caller: Subject): string {
  authorize(caller, 'webhook.manage');
  return caller.partyId;
}

/** The delivery engine's target of an agency's webhook. */
function webhookTarget(agency: string): string {
  return `webhook:${agency}`;
}

/**
 * The exchange: a transactional outbox, drained into per-agency inboxes that agencies read with a cursor and
 * acknowledge, and pushed to agencies' webhooks through the delivery engine. Delivery is at least once; every
 * message keeps its id so receivers deduplicate. Messages queued and acknowledged are domain events.
 */
export class ExchangeService {
  private timer: NodeJS.Timeout | undefined;
  private dispatcher = new Worker();
  private pusher = new Worker();
  private ackHandler: AckHandler | undefined;

  constructor(
    private readonly repository: ExchangeRepository,
    private readonly logger: Logger,
    private readonly pollMs: number,
    private readonly delivery: DeliveryEngine,
    private readonly events: Pick<EventLog, 'append' | 'tenantOf'>,
  ) {
    // A 2xx answer to a push acknowledges the message, exactly like POST /inbox/{id}/ack.
    delivery.onDelivered(PUSH_TOPIC, async (trx, push: LeasedDelivery) => {
      await this.acknowledgeIn(trx, push.owner, push.key);
    });
  }

/** Registers what an acknowledgement means for the sender's module. */
  onAck(handler: AckHandler): void {
    this.ackHandler = handler;
  }

  /**
   * Writes messages about submissions of `tenant` to the outbox inside the caller's transaction. Given
   * `announced`, their domain events are put there for the caller to append with its own (one insert).
   */
  async enqueue(trx: Transaction<Database>, tenant: string, messages: readonly OutboxMessage[], announced?: NewEvent[]): Promise<void> {
    const queued = messages.map((message) => messageEvent(tenant, 'message.queued', message, message.createdAt));
    // Given `announced`, the events are in it when this returns its promise, before the insert is answered, so
    // that the caller may send their insert beside this one.
    if (announced !== undefined) announced.push(...queued);
    await this.repository.enqueue(trx, messages);
    if (announced === undefined) await this.events.append(trx, queued);
  }

  /** Delivers every pending outbox row to its inbox now; returns how many were moved. Their pushes wait for `pushDue`. */
  dispatchPending(): Promise<number> {
    return this.dispatch(false);
  }

  /**
   * Moves the pending outbox rows, batch after batch. Given `pushNow` (the background dispatcher), the pushes to
   * webhooks are leased as they are recorded and sent as soon as their batch has committed, instead of waiting
   * for the pusher's next lease.
   */
  private async dispatch(pushNow: boolean): Promise<number> {
    let total = 0;
    for (;;) {
      let leased: readonly LeasedDelivery[] = [];
      const moved = await this.repository.dispatchBatch(BATCH, nowIso(), async (trx, messages) => {
        // Assigned, not added to: a batch that runs again (group commit re-runs a lost transaction) records again.
        leased = await this.recordPushes(trx, messages, pushNow);
      });
      this.delivery.push(leased);
      total += moved;
      if (moved < BATCH) return total;
    }
  }

  /** Asks the dispatcher to run soon, after a transaction that wrote to the outbox has committed. */
  notify(): void {
    if (this.timer === undefined) return;
    this.dispatcher.run(async () => {
      await this.dispatch(true);
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
    await this.delivery.settled();
  }

  /** A page of the caller's agency's inbox, after the cursor. */
  async readInbox(caller: Subject, after: number, limit: number, unackedOnly: boolean): Promise<InboxPage> {
    const agency = inboxOf(caller);
    const messages = await this.repository.readInbox(agency, after, limit, unackedOnly);
    return { messages, next: messages.at(-1)?.seq ?? after };
  }

  /** Acknowledges a message of the agency's inbox; acknowledging twice is harmless. */
  ack(caller: Subject, messageId: string): Promise<InboxMessage> {
    return this.acknowledge(inboxOf(caller), messageId);
  }

  /** Acknowledges a message of this agency's inbox: for the agency itself, or for its webhook's answer. */
  private async acknowledge(agency: string, messageId: string): Promise<InboxMessage> {
    const message = await this.repository.transaction((trx) => this.acknowledgeIn(trx, agency, messageId));
    if (message === undefined) throw new KouanError('MESSAGE_NOT_FOUND', { params: { messageId } });
    return message;
  }

  /** Acknowledges a message in `trx`, with what the acknowledgement means; undefined when the agency has no such message. */
  private async acknowledgeIn(trx: Transaction<Database>, agency: string, messageId: string): Promise<InboxMessage | undefined> {
    const at = nowIso();
    const acked = await this.repository.ack(trx, agency, messageId, at);
    if (acked === undefined) return undefined;
    const announced: NewEvent[] = [];
    const tenant = await this.ackHandler?.(trx, acked.message, announced);
    if (acked.first) {
      // The tenant of the submission, from the handler or else as the event log knows it.
      const known = tenant ?? (await this.events.tenantOf(trx, 'submission', acked.message.submissionId));
      if (known !== undefined) announced.push(messageEvent(known, 'message.acked', acked.message, at));
    }
    await this.events.append(trx, announced);
    return acked.message;
  }

  pendingCount(): Promise<number> {
    return this.repository.pendingCount();
  }

  /** Registers (or replaces) the agency's webhook; the returned secret signs every push and is shown once. */
  async registerWebhook(caller: Subject, url: string): Promise<{ url: string; secret: string; createdAt: string }> {
    const agency = webhookOf(caller);
    const parsed = this.delivery.checkUrl(url, '$.url');
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const { createdAt } = await this.delivery.setTarget({ id: webhookTarget(agency), owner: agency, url: parsed.toString(), secret });
    return { url: parsed.toString(), secret, createdAt };
  }

  /** The agency's webhook and how its pushes are going. */
  async webhook(caller: Subject): Promise<WebhookView> {
    const agency = webhookOf(caller);
    const target = await this.delivery.findTarget(webhookTarget(agency));
    if (target === undefined) throw new KouanError('NOT_FOUND');
    return { url: target.url, createdAt: target.createdAt, ...(await this.delivery.summary(target.id)) };
  }

  /** The delivery records of the agency's webhook pushes, newest first. */
  async webhookDeliveries(caller: Subject, query: DeliveryQuery): Promise<DeliveryList> {
    const agency = webhookOf(caller);
    if ((await this.delivery.findTarget(webhookTarget(agency))) === undefined) throw new KouanError('NOT_FOUND');
    return { deliveries: await this.delivery.records(agency, { ...query, targetId: webhookTarget(agency) }) };
  }

  /** Removes the webhook and the pushes still pending; the messages stay in the pull inbox. */
  async removeWebhook(caller: Subject): Promise<void> {
    const agency = webhookOf(caller);
    if (!(await this.delivery.removeTarget(webhookTarget(agency)))) throw new KouanError('NOT_FOUND');
  }

  /** Pushes the messages that are due to their agencies' webhooks (through the delivery engine); returns how many were delivered. */
  pushDue(now: Date = new Date()): Promise<number> {
    return this.delivery.pushDue(now, [PUSH_TOPIC]);
  }

  /**
   * A push record for each message moved into the inbox of an agency with a webhook (the engine passes over the
   * others); leased to this process when `lease`, and then returned.
   */
  private async recordPushes(trx: Transaction<Database>, messages: readonly InboxMessage[], lease: boolean): Promise<LeasedDelivery[]> {
    const pushes = messages.map((message) => ({ targetId: webhookTarget(message.agency), topic: PUSH_TOPIC, key: message.messageId, headers: { 'kouan-message-id': message.messageId }, body: JSON.stringify(message) }));
    if (lease) return this.delivery.enqueueLeased(trx, pushes);
    await this.delivery.enqueue(trx, pushes);
    return [];
  }

  private onWorkerError(what: string): (error: unknown) => void {
    // The rows stay pending and the next poll retries them; nothing is lost, but someone should know.
    return (error) => this.logger.error({ err: error }, `exchange ${what} failed; will retry`);
  }
}

/** The domain event of a message queued or acknowledged, in the tenant of the submission it is about. */
function messageEvent(tenant: string, type: 'message.queued' | 'message.acked', message: OutboxMessage | InboxMessage, at: string): NewEvent {
  return {
    type,
    eventId: `${type === 'message.queued' ? 'queued' : 'acked'}-${message.messageId}`,
    tenant,
    subject: { kind: 'submission', id: message.submissionId },
    at,
    payload: { messageId: message.messageId, agency: message.agency, kind: message.kind, submissionId: message.submissionId },
  };
}
