import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { DeliveryTable } from './delivery.tables.js';
import { newId, nowIso } from '../../shared/ids.js';
import { publicPushError, signPush, WebhookSender, type PushOutcome, type WebhookOptions } from '../../shared/webhooks.js';
import { DELIVERY_PAGE_LIMIT, type DeliveryQuery, type DeliveryRecord, type LeasedDelivery, type NewDelivery } from './delivery.schema.js';
import type { DeliveryRepository, TargetRow } from './delivery.repository.js';

/** How the engine retries: attempts before giving up, and the backoff between them. */
export interface RetrySchedule {
  readonly maxAttempts: number;
  readonly baseSeconds: number;
  readonly capSeconds: number;
}

export interface DeliveryOptions extends WebhookOptions {
  /** A leased record not settled within this time is tried again by any process. */
  readonly leaseMs?: number | undefined;
  readonly schedule?: RetrySchedule | undefined;
  /** The jitter's source (tests pin it). */
  readonly random?: (() => number) | undefined;
}

/** Fifteen attempts (about 9 hours of backoff) before a record is given up. */
export const DEFAULT_SCHEDULE: RetrySchedule = { maxAttempts: 15, baseSeconds: 2, capSeconds: 3600 };
const DEFAULT_LEASE_MS = 60_000;
const PUSH_BATCH = 50;

/** Told, before the record is marked delivered, that a target answered 2xx; a failure here has it tried again. */
export type DeliveredHandler = (delivery: LeasedDelivery) => Promise<void>;

/**
 * The one delivery engine: every push Kouan makes to a URL someone gave it (agency webhooks, tracking
 * subscriptions, later federation) goes through here. It keeps a record per target and message, leases records
 * so that two processes never push one at once, retries with exponential backoff (full-ish jitter, capped),
 * signs each push with the target's secret (HMAC-SHA256, the `Kouan-Signature` header), and checks the address
 * at send time (shared/webhooks.ts, shared/net-guard.ts). Targets are data: it knows nothing of agencies or
 * tracking; a record's `topic` names who is told of its delivery.
 */
export class DeliveryEngine {
  private readonly sender: WebhookSender;
  private readonly leaseMs: number;
  private readonly schedule: RetrySchedule;
  private readonly random: () => number;
  private readonly handlers = new Map<string, DeliveredHandler>();
  /** Names this engine's leases; one per engine (a process may run several in tests). */
  private readonly leaseOwner = newId('lease');

  constructor(
    private readonly repository: DeliveryRepository,
    options: DeliveryOptions = {},
  ) {
    this.sender = new WebhookSender(options);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.schedule = options.schedule ?? DEFAULT_SCHEDULE;
    this.random = options.random ?? Math.random;
  }

  get maxAttempts(): number {
    return this.schedule.maxAttempts;
  }

  /** The URL, normalised, if Kouan may push to it; otherwise a problem about the field at `path` (at registration). */
  checkUrl(url: string, path: string): URL {
    return this.sender.target(url, path);
  }

  /** Registers (or replaces) a target; pending records go to its new URL, signed with its new secret. */
  async setTarget(target: { id: string; owner: string; url: string; secret: string }): Promise<{ createdAt: string }> {
    const createdAt = nowIso();
    await this.repository.setTarget({ ...target, url: this.checkUrl(target.url, '$.url').toString(), createdAt });
    return { createdAt };
  }

  findTarget(id: string): Promise<TargetRow | undefined> {
    return this.repository.findTarget(id);
  }

  /** Removes a target and what is still pending for it; returns false when there was none. */
  removeTarget(id: string): Promise<boolean> {
    return this.repository.removeTarget(id);
  }

  /** Has `handler` told of every delivered record of `topic`. */
  onDelivered(topic: string, handler: DeliveredHandler): void {
    this.handlers.set(topic, handler);
  }

  /** Records messages to push, in the caller's transaction; a message for a target that does not exist is not recorded. */
  enqueue(trx: Transaction<Database>, deliveries: readonly NewDelivery[], at: string = nowIso()): Promise<number> {
    return this.repository.enqueue(trx, deliveries.map((delivery) => ({ ...delivery, id: newId('dlv') })), at);
  }

  /** Pushes the records that are due (of these topics, or all); returns how many were delivered. */
  async pushDue(now: Date = new Date(), topics?: readonly string[]): Promise<number> {
    let delivered = 0;
    for (;;) {
      const leased = await this.repository.lease(now.toISOString(), this.leaseOwner, new Date(now.getTime() + this.leaseMs).toISOString(), PUSH_BATCH, topics);
      if (leased.length === 0) return delivered;
      const targets = await this.repository.targets([...new Set(leased.map((delivery) => delivery.targetId))]);
      const results = await Promise.all(leased.map((delivery) => this.attempt(delivery, targets.get(delivery.targetId), now)));
      delivered += results.filter(Boolean).length;
      if (leased.length < PUSH_BATCH) return delivered;
    }
  }

  /** One signed POST to a URL now, guarded like every push; never throws. */
  private send(url: string, secret: string, headers: Readonly<Record<string, string>>, body: string, attempt: number, now: Date = new Date()): Promise<PushOutcome> {
    return this.sender.post(
      url,
      {
        'content-type': 'application/json',
        ...headers,
        'kouan-delivery-attempt': String(attempt),
        'kouan-signature': signPush(secret, Math.floor(now.getTime() / 1000), body),
      },
      body,
    );
  }

  /** Seconds to wait after the n-th failed attempt: base * 2^(n-1), capped, of which a random half is taken off. */
  backoffSeconds(attempts: number): number {
    const ceiling = Math.min(this.schedule.capSeconds, this.schedule.baseSeconds * 2 ** Math.max(0, attempts - 1));
    return ceiling / 2 + (ceiling / 2) * this.random();
  }

  /** The owner's records, newest first (of one target, or all of theirs). */
  async records(owner: string, query: DeliveryQuery & { targetId?: string | undefined } = {}): Promise<DeliveryRecord[]> {
    const rows = await this.repository.list(owner, { targetId: query.targetId, status: query.status, limit: Math.min(query.limit ?? DELIVERY_PAGE_LIMIT.default, DELIVERY_PAGE_LIMIT.max) });
    return rows.map(toRecord);
  }

  /** The record of one message to a target, with the headers it is sent with; undefined when there is none. */
  async find(targetId: string, key: string): Promise<(DeliveryRecord & { readonly headers: Readonly<Record<string, string>> }) | undefined> {
    const row = await this.repository.findByKey(targetId, key);
    return row === undefined ? undefined : { ...toRecord(row), headers: JSON.parse(row.headers) as Record<string, string> };
  }

  /** The records of these messages, by target and key (those that exist). */
  async findAll(targetKeys: readonly { targetId: string; key: string }[]): Promise<Map<string, DeliveryRecord>> {
    const rows = await this.repository.byKeys(targetKeys);
    return new Map(rows.map((row) => [`${row.target_id}\n${row.message_key}`, toRecord(row)]));
  }

  /** The owner's records of one target, newest first, with the headers each is sent with. */
  async history(owner: string, targetId: string, limit: number): Promise<(DeliveryRecord & { readonly headers: Readonly<Record<string, string>> })[]> {
    const rows = await this.repository.list(owner, { targetId, limit });
    return rows.map((row) => ({ ...toRecord(row), headers: JSON.parse(row.headers) as Record<string, string> }));
  }

  /**
   * Gives up a pending record now (its sender replaced it: a replay); false when it was not pending. An attempt
   * already in flight settles nothing, and a 2xx it gets still tells the record's topic, which must check that
   * the record is still the one it waits for.
   */
  abandon(targetId: string, key: string): Promise<boolean> {
    return this.repository.abandon(targetId, key, nowIso());
  }

  /** How a target's pushes are going. */
  async summary(targetId: string): Promise<{ pending: number; delivered: number; failed: number; lastError: string | null }> {
    const summary = await this.repository.summary(targetId);
    return { ...summary, lastError: publicPushError(summary.lastError) };
  }

  private async attempt(delivery: LeasedDelivery, target: TargetRow | undefined, now: Date): Promise<boolean> {
    const attempts = delivery.attempts + 1;
    const outcome: PushOutcome = target === undefined ? { delivered: false, httpStatus: null, error: 'refused' } : await this.send(target.url, target.secret, delivery.headers, delivery.body, attempts, now);
    if (outcome.delivered) {
      await this.handlers.get(delivery.topic)?.(delivery);
      await this.repository.settle(delivery.id, this.leaseOwner, { status: 'delivered', attempts, at: nowIso(), nextAttemptAt: now.toISOString(), lastError: null, lastStatus: outcome.httpStatus });
      return true;
    }
    const gaveUp = attempts >= this.schedule.maxAttempts;
    await this.repository.settle(delivery.id, this.leaseOwner, {
      status: gaveUp ? 'failed' : 'pending',
      attempts,
      at: nowIso(),
      nextAttemptAt: new Date(now.getTime() + this.backoffSeconds(attempts) * 1000).toISOString(),
      lastError: outcome.error ?? 'unreachable',
      lastStatus: outcome.httpStatus,
    });
    return false;
  }
}

function toRecord(row: DeliveryTable): DeliveryRecord {
  return {
    id: row.id,
    key: row.message_key,
    status: row.status === 'delivered' ? 'delivered' : row.status === 'failed' ? 'failed' : 'pending',
    attempts: row.attempts,
    lastError: publicPushError(row.last_error),
    lastStatus: row.last_status,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
  };
}
