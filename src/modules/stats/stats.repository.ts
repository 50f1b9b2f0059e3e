import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { PartStatus } from '../doctypes/index.js';
import { PreparedQueries } from '../../store/prepared-queries.js';

/**
 * The dashboard's own tables (migration 0024), kept by its consumer of the domain event log (stats.consumer.ts):
 * counts per tenant, UTC day, agency and metric; each part's status and times; each agency's unacknowledged
 * messages. It reads no other module's table.
 */

/** A tenant and a half-open range [from, until) of UTC days (YYYY-MM-DD). */
export interface StatsWindow {
  readonly tenant: string;
  readonly fromDay: string;
  readonly untilDay: string;
}

export interface DayCount {
  readonly day: string;
  readonly agency: string;
  readonly metric: string;
  readonly count: number;
}

/** Submission-level counts are kept under this agency. */
export const WHOLE_SUBMISSION = '';
/** The metric prefix of the submissions stored per document type (`submitted:goods-declaration`). */
export const DOC_TYPE_METRIC = 'submitted:';

const OPEN_PART = ['submitted', 'delivered', 'accepted', 'inspection'] as const;

export class StatsRepository {
  /** Its counters' upserts, compiled once (prepared-queries.ts): the stats consumer runs a few per submission. */
  private readonly prepared = new PreparedQueries();
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Writes, by the consumer, in the transaction that moves its cursor.

  /** Adds `by` to a day's counter. */
  async count(trx: Transaction<Database>, tenant: string, day: string, agency: string, metric: string, by = 1): Promise<void> {
    await this.prepared.run(trx, 'count', { tenant, day, agency, metric, by }, (given) =>
      trx
        .insertInto('stats_day_counts')
        .values({ tenant_id: given.tenant, day: given.day, agency: given.agency, metric: given.metric, count: given.by })
        .onConflict((conflict) => conflict.columns(['tenant_id', 'day', 'agency', 'metric']).doUpdateSet({ count: sql<number>`stats_day_counts.count + ${given.by}` })),
    );
  }

  async partStored(trx: Transaction<Database>, part: { tenant: string; submissionId: string; agency: string; status: PartStatus; at: string }): Promise<void> {
    await this.prepared.run(trx, 'partStored', { ...part }, (given) =>
      trx
        .insertInto('stats_parts')
        .values({ tenant_id: given.tenant, submission_id: given.submissionId, agency: given.agency, status: given.status, stored_at: given.at, released_at: null })
        .onConflict((conflict) => conflict.columns(['submission_id', 'agency']).doUpdateSet({ status: given.status, stored_at: given.at })),
    );
  }

  async partMoved(trx: Transaction<Database>, submissionId: string, agency: string, status: PartStatus, at: string): Promise<void> {
    await trx
      .updateTable('stats_parts')
      .set(status === 'released' || status === 'approved' ? { status, released_at: at } : { status })
      .where('submission_id', '=', submissionId)
      .where('agency', '=', agency)
      .execute();
  }

  /** Adds `delta` (messages queued less messages acknowledged) to an inbox's pending count. */
  async inboxChanged(trx: Transaction<Database>, tenant: string, agency: string, delta: number): Promise<void> {
    await this.prepared.run(trx, 'inboxChanged', { tenant, agency, delta }, (given) =>
      trx
        .insertInto('stats_inbox')
        .values({ tenant_id: given.tenant, agency: given.agency, pending: given.delta })
        .onConflict((conflict) => conflict.columns(['tenant_id', 'agency']).doUpdateSet({ pending: sql<number>`stats_inbox.pending + ${given.delta}` })),
    );
  }

  /** Forgets every count (a rebuild replays the log from its start). */
  async clear(trx: Transaction<Database>): Promise<void> {
    await trx.deleteFrom('stats_day_counts').execute();
    await trx.deleteFrom('stats_parts').execute();
    await trx.deleteFrom('stats_inbox').execute();
  }

  // Reads, by the dashboard.

  async dayCounts(window: StatsWindow): Promise<DayCount[]> {
    const rows = await this.db
      .selectFrom('stats_day_counts')
      .select(['day', 'agency', 'metric', 'count'])
      .where('tenant_id', '=', window.tenant)
      .where('day', '>=', window.fromDay)
      .where('day', '<', window.untilDay)
      .execute();
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }

  /** When each part released in the window was stored, and when it was released. */
  async releases(window: StatsWindow): Promise<{ agency: string; storedAt: string; releasedAt: string }[]> {
    const rows = await this.db
      .selectFrom('stats_parts')
      .select(['agency', 'stored_at', 'released_at'])
      .where('tenant_id', '=', window.tenant)
      .where('released_at', '>=', window.fromDay)
      .where('released_at', '<', window.untilDay)
      .execute();
    return rows.map((row) => ({ agency: row.agency, storedAt: row.stored_at, releasedAt: row.released_at ?? row.stored_at }));
  }

  /** Each agency's open parts of the tenant now, by status. */
  async openPerAgency(tenant: string): Promise<{ agency: string; status: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('stats_parts')
      .select(['agency', 'status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('tenant_id', '=', tenant)
      .where('status', 'in', [...OPEN_PART])
      .groupBy(['agency', 'status'])
      .execute();
    return rows.map((row) => ({ agency: row.agency, status: row.status, count: Number(row.count) }));
  }

  async inboxPendingPerAgency(tenant: string): Promise<{ agency: string; count: number }[]> {
    const rows = await this.db.selectFrom('stats_inbox').select(['agency', 'pending']).where('tenant_id', '=', tenant).where('pending', '>', 0).execute();
    return rows.map((row) => ({ agency: row.agency, count: Number(row.pending) }));
  }
}
