import { randomBytes } from 'node:crypto';
import type { Principal } from '../parties/index.js';
import type { Logger } from '../../shared/logger.js';
import { KouanError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { DeliveryEngine, DeliveryRecord, LeasedDelivery } from '../delivery/index.js';
import { Worker } from '../../shared/worker.js';
import type { DeliveryList, Subscription, SubscriptionCreated, SubscriptionPush, TimelineQuery } from './tracking.schema.js';
import type { SubscriptionRepository, SubscriptionRow } from './subscriptions.repository.js';
import type { TrackingService } from './tracking.service.js';

export type { Logger } from '../../shared/logger.js';

/** Events read from the log per push (those not the subscriber's are passed over, not sent). */
const PUSH_EVENTS = 100;
/** Subscriptions looked at per round when making their next push. */
const FEED_BATCH = 100;
/** The delivery engine's records of subscription pushes carry this topic. */
const PUSH_TOPIC = 'tracking.push';

/** The delivery engine's target of a subscription. */
function targetOf(id: string): string {
  return `tracking:${id}`;
}

/**
 * Webhook subscriptions to a reference's events. A subscription is a cursor over the event log of one reference:
 * its next push holds what comes after the cursor (only the events the subscriber may see, tracking.access.ts)
 * and is a record of the delivery engine, which leases, signs, sends and retries it with backoff like every push
 * Kouan makes. One push is on its way at a time, so pushes arrive in log order; its delivery moves the cursor and
 * makes the next. Nothing is lost: the log is the queue, and replay moves the cursor back.
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
    /** Leases, signs, guards, sends and retries each push, and keeps its record; the cursor is this service's. */
    private readonly delivery: DeliveryEngine,
  ) {
    // A 2xx answer to a push moves the cursor past it (when it is still the push on its way).
    delivery.onDelivered(PUSH_TOPIC, async (trx, push: LeasedDelivery) => {
      const id = push.headers['kouan-subscription-id'] ?? '';
      await this.repository.delivered(trx, id, push.key, Number(push.headers['kouan-event-count'] ?? 0), nowIso());
    });
  }

  /** Subscribes the caller to a reference it may follow, from its next event on. */
  async subscribe(caller: Principal, query: TimelineQuery, url: string): Promise<SubscriptionCreated> {
    const target = this.delivery.checkUrl(url, '$.url');
    const key = await this.tracking.followable(caller, query);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const id = newId('sub');
    const createdAt = nowIso();
    // The target first: a subscription never exists without where its pushes go (a target left alone is harmless).
    await this.delivery.setTarget({ id: targetOf(id), owner: caller.partyId, url: target.toString(), secret });
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
          pending_key: null,
          pending_to: null,
          last_delivered_at: null,
          created_at: createdAt,
        },
        trx,
      );
    });
    return { ...(await this.get(caller, id)), secret };
  }

  async list(caller: Principal): Promise<Subscription[]> {
    const rows = await this.repository.listOf(caller.partyId);
    const pushes = await this.delivery.findAll(rows.flatMap((row) => (row.pending_key === null ? [] : [{ targetId: targetOf(row.id), key: row.pending_key }])));
    return rows.map((row) => toView(row, row.pending_key === null ? undefined : pushes.get(`${targetOf(row.id)}\n${row.pending_key}`)));
  }

  async get(caller: Principal, id: string): Promise<Subscription> {
    const row = await this.own(caller, id);
    return toView(row, row.pending_key === null ? undefined : await this.delivery.find(targetOf(id), row.pending_key));
  }

  async remove(caller: Principal, id: string): Promise<void> {
    await this.own(caller, id);
    // The target first, with the pushes still pending for it: nothing is sent for a subscription being removed.
    await this.delivery.removeTarget(targetOf(id));
    await this.repository.delete(id);
  }

  /** The latest 100 pushes, newest first, each with the events it carries and how its attempts went. */
  async deliveries(caller: Principal, id: string): Promise<DeliveryList> {
    const row = await this.own(caller, id);
    const records = await this.delivery.history(row.party_id, targetOf(id), 100);
    return {
      deliveries: records.map(({ headers, ...record }) => ({
        ...record,
        firstSeq: Number(headers['kouan-first-seq'] ?? 0),
        lastSeq: Number(headers['kouan-last-seq'] ?? 0),
        events: Number(headers['kouan-event-count'] ?? 0),
      })),
    };
  }

  /**
   * Delivers again: from `fromSeq` (events already delivered are sent again), or from where delivery stopped.
   * The push on its way, if any, is given up and made afresh, so that it is tried now.
   */
  async replay(caller: Principal, id: string, fromSeq: number | undefined): Promise<Subscription> {
    const row = await this.own(caller, id);
    if (row.pending_key !== null) await this.delivery.abandon(targetOf(id), row.pending_key);
    await this.repository.restart(id, fromSeq === undefined ? Number(row.cursor_seq) : Math.min(fromSeq - 1, Number(row.head_seq)));
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

  /** Makes the pushes that are due and has the delivery engine send them; returns how many were delivered. */
  async pushDue(now: Date = new Date()): Promise<number> {
    let delivered = 0;
    for (;;) {
      await this.feed(now);
      const pushed = await this.delivery.pushDue(now, [PUSH_TOPIC]);
      delivered += pushed;
      // A delivered push may leave more events after it: the next round makes its successor.
      if (pushed === 0) return delivered;
    }
  }

  /** Makes the next push of every subscription that has events after its cursor and none on its way. */
  private async feed(now: Date): Promise<void> {
    let after = '';
    for (;;) {
      const waiting = await this.repository.waiting(FEED_BATCH, after);
      for (const row of waiting) await this.next(row, now);
      if (waiting.length < FEED_BATCH) return;
      after = waiting.at(-1)?.id ?? after;
    }
  }

  /** Makes a subscription's next push, due at `now`. */
  private async next(row: SubscriptionRow, now: Date): Promise<void> {
    const key = { tenant: row.tenant_id, kind: row.reference_kind, value: row.reference };
    const subscriber: Principal = { partyId: row.party_id, tenant: row.tenant_id, kind: row.party_kind, roles: [], keyId: `subscription:${row.id}` };
    const cursor = Number(row.cursor_seq);
    const { events, next } = await this.tracking.eventsAfter(subscriber, key, cursor, PUSH_EVENTS);
    if (events.length === 0) {
      // Only events that are not the subscriber's: pass over them.
      await this.repository.pass(row.id, cursor, next);
      return;
    }
    const push: SubscriptionPush = { subscriptionId: row.id, reference: { kind: key.kind, value: key.value }, events };
    const messageKey = newId('push');
    const headers = { 'kouan-subscription-id': row.id, 'kouan-first-seq': String(events[0]?.seq ?? next), 'kouan-last-seq': String(next), 'kouan-event-count': String(events.length) };
    await this.repository.transaction(async (trx) => {
      await this.delivery.enqueue(trx, [{ targetId: targetOf(row.id), topic: PUSH_TOPIC, key: messageKey, headers, body: JSON.stringify(push) }], now.toISOString());
      // Another process made this subscription's push meanwhile: its stands, this one is rolled back.
      if (!(await this.repository.setPending(trx, row.id, cursor, messageKey, next))) throw new PushTaken();
    }).catch((error: unknown) => {
      if (!(error instanceof PushTaken)) throw error;
    });
  }

  /** A subscription of the caller's; anyone else's does not exist for them. */
  private async own(caller: Principal, id: string): Promise<SubscriptionRow> {
    const row = await this.repository.find(id);
    if (row === undefined || row.party_id !== caller.partyId || row.tenant_id !== caller.tenant) throw new KouanError('NOT_FOUND');
    return row;
  }
}

/** Thrown to roll back a push another process made first. */
class PushTaken extends Error {}

/** The subscription as its owner sees it, with how the push on its way is going. */
function toView(row: SubscriptionRow, push: DeliveryRecord | undefined): Subscription {
  return {
    id: row.id,
    reference: { kind: row.reference_kind, value: row.reference },
    url: row.url,
    status: push?.status === 'failed' ? 'failing' : 'active',
    cursor: Number(row.cursor_seq),
    head: Number(row.head_seq),
    attempts: push?.status === 'delivered' ? 0 : (push?.attempts ?? 0),
    nextAttemptAt: push?.nextAttemptAt ?? null,
    lastError: push?.status === 'delivered' ? null : (push?.lastError ?? null),
    lastDeliveredAt: row.last_delivered_at,
    deliveredEvents: Number(row.delivered_events),
    createdAt: row.created_at,
  };
}
