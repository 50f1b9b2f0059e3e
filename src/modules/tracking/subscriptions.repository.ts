import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { TrackingDeliveryTable, TrackingSubscriptionTable } from './tracking.tables.js';
import { groupKeys, keyText, type ReferenceKey } from './tracking.repository.js';

type Db = Kysely<Database> | Transaction<Database>;
export type SubscriptionRow = Selectable<TrackingSubscriptionTable>;
export type DeliveryRow = Selectable<TrackingDeliveryTable>;

export class SubscriptionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Omit<SubscriptionRow, 'attempts' | 'delivered_events'>, db: Db = this.db): Promise<void> {
    await db.insertInto('tracking_subscriptions').values(row).execute();
  }

  async find(id: string, db: Db = this.db): Promise<SubscriptionRow | undefined> {
    return db.selectFrom('tracking_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listOf(party: string): Promise<SubscriptionRow[]> {
    return this.db.selectFrom('tracking_subscriptions').selectAll().where('party_id', '=', party).orderBy('created_at').orderBy('id').execute();
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tracking_deliveries').where('subscription_id', '=', id).execute();
      const result = await trx.deleteFrom('tracking_subscriptions').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  /**
   * In the ingest transaction: the subscriptions of these references have events up to the given seq to look
   * at. One look per few hundred references; most references have no subscription, and then nothing is written.
   */
  async raiseHeads(trx: Transaction<Database>, heads: readonly { key: ReferenceKey; seq: number }[]): Promise<void> {
    const bySeq = new Map(heads.map((head) => [keyText(head.key), head.seq]));
    for (const [tenant, kind, values] of groupKeys(heads.map((head) => head.key))) {
      for (let start = 0; start < values.length; start += 500) {
        const subscribed = await trx
          .selectFrom('tracking_subscriptions')
          .select(['id', 'reference', 'head_seq'])
          .where('tenant_id', '=', tenant)
          .where('reference_kind', '=', kind)
          .where('reference', 'in', values.slice(start, start + 500))
          .execute();
        for (const row of subscribed) {
          const seq = bySeq.get(keyText({ tenant, kind, value: row.reference })) ?? 0;
          if (seq > Number(row.head_seq)) await trx.updateTable('tracking_subscriptions').set({ head_seq: seq }).where('id', '=', row.id).where('head_seq', '<', seq).execute();
        }
      }
    }
  }

  /**
   * Claims active subscriptions with events to deliver whose attempt is due, by moving their next attempt to
   * `leaseUntil`: no other process delivers them meanwhile, and a process that dies leaves them to the next.
   */
  async claimDue(now: string, leaseUntil: string, limit: number): Promise<SubscriptionRow[]> {
    const due = (eb: Db) =>
      eb
        .selectFrom('tracking_subscriptions')
        .select('id')
        .where('status', '=', 'active')
        .where('next_attempt_at', '<=', now)
        .whereRef('head_seq', '>', 'cursor_seq');
    // Usually nothing is due: look before taking the write lock.
    if ((await due(this.db).limit(1).executeTakeFirst()) === undefined) return [];
    return this.db
      .updateTable('tracking_subscriptions')
      .set({ next_attempt_at: leaseUntil })
      .where('id', 'in', due(this.db).orderBy('next_attempt_at').limit(limit))
      .where('next_attempt_at', '<=', now)
      .returningAll()
      .execute();
  }

  /** Moves the cursor past what was delivered (or passed over) and ends the lease. */
  async recordDelivered(id: string, outcome: { cursor: number; delivered: number; at: string; attempt: number; firstSeq: number; httpStatus: number | null }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.find(id, trx);
      if (row === undefined) return;
      await trx
        .updateTable('tracking_subscriptions')
        .set({
          cursor_seq: outcome.cursor,
          attempts: 0,
          last_error: null,
          next_attempt_at: outcome.at,
          ...(outcome.delivered > 0 ? { last_delivered_at: outcome.at, delivered_events: Number(row.delivered_events) + outcome.delivered } : {}),
        })
        .where('id', '=', id)
        .where('cursor_seq', '<', outcome.cursor)
        .execute();
      if (outcome.delivered > 0) {
        await trx
          .insertInto('tracking_deliveries')
          .values({ subscription_id: id, attempted_at: outcome.at, first_seq: outcome.firstSeq, last_seq: outcome.cursor, events: outcome.delivered, attempt: outcome.attempt, outcome: 'delivered', http_status: outcome.httpStatus, error: null })
          .execute();
      }
    });
  }

  async recordFailure(id: string, failure: { attempts: number; at: string; nextAttemptAt: string; gaveUp: boolean; firstSeq: number; lastSeq: number; events: number; httpStatus: number | null; error: string }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('tracking_subscriptions')
        .set({ attempts: failure.attempts, last_error: failure.error.slice(0, 500), next_attempt_at: failure.nextAttemptAt, status: failure.gaveUp ? 'failing' : 'active' })
        .where('id', '=', id)
        .execute();
      await trx
        .insertInto('tracking_deliveries')
        .values({ subscription_id: id, attempted_at: failure.at, first_seq: failure.firstSeq, last_seq: failure.lastSeq, events: failure.events, attempt: failure.attempts, outcome: 'failed', http_status: failure.httpStatus, error: failure.error.slice(0, 500) })
        .execute();
    });
  }

  /** Starts delivering again now, from after `cursor` (which may move back, to deliver events again). */
  async restart(id: string, cursor: number, at: string): Promise<void> {
    await this.db.updateTable('tracking_subscriptions').set({ status: 'active', attempts: 0, cursor_seq: cursor, next_attempt_at: at }).where('id', '=', id).execute();
  }

  async deliveries(id: string, limit: number): Promise<DeliveryRow[]> {
    return this.db.selectFrom('tracking_deliveries').selectAll().where('subscription_id', '=', id).orderBy('seq', 'desc').limit(limit).execute();
  }
}
