import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { TrackingSubscriptionTable } from './tracking.tables.js';
import { PreparedQueries } from '../../store/prepared-queries.js';
import { batchValues, givenBatch, keyBatches, keyText, type ReferenceKey } from './tracking.repository.js';

type Db = Kysely<Database> | Transaction<Database>;
export type SubscriptionRow = Selectable<TrackingSubscriptionTable>;

export class SubscriptionRepository {
  /** The ingest's look at the subscriptions, compiled once per shape (prepared-queries.ts). */
  private readonly prepared = new PreparedQueries();
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insert(row: Omit<SubscriptionRow, 'delivered_events'>, db: Db = this.db): Promise<void> {
    await db.insertInto('tracking_subscriptions').values(row).execute();
  }

  async find(id: string, db: Db = this.db): Promise<SubscriptionRow | undefined> {
    return db.selectFrom('tracking_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listOf(party: string): Promise<SubscriptionRow[]> {
    return this.db.selectFrom('tracking_subscriptions').selectAll().where('party_id', '=', party).orderBy('created_at').orderBy('id').execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tracking_subscriptions').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * In the ingest transaction: the subscriptions of these references have events up to the given seq to look
   * at. One look per few hundred references; most references have no subscription, and then nothing is written.
   */
  async raiseHeads(trx: Transaction<Database>, heads: readonly { key: ReferenceKey; seq: number }[]): Promise<void> {
    const bySeq = new Map(heads.map((head) => [keyText(head.key), head.seq]));
    for (const batch of keyBatches(heads.map((head) => head.key))) {
      const { shape, values } = batchValues(batch);
      const subscribed = await this.prepared.rows(trx, `raiseHeads:${shape}`, values, (given) =>
        trx
          .selectFrom('tracking_subscriptions')
          .select(['id', 'tenant_id', 'reference_kind', 'reference', 'head_seq'])
          .where((eb) => eb.or(givenBatch(batch, given).map(([tenant, kind, references]) => eb.and([eb('tenant_id', '=', tenant), eb('reference_kind', '=', kind), eb('reference', 'in', references)])))),
      );
      for (const row of subscribed) {
        const seq = bySeq.get(keyText({ tenant: row.tenant_id, kind: row.reference_kind, value: row.reference })) ?? 0;
        if (seq > Number(row.head_seq)) await trx.updateTable('tracking_subscriptions').set({ head_seq: seq }).where('id', '=', row.id).where('head_seq', '<', seq).execute();
      }
    }
  }

  /** Subscriptions with events after their cursor and no push on its way: the next push is theirs to make. */
  async waiting(limit: number, after = ''): Promise<SubscriptionRow[]> {
    return this.db
      .selectFrom('tracking_subscriptions')
      .selectAll()
      .where('pending_key', 'is', null)
      .whereRef('head_seq', '>', 'cursor_seq')
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Moves the cursor over events that are not the subscriber's, if nobody moved it meanwhile. */
  async pass(id: string, from: number, to: number): Promise<void> {
    await this.db.updateTable('tracking_subscriptions').set({ cursor_seq: to }).where('id', '=', id).where('cursor_seq', '=', from).where('pending_key', 'is', null).execute();
  }

  /**
   * In the transaction that records the push: it is the one on its way, taking the cursor to `to` once
   * delivered. False when another process got there first (its push stands; the caller rolls back).
   */
  async setPending(trx: Transaction<Database>, id: string, from: number, key: string, to: number): Promise<boolean> {
    const result = await trx
      .updateTable('tracking_subscriptions')
      .set({ pending_key: key, pending_to: to })
      .where('id', '=', id)
      .where('cursor_seq', '=', from)
      .where('pending_key', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The push `key` was delivered: the cursor moves past it, if it is still the one on its way (not replaced by a replay). */
  async delivered(trx: Transaction<Database>, id: string, key: string, events: number, at: string): Promise<void> {
    const row = await this.find(id, trx);
    if (row?.pending_key !== key || row.pending_to === null) return;
    await trx
      .updateTable('tracking_subscriptions')
      .set({ cursor_seq: row.pending_to, pending_key: null, pending_to: null, last_delivered_at: at, delivered_events: Number(row.delivered_events) + events })
      .where('id', '=', id)
      .where('pending_key', '=', key)
      .execute();
  }

  /** Starts delivering again, from after `cursor` (which may move back, to deliver events again), with no push on its way. */
  async restart(id: string, cursor: number): Promise<void> {
    await this.db.updateTable('tracking_subscriptions').set({ cursor_seq: cursor, pending_key: null, pending_to: null }).where('id', '=', id).execute();
  }
}
