import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import { KouanError } from '../../shared/errors.js';
import { nowIso } from '../../shared/ids.js';
import type { ExchangeRepository } from './exchange.repository.js';
import type { InboxMessage, InboxPage, OutboxMessage } from './exchange.schema.js';

export interface Logger {
  error(object: object, message: string): void;
}

/** Called inside the acknowledging transaction, so that what an ack means (a part delivered) commits with it. */
export type AckHandler = (trx: Transaction<Database>, message: InboxMessage) => Promise<void>;

const BATCH = 200;

/**
 * The exchange: a transactional outbox, drained into per-agency inboxes that agencies read with a cursor and
 * acknowledge. Delivery is at least once; every message keeps its id so receivers deduplicate.
 */
export class ExchangeService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private ackHandler: AckHandler | undefined;

  constructor(
    private readonly repository: ExchangeRepository,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

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
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.runOnce();
  }

  /** Starts the background dispatcher: on notify, and every pollMs for rows written by other processes. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.notify(), this.pollMs);
    this.timer.unref();
    this.notify();
  }

  /** Stops the dispatcher after the batch in flight, then drains what is pending. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
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

  private async runOnce(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.dispatchPending();
      } while (this.again);
    } catch (error) {
      // The rows stay pending and the next poll retries them; nothing is lost, but someone should know.
      this.logger.error({ err: error }, 'exchange dispatch failed; will retry');
    } finally {
      this.running = undefined;
    }
  }
}
