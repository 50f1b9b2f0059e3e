import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { DeliveryTable } from './delivery.tables.js';
import { newId, nowIso } from '../../shared/ids.js';
import { publicPushError, signPush, WebhookSender, type PushOutcome, type WebhookOptions } from '../../shared/webhooks.js';
import { DELIVERY_PAGE_LIMIT, type DeliveryQuery, type DeliveryRecord, type LeasedDelivery, type NewDelivery } from './delivery.schema.js';
import type { DeliveryRepository, TargetRow } from './delivery.repository.js';
import type { Logger } from '../../shared/logger.js';

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

/**
 * Told, in the transaction that marks the record delivered, that a target answered 2xx: what the delivery means
 * (a message acknowledged, a cursor moved) commits with the record. A failure here has it tried again.
 */
export type DeliveredHandler = (trx: Transaction<Database>, delivery: LeasedDelivery) => Promise<void>;

/** Pushes on their way at once at most, from records leased as they were written (beyond it, the next poll takes them). */
const MAX_IN_FLIGHT = 256;

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
  /** The rounds of pushes handed over by `push`, until they are settled. */
  private readonly inFlight = new Set<Promise<number>>();
  private inFlightCount = 0;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly repository: DeliveryRepository,
    options: DeliveryOptions = {},
  ) {
    this.sender = new WebhookSender(options);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.schedule = options.schedule ?? DEFAULT_SCHEDULE;
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
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
  async enqueue(trx: Transaction<Database>, deliveries: readonly NewDelivery[], at: string = nowIso()): Promise<number> {
    return (await this.repository.enqueue(trx, deliveries.map((delivery) => ({ ...delivery, id: newId('dlv') })), at)).recorded;
  }

  /**
   * Records messages to push, in the caller's transaction, leased to this engine as they are written (as many as
   * it has room on the way for; the others wait for a poll): once the caller has committed, `push` sends them at
   * once instead of waiting for the next lease. A process that dies before leaves them to whoever comes after
   * the lease, as any lease.
   */
  async enqueueLeased(trx: Transaction<Database>, deliveries: readonly NewDelivery[], at: string = nowIso()): Promise<LeasedDelivery[]> {
    const room = Math.max(0, MAX_IN_FLIGHT - this.inFlightCount);
    const until = new Date(Date.parse(at) + this.leaseMs).toISOString();
    const lease = { owner: this.leaseOwner, until, count: room };
    return (await this.repository.enqueue(trx, deliveries.map((delivery) => ({ ...delivery, id: newId('dlv') })), at, lease)).leased;
  }

  /**
   * Sends records this engine leased in a transaction that has committed (`enqueueLeased`), without waiting for
   * them: `settled` waits. A round that fails to settle is logged; its records stay leased until the lease runs
   * out and are then tried again.
   */
  push(leased: readonly LeasedDelivery[]): void {
    if (leased.length === 0) return;
    this.inFlightCount += leased.length;
    const round = this.round(leased, new Date()).finally(() => {
      this.inFlightCount -= leased.length;
      this.inFlight.delete(round);
    });
    this.inFlight.add(round);
    round.catch((error: unknown) => this.logger?.error({ err: error }, 'pushes not settled; they are tried again when their lease runs out'));
  }

  /** Waits for every round handed over by `push` to settle. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Pushes the records that are due (of these topics, or all); returns how many were delivered. */
  async pushDue(now: Date = new Date(), topics?: readonly string[]): Promise<number> {
    let delivered = 0;
    for (;;) {
      const leased = await this.repository.lease(now.toISOString(), this.leaseOwner, new Date(now.getTime() + this.leaseMs).toISOString(), PUSH_BATCH, topics);
      if (leased.length === 0) return delivered;
      delivered += await this.round(leased, now);
      if (leased.length < PUSH_BATCH) return delivered;
    }
  }

  /**
   * Sends leased records at once and settles them together: the handlers of those delivered and every record's
   * outcome in one transaction. If that transaction fails (one handler refusing, a conflict), each record is
   * settled in a transaction of its own, so that one record's failure holds back only itself.
   */
  private async round(leased: readonly LeasedDelivery[], now: Date): Promise<number> {
    const targets = await this.repository.targets([...new Set(leased.map((delivery) => delivery.targetId))]);
    const outcomes = await Promise.all(leased.map(async (delivery) => ({ delivery, outcome: await this.sendLeased(delivery, targets.get(delivery.targetId), now) })));
    const delivered = outcomes.filter(({ outcome }) => outcome.delivered).length;
    try {
      await this.repository.transaction((trx) => this.settleAll(trx, outcomes, now));
      return delivered;
    } catch {
      const results = await Promise.allSettled(outcomes.map((one) => this.repository.transaction((trx) => this.settleAll(trx, [one], now))));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      return delivered;
    }
  }

  private sendLeased(delivery: LeasedDelivery, target: TargetRow | undefined, now: Date): Promise<PushOutcome> {
    if (target === undefined) return Promise.resolve({ delivered: false, httpStatus: null, error: 'refused' });
    return this.send(target.url, target.secret, delivery.headers, delivery.body, delivery.attempts + 1, now);
  }

  /** The handlers of the records delivered, then every record's outcome, in `trx`. */
  private async settleAll(trx: Transaction<Database>, outcomes: readonly { delivery: LeasedDelivery; outcome: PushOutcome }[], now: Date): Promise<void> {
    const at = nowIso();
    const delivered: { id: string; attempts: number; lastStatus: number | null }[] = [];
    for (const { delivery, outcome } of outcomes) {
      if (!outcome.delivered) continue;
      await this.handlers.get(delivery.topic)?.(trx, delivery);
      delivered.push({ id: delivery.id, attempts: delivery.attempts + 1, lastStatus: outcome.httpStatus });
    }
    const failed = outcomes.flatMap(({ delivery, outcome }) => {
      if (outcome.delivered) return [];
      const attempts = delivery.attempts + 1;
      const gaveUp = attempts >= this.schedule.maxAttempts;
      return [{
        id: delivery.id,
        status: gaveUp ? ('failed' as const) : ('pending' as const),
        attempts,
        nextAttemptAt: new Date(now.getTime() + this.backoffSeconds(attempts) * 1000).toISOString(),
        lastError: outcome.error ?? 'unreachable',
        lastStatus: outcome.httpStatus,
      }];
    });
    await this.repository.settleDelivered(trx, delivered, this.leaseOwner, at, now.toISOString());
    for (const failure of failed) await this.repository.settle(trx, failure.id, this.leaseOwner, { ...failure, at });
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
