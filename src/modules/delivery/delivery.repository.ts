import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { DeliveryTable } from './delivery.tables.js';
import type { DeliveryStatus, LeasedDelivery, NewDelivery } from './delivery.schema.js';

export interface TargetRow {
  readonly id: string;
  readonly owner: string;
  readonly url: string;
  readonly secret: string;
  readonly createdAt: string;
}

export class DeliveryRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** The leases' and settlements' (Store.background): on PostgreSQL a pool of its own, not queued behind the requests. */
    private readonly background: Kysely<Database> = db,
  ) {}

  async setTarget(target: TargetRow): Promise<void> {
    await this.db
      .insertInto('delivery_targets')
      .values({ id: target.id, owner: target.owner, url: target.url, secret: target.secret, created_at: target.createdAt })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ owner: target.owner, url: target.url, secret: target.secret, created_at: target.createdAt }))
      .execute();
  }

  async findTarget(id: string): Promise<TargetRow | undefined> {
    const row = await this.db.selectFrom('delivery_targets').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : { id: row.id, owner: row.owner, url: row.url, secret: row.secret, createdAt: row.created_at };
  }

  async targets(ids: readonly string[]): Promise<Map<string, TargetRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.background.selectFrom('delivery_targets').selectAll().where('id', 'in', [...ids]).execute();
    return new Map(rows.map((row) => [row.id, { id: row.id, owner: row.owner, url: row.url, secret: row.secret, createdAt: row.created_at }]));
  }

  /** Removes the target and its records still pending; what was delivered or given up stays as history. */
  async removeTarget(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('deliveries').where('target_id', '=', id).where('status', '=', 'pending').execute();
      const result = await trx.deleteFrom('delivery_targets').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  /** A settlement's transaction, on the background database. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.background.transaction().execute(work);
  }

  /**
   * Adds a record per message whose target exists, in the caller's transaction; a message already recorded for a
   * target is passed over. Given a lease, the first `lease.count` records are written leased to its owner and
   * returned (those actually written: not one passed over), for the owner to push once the caller commits.
   */
  async enqueue(
    trx: Transaction<Database>,
    deliveries: readonly (NewDelivery & { id: string })[],
    at: string,
    lease?: { owner: string; until: string; count: number },
  ): Promise<{ recorded: number; leased: LeasedDelivery[] }> {
    if (deliveries.length === 0) return { recorded: 0, leased: [] };
    const targets = await trx.selectFrom('delivery_targets').select(['id', 'owner']).where('id', 'in', [...new Set(deliveries.map((delivery) => delivery.targetId))]).execute();
    const owners = new Map(targets.map((target) => [target.id, target.owner]));
    const rows: DeliveryTable[] = deliveries.flatMap((delivery) => {
      const owner = owners.get(delivery.targetId);
      if (owner === undefined) return [];
      return [{
        id: delivery.id,
        target_id: delivery.targetId,
        owner,
        topic: delivery.topic,
        message_key: delivery.key,
        headers: JSON.stringify(delivery.headers),
        body: delivery.body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        last_status: null,
        created_at: at,
        delivered_at: null,
        failed_at: null,
      }];
    });
    if (rows.length === 0) return { recorded: 0, leased: [] };
    const taken = lease === undefined ? [] : rows.slice(0, lease.count);
    for (const row of taken) Object.assign(row, { lease_owner: lease?.owner ?? null, lease_until: lease?.until ?? null });
    const insert = trx.insertInto('deliveries').values(rows).onConflict((conflict) => conflict.columns(['target_id', 'message_key']).doNothing());
    if (taken.length === 0) {
      await insert.execute();
      return { recorded: rows.length, leased: [] };
    }
    const written = new Set((await insert.returning('id').execute()).map((row) => row.id));
    return { recorded: rows.length, leased: taken.filter((row) => written.has(row.id)).map(toLeased) };
  }

  /**
   * Leases up to `limit` due records to `leaseOwner` until `leaseUntil`: a record is due when pending, its next
   * attempt has come and no live lease holds it. On PostgreSQL the candidates are locked with SKIP LOCKED and
   * the lease condition is checked again on the row itself, so two processes never lease one record; SQLite has
   * one writer. A process that dies mid-push leaves its records to whoever comes after the lease.
   */
  async lease(now: string, leaseOwner: string, leaseUntil: string, limit: number, topics: readonly string[] | undefined): Promise<LeasedDelivery[]> {
    const due = await this.background
      .selectFrom('deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .$if(topics !== undefined, (query) => query.where('topic', 'in', [...(topics ?? [])]))
      .limit(1)
      .executeTakeFirst();
    // Most polls find nothing: look before taking the write lock.
    if (due === undefined) return [];
    const rows = await this.background
      .updateTable('deliveries')
      .set({ lease_owner: leaseOwner, lease_until: leaseUntil })
      .where('id', 'in', (eb) => {
        const candidates = eb
          .selectFrom('deliveries')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((inner) => inner.or([inner('lease_until', 'is', null), inner('lease_until', '<=', now)]))
          .$if(topics !== undefined, (query) => query.where('topic', 'in', [...(topics ?? [])]))
          .orderBy('next_attempt_at')
          .limit(limit);
        return this.dialect === 'postgres' ? candidates.forUpdate().skipLocked() : candidates;
      })
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .returningAll()
      .execute();
    return rows.map(toLeased);
  }

  /** Records a failed attempt's outcome, if the lease is still this process's (a lease that ran out may be another's now). */
  async settle(
    trx: Transaction<Database>,
    id: string,
    leaseOwner: string,
    outcome: { status: DeliveryStatus; attempts: number; at: string; nextAttemptAt: string; lastError: string | null; lastStatus: number | null },
  ): Promise<boolean> {
    const result = await trx
      .updateTable('deliveries')
      .set({
        status: outcome.status,
        attempts: outcome.attempts,
        next_attempt_at: outcome.nextAttemptAt,
        last_error: outcome.lastError === null ? null : outcome.lastError.slice(0, 500),
        last_status: outcome.lastStatus,
        lease_owner: null,
        lease_until: null,
        ...(outcome.status === 'delivered' ? { delivered_at: outcome.at } : {}),
        ...(outcome.status === 'failed' ? { failed_at: outcome.at } : {}),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', leaseOwner)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Marks records delivered, those whose lease is still this process's: one statement per answer status (nearly always one). */
  async settleDelivered(trx: Transaction<Database>, delivered: readonly { id: string; attempts: number; lastStatus: number | null }[], leaseOwner: string, at: string, now: string): Promise<void> {
    const byShape = new Map<string, { attempts: number; lastStatus: number | null; ids: string[] }>();
    for (const record of delivered) {
      const shape = `${String(record.attempts)} ${String(record.lastStatus)}`;
      const group = byShape.get(shape) ?? { attempts: record.attempts, lastStatus: record.lastStatus, ids: [] };
      group.ids.push(record.id);
      byShape.set(shape, group);
    }
    for (const group of byShape.values()) {
      await trx
        .updateTable('deliveries')
        .set({ status: 'delivered', attempts: group.attempts, next_attempt_at: now, last_error: null, last_status: group.lastStatus, lease_owner: null, lease_until: null, delivered_at: at })
        .where('id', 'in', group.ids)
        .where('lease_owner', '=', leaseOwner)
        .execute();
    }
  }

  async list(owner: string, filter: { targetId?: string | undefined; status?: DeliveryStatus | undefined; limit: number }): Promise<DeliveryTable[]> {
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('owner', '=', owner)
      .$if(filter.targetId !== undefined, (query) => query.where('target_id', '=', filter.targetId ?? ''))
      .$if(filter.status !== undefined, (query) => query.where('status', '=', filter.status ?? 'pending'))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  async findByKey(targetId: string, key: string): Promise<DeliveryTable | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('target_id', '=', targetId).where('message_key', '=', key).executeTakeFirst();
  }

  async byKeys(targetKeys: readonly { targetId: string; key: string }[]): Promise<DeliveryTable[]> {
    if (targetKeys.length === 0) return [];
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .where((eb) => eb.or(targetKeys.map((targetKey) => eb.and([eb('target_id', '=', targetKey.targetId), eb('message_key', '=', targetKey.key)]))))
      .execute();
  }

  /** Gives up a pending record now, whoever holds its lease (an attempt in flight then settles nothing). */
  async abandon(targetId: string, key: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('deliveries')
      .set({ status: 'failed', failed_at: at, lease_owner: null, lease_until: null })
      .where('target_id', '=', targetId)
      .where('message_key', '=', key)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async summary(targetId: string): Promise<{ pending: number; delivered: number; failed: number; lastError: string | null }> {
    const counts = await this.db
      .selectFrom('deliveries')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('target_id', '=', targetId)
      .groupBy('status')
      .execute();
    const latest = await this.db
      .selectFrom('deliveries')
      .select('last_error')
      .where('target_id', '=', targetId)
      .where('status', '!=', 'delivered')
      .where('last_error', 'is not', null)
      .orderBy(sql`coalesce(failed_at, next_attempt_at)`, 'desc')
      .limit(1)
      .executeTakeFirst();
    const of = (status: DeliveryStatus) => Number(counts.find((row) => row.status === status)?.count ?? 0);
    return { pending: of('pending'), delivered: of('delivered'), failed: of('failed'), lastError: latest?.last_error ?? null };
  }
}

function toLeased(row: DeliveryTable): LeasedDelivery {
  return {
    id: row.id,
    targetId: row.target_id,
    owner: row.owner,
    topic: row.topic,
    key: row.message_key,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body,
    attempts: row.attempts,
  };
}
