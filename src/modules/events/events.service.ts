import type { Transaction } from 'kysely';
import type { Principal } from '../parties/index.js';
import type { Database } from '../../store/schema.js';
import type { Logger } from '../../shared/logger.js';
import { newId, nowIso } from '../../shared/ids.js';
import { Worker } from '../../shared/worker.js';
import { backoffMs, storeFault, type RetryPolicy } from '../../store/faults.js';
import { EVENT_PAGE_LIMIT, type DomainEvent, type EventPage, type EventQuery, type EventType, type NewEvent, type SubjectKind } from './events.catalogue.js';
import type { EventFilter, EventsRepository } from './events.repository.js';
import { authorize } from '../policies/index.js';

/**
 * The domain event log: one append-only sequence that every module writes its events to in the transaction of
 * the change (so an event exists exactly when its change committed), and that consumers read with cursors.
 */
export class EventLog {
  constructor(private readonly repository: EventsRepository) {}

  /** Appends events inside the caller's transaction; an event whose id is already in the log is not added again. */
  append(trx: Transaction<Database>, events: readonly NewEvent[]): Promise<void> {
    return this.repository.append(
      trx,
      events.map((event) => ({
        event_id: event.eventId ?? newId('evt'),
        type: event.type,
        tenant_id: event.tenant,
        subject_kind: event.subject.kind,
        subject_id: event.subject.id,
        doc_type: event.docType ?? null,
        payload: JSON.stringify(event.payload),
        at: event.at,
      })),
    );
  }

  /** Events after `after`, oldest first, up to `limit`. */
  read(after: number, limit: number, filter: EventFilter = {}): Promise<DomainEvent[]> {
    return this.repository.read(after, limit, filter);
  }

  /** The operators' read of their tenant's events (GET /api/v1/domain-events); anyone else is FORBIDDEN. */
  async page(caller: Principal, query: EventQuery): Promise<EventPage> {
    authorize(caller, 'events.read');
    const after = query.after ?? 0;
    const events = await this.repository.read(after, Math.min(query.limit ?? EVENT_PAGE_LIMIT.default, EVENT_PAGE_LIMIT.max), {
      tenant: caller.tenant,
      types: query.type === undefined ? undefined : [query.type],
    });
    return { events, next: events.at(-1)?.seq ?? after };
  }

  /** The tenant a subject's events belong to, as the log knows it, in the caller's transaction. */
  tenantOf(trx: Transaction<Database>, kind: SubjectKind, id: string): Promise<string | undefined> {
    return this.repository.tenantOf(trx, kind, id);
  }

  /** The newest seq of the log (0 when empty). */
  head(): Promise<number> {
    return this.repository.head();
  }

  /** Where a consumer has read up to; undefined when it never ran. */
  cursorOf(name: string): Promise<number | undefined> {
    return this.repository.cursor(name);
  }

  /** A runner feeding `consumer` the log from its durable cursor. */
  consumer(consumer: EventConsumer, logger: Logger, options: Partial<RunnerOptions> = {}): ConsumerRunner {
    return new ConsumerRunner(this.repository, consumer, logger, { ...DEFAULT_RUNNER, ...options });
  }
}

/** Something that reads the log: its batches are handled in the transaction that moves its cursor. */
export interface EventConsumer {
  /** Names the durable cursor: two runners of one name share it (and never handle one batch twice). */
  readonly name: string;
  /** Only these types are handed over (the cursor still moves past the others). */
  readonly types?: readonly EventType[] | undefined;
  /** Writes what the events mean through `trx`; throwing rolls the batch and the cursor back, to be read again. */
  handle(trx: Transaction<Database>, events: readonly DomainEvent[]): Promise<void>;
}

export interface RunnerOptions {
  readonly batch: number;
  readonly pollMs: number;
  /** The pause after a failed batch: exponential with full jitter, per consecutive failure. */
  readonly retry: RetryPolicy;
}

const DEFAULT_RUNNER: RunnerOptions = { batch: 500, pollMs: 1000, retry: { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 100, maxDelayMs: 30_000 } };

/**
 * Feeds one consumer in batches. Each batch is read, handled and the cursor moved in one transaction, so a
 * consumer that writes only through `trx` sees each event exactly once, across restarts and processes. A store
 * fault (or any failure) never stops it: the batch is rolled back, logged, and tried again after a backoff.
 */
export class ConsumerRunner {
  private timer: NodeJS.Timeout | undefined;
  private readonly worker = new Worker();
  private failures = 0;
  private retryAt = 0;

  constructor(
    private readonly repository: EventsRepository,
    private readonly consumer: EventConsumer,
    private readonly logger: Logger,
    private readonly options: RunnerOptions,
  ) {}

  /** Handles one batch; returns how many events the cursor moved past (0: caught up). */
  async runOnce(): Promise<number> {
    return this.repository.transaction(async (trx) => {
      const at = nowIso();
      const after = await this.repository.lockCursor(trx, this.consumer.name, at);
      const events = await this.repository.read(after, this.options.batch, {}, trx);
      const last = events.at(-1);
      if (last === undefined) return 0;
      const wanted = this.consumer.types === undefined ? events : events.filter((event) => this.consumer.types?.includes(event.type));
      if (wanted.length > 0) await this.consumer.handle(trx, wanted);
      await this.repository.moveCursor(trx, this.consumer.name, last.seq, at);
      return events.length;
    });
  }

  /** Runs batches until the consumer has read the whole log; failures are thrown to the caller. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.runOnce();
      total += moved;
      if (moved < this.options.batch) return total;
    }
  }

  /** Starts the consumer over: `forget` clears what it kept, in the transaction that moves its cursor back to 0; then it reads the whole log. */
  async rebuild(forget: (trx: Transaction<Database>) => Promise<void>): Promise<number> {
    await this.repository.transaction(async (trx) => {
      const at = nowIso();
      await this.repository.lockCursor(trx, this.consumer.name, at);
      await forget(trx);
      await this.repository.moveCursor(trx, this.consumer.name, 0, at);
    });
    return this.catchUp();
  }

  /** Runs in the background: every pollMs and on notify, until stop. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.notify(), this.options.pollMs);
    this.timer.unref();
    this.notify();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.worker.idle();
  }

  /** Asks for a run soon (after a commit that appended events); a failed runner waits out its backoff first. */
  notify(): void {
    if (this.timer === undefined || Date.now() < this.retryAt) return;
    this.worker.run(async () => {
      try {
        await this.catchUp();
        this.failures = 0;
        this.retryAt = 0;
      } catch (error) {
        this.failures += 1;
        this.retryAt = Date.now() + backoffMs(this.options.retry, this.failures + 1);
        throw error;
      }
    }, (error) => this.logger.error({ err: error, consumer: this.consumer.name, fault: storeFault(error) ?? 'bug', failures: this.failures }, 'event consumer batch failed; will retry'));
  }
}
