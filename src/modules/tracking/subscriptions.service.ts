import { randomBytes } from 'node:crypto';
import type { Principal } from '../parties/index.js';
import type { Logger } from '../../shared/logger.js';
import { KouanError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import { publicPushError, type DeliveryEngine } from '../delivery/index.js';
import { Worker } from '../../shared/worker.js';
import type { PartyKind } from '../parties/index.js';
import type { DeliveryList, Subscription, SubscriptionCreated, SubscriptionPush, TimelineQuery } from './tracking.schema.js';
import type { SubscriptionRepository, SubscriptionRow } from './subscriptions.repository.js';
import type { TrackingService } from './tracking.service.js';

export type { Logger } from '../../shared/logger.js';

/** Events read from the log per push (those not the subscriber's are passed over, not sent). */
const PUSH_EVENTS = 100;
const PUSH_BATCH = 20;
const PUSH_LEASE_MS = 60_000;
/** Attempts in a row before a subscription is marked failing (about 9 hours of backoff); replay restarts it. */
export const MAX_SUBSCRIPTION_ATTEMPTS = 15;

/**
 * Webhook subscriptions to a reference's events. A subscription is a cursor over the event log of one reference:
 * Kouan POSTs what comes after the cursor (only the events the subscriber may see, tracking.access.ts), moves the
 * cursor on a 2xx and retries with backoff otherwise. Nothing is lost: the log is the queue, and replay moves the
 * cursor back.
 */
export class SubscriptionService {
  private timer: NodeJS.Timeout | undefined;
  private readonly pusher = new Worker();
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly repository: SubscriptionRepository,
    private readonly tracking: TrackingService,
    private readonly logger: Logger,
    private readonly pollMs: number,
    /** Signs, guards and sends each push, and says how long to back off; the cursor is this service's record. */
    private readonly delivery: DeliveryEngine,
  ) {}

  /** Subscribes the caller to a reference it may follow, from its next event on. */
  async subscribe(caller: Principal, query: TimelineQuery, url: string): Promise<SubscriptionCreated> {
    const target = this.delivery.checkUrl(url, '$.url');
    const key = await this.tracking.followable(caller, query);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const id = newId('sub');
    const createdAt = nowIso();
    await this.tracking.withReferenceLocked(key, async (trx, head) => {
      await this.repository.insert(
        {
          id,
          tenant_id: key.tenant,
          party_id: caller.partyId,
          party_kind: caller.kind,
          reference_kind: key.kind,
          reference: key.value,
          url: target.toString(),
          secret,
          status: 'active',
          cursor_seq: head,
          head_seq: head,
          next_attempt_at: createdAt,
          last_error: null,
          last_delivered_at: null,
          created_at: createdAt,
        },
        trx,
      );
    });
    const row = await this.repository.find(id);
    if (row === undefined) throw new Error(`subscription ${id} vanished`);
    return { ...toView(row), secret };
  }

  async list(caller: Principal): Promise<Subscription[]> {
    return (await this.repository.listOf(caller.partyId)).map(toView);
  }

  async get(caller: Principal, id: string): Promise<Subscription> {
    return toView(await this.own(caller, id));
  }

  async remove(caller: Principal, id: string): Promise<void> {
    await this.own(caller, id);
    await this.repository.delete(id);
  }

  async deliveries(caller: Principal, id: string): Promise<DeliveryList> {
    await this.own(caller, id);
    const rows = await this.repository.deliveries(id, 100);
    return {
      deliveries: rows.map((row) => ({
        attemptedAt: row.attempted_at,
        firstSeq: Number(row.first_seq),
        lastSeq: Number(row.last_seq),
        events: row.events,
        attempt: row.attempt,
        outcome: row.outcome === 'delivered' ? 'delivered' : 'failed',
        httpStatus: row.http_status,
        error: publicPushError(row.error),
      })),
    };
  }

  /** Delivers again: from `fromSeq` (events already delivered are sent again), or from where delivery stopped. */
  async replay(caller: Principal, id: string, fromSeq: number | undefined): Promise<Subscription> {
    const row = await this.own(caller, id);
    await this.repository.restart(id, fromSeq === undefined ? Number(row.cursor_seq) : Math.min(fromSeq - 1, Number(row.head_seq)), nowIso());
    this.notify();
    return this.get(caller, id);
  }

  /** Starts pushing: after every ingest, and every pollMs for events written by the pipeline or other processes. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.notify(), this.pollMs);
    this.timer.unref();
    this.unlisten = this.tracking.onAppended(() => this.notify());
    this.notify();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.unlisten?.();
    await this.pusher.idle();
  }

  notify(): void {
    if (this.timer === undefined) return;
    this.pusher.run(() => this.pushDue(), (error) => this.logger.error({ err: error }, 'subscription push failed; will retry'));
  }

  /** Pushes what is due now; returns how many subscriptions got events. */
  async pushDue(now: Date = new Date()): Promise<number> {
    let delivered = 0;
    for (;;) {
      const due = await this.repository.claimDue(now.toISOString(), new Date(now.getTime() + PUSH_LEASE_MS).toISOString(), PUSH_BATCH);
      if (due.length === 0) return delivered;
      const results = await Promise.all(due.map((row) => this.push(row, now)));
      delivered += results.filter(Boolean).length;
      // What failed waits for its backoff; what succeeded may have more, which the next claim picks up.
      if (results.every((result) => !result)) return delivered;
    }
  }

  private async push(row: SubscriptionRow, now: Date): Promise<boolean> {
    const key = { tenant: row.tenant_id, kind: row.reference_kind, value: row.reference };
    const subscriber: Principal = { partyId: row.party_id, tenant: row.tenant_id, kind: row.party_kind as PartyKind, roles: [], keyId: `subscription:${row.id}` };
    const { events, next } = await this.tracking.eventsAfter(subscriber, key, Number(row.cursor_seq), PUSH_EVENTS);
    const firstSeq = events[0]?.seq ?? next;
    if (events.length === 0) {
      // Only events that are not the subscriber's: pass over them.
      await this.repository.recordDelivered(row.id, { cursor: next, delivered: 0, at: nowIso(), attempt: 0, firstSeq, httpStatus: null });
      return false;
    }
    const attempt = row.attempts + 1;
    const push: SubscriptionPush = { subscriptionId: row.id, reference: { kind: key.kind, value: key.value }, events };
    const body = JSON.stringify(push);
    // Recorded as the time the attempt began: its end would tell the owner how long the target took to answer.
    const attemptedAt = nowIso();
    const outcome = await this.delivery.send(row.url, row.secret, { 'kouan-subscription-id': row.id }, body, attempt, now);
    if (outcome.delivered) {
      await this.repository.recordDelivered(row.id, { cursor: next, delivered: events.length, at: attemptedAt, attempt, firstSeq, httpStatus: outcome.httpStatus });
      return true;
    }
    await this.repository.recordFailure(row.id, {
      attempts: attempt,
      at: attemptedAt,
      nextAttemptAt: new Date(now.getTime() + this.delivery.backoffSeconds(attempt) * 1000).toISOString(),
      gaveUp: attempt >= MAX_SUBSCRIPTION_ATTEMPTS,
      firstSeq,
      lastSeq: next,
      events: events.length,
      httpStatus: outcome.httpStatus,
      error: outcome.error ?? 'unreachable',
    });
    return false;
  }

  /** A subscription of the caller's; anyone else's does not exist for them. */
  private async own(caller: Principal, id: string): Promise<SubscriptionRow> {
    const row = await this.repository.find(id);
    if (row === undefined || row.party_id !== caller.partyId || row.tenant_id !== caller.tenant) throw new KouanError('NOT_FOUND');
    return row;
  }
}

function toView(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    reference: { kind: row.reference_kind, value: row.reference },
    url: row.url,
    status: row.status === 'failing' ? 'failing' : 'active',
    cursor: Number(row.cursor_seq),
    head: Number(row.head_seq),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: publicPushError(row.last_error),
    lastDeliveredAt: row.last_delivered_at,
    deliveredEvents: Number(row.delivered_events),
    createdAt: row.created_at,
  };
}
