import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../store/schema.js';

/**
 * The dashboard reads the submissions, parts, history and inbox tables of other modules, read-only, as a
 * report over them; it writes nothing.
 */

/** A tenant and a half-open time range [from, until) of ISO timestamps. */
export interface StatsWindow {
  readonly tenant: string;
  readonly from: string;
  readonly until: string;
}

export interface Counted {
  readonly key: string;
  readonly status: string;
  readonly count: number;
}

/**
 * The predicate of the partial index submission_history_closed (migration 0011), written out the same way, so
 * that both stores see that the index covers the query.
 */
const CLOSING: RawBuilder<SqlBool> = sql<SqlBool>`submission_history.to_status in ('released', 'rejected', 'refused', 'cancelled')`;
const DAY_OF_CREATION = sql<string>`substr(submissions.created_at, 1, 10)`;
const DAY_OF_CHANGE = sql<string>`substr(submission_history.at, 1, 10)`;
const OPEN_PART = ['submitted', 'delivered', 'accepted', 'inspection'] as const;
const DECISION = ['released', 'rejected', 'refused'] as const;

export class StatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Submissions stored per UTC day. */
  async submittedPerDay(window: StatsWindow): Promise<{ day: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('submissions')
      .select([DAY_OF_CREATION.as('day'), (eb) => eb.fn.countAll<number>().as('count')])
      .where('submissions.tenant_id', '=', window.tenant)
      .where('submissions.created_at', '>=', window.from)
      .where('submissions.created_at', '<', window.until)
      .groupBy(DAY_OF_CREATION)
      .execute();
    return rows.map((row) => ({ day: row.day, count: Number(row.count) }));
  }

  /** Submissions that closed (released, rejected, refused, cancelled) per UTC day; key is the day. */
  async closedPerDay(window: StatsWindow): Promise<Counted[]> {
    const rows = await this.db
      .selectFrom('submission_history')
      .innerJoin('submissions', 'submissions.id', 'submission_history.submission_id')
      .select([DAY_OF_CHANGE.as('key'), 'submission_history.to_status as status', (eb) => eb.fn.countAll<number>().as('count')])
      .where(CLOSING)
      .where('submission_history.agency', 'is', null)
      .where('submission_history.at', '>=', window.from)
      .where('submission_history.at', '<', window.until)
      .where('submissions.tenant_id', '=', window.tenant)
      .groupBy([DAY_OF_CHANGE, 'submission_history.to_status'])
      .execute();
    return rows.map((row) => ({ key: row.key, status: row.status, count: Number(row.count) }));
  }

  /** Parts routed to each agency in the window. */
  async partsPerAgency(window: StatsWindow): Promise<{ agency: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('parts')
      .innerJoin('submissions', 'submissions.id', 'parts.submission_id')
      .select(['parts.agency as agency', (eb) => eb.fn.countAll<number>().as('count')])
      .where('submissions.tenant_id', '=', window.tenant)
      // A submission's parts are stored with it: its creation time picks them, through the tenant's index.
      .where('submissions.created_at', '>=', window.from)
      .where('submissions.created_at', '<', window.until)
      .groupBy('parts.agency')
      .execute();
    return rows.map((row) => ({ agency: row.agency, count: Number(row.count) }));
  }

  /** Each agency's releases, rejections and refusals in the window; key is the agency. */
  async decisionsPerAgency(window: StatsWindow): Promise<Counted[]> {
    const rows = await this.db
      .selectFrom('submission_history')
      .innerJoin('submissions', 'submissions.id', 'submission_history.submission_id')
      .select(['submission_history.agency as key', 'submission_history.to_status as status', (eb) => eb.fn.countAll<number>().as('count')])
      .where(CLOSING)
      .where('submission_history.to_status', 'in', [...DECISION])
      .where('submission_history.agency', 'is not', null)
      .where('submission_history.at', '>=', window.from)
      .where('submission_history.at', '<', window.until)
      .where('submissions.tenant_id', '=', window.tenant)
      .groupBy(['submission_history.agency', 'submission_history.to_status'])
      .execute();
    return rows.map((row) => ({ key: row.key ?? '', status: row.status, count: Number(row.count) }));
  }

  /** When each part released in the window was stored, and when it was released. */
  async releases(window: StatsWindow): Promise<{ agency: string; createdAt: string; releasedAt: string }[]> {
    const rows = await this.db
      .selectFrom('submission_history')
      .innerJoin('submissions', 'submissions.id', 'submission_history.submission_id')
      .innerJoin('parts', (join) => join.onRef('parts.submission_id', '=', 'submission_history.submission_id').onRef('parts.agency', '=', 'submission_history.agency'))
      .select(['parts.agency as agency', 'parts.created_at as createdAt', 'submission_history.at as releasedAt'])
      .where(CLOSING)
      .where('submission_history.to_status', '=', 'released')
      .where('submission_history.at', '>=', window.from)
      .where('submission_history.at', '<', window.until)
      .where('submissions.tenant_id', '=', window.tenant)
      .execute();
    return rows;
  }

  /** Each agency's open parts of the tenant now, by status; key is the agency. */
  async openPerAgency(tenant: string): Promise<Counted[]> {
    const rows = await this.db
      .selectFrom('parts')
      .innerJoin('submissions', 'submissions.id', 'parts.submission_id')
      .select(['parts.agency as key', 'parts.status as status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('parts.status', 'in', [...OPEN_PART])
      .where('submissions.tenant_id', '=', tenant)
      .groupBy(['parts.agency', 'parts.status'])
      .execute();
    return rows.map((row) => ({ key: row.key, status: row.status, count: Number(row.count) }));
  }

  /** Inbox messages about the tenant's submissions not acknowledged yet, per agency. */
  async inboxPendingPerAgency(tenant: string): Promise<{ agency: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('inbox')
      .innerJoin('submissions', 'submissions.id', 'inbox.submission_id')
      .select(['inbox.agency as agency', (eb) => eb.fn.countAll<number>().as('count')])
      .where('inbox.acked_at', 'is', null)
      .where('submissions.tenant_id', '=', tenant)
      .groupBy('inbox.agency')
      .execute();
    return rows.map((row) => ({ agency: row.agency, count: Number(row.count) }));
  }
}
