import type { Principal } from '../parties/index.js';
import type { ConsumerRunner } from '../events/index.js';
import { DOC_TYPE_METRIC, WHOLE_SUBMISSION, type StatsRepository, type StatsWindow } from './stats.repository.js';
import type { AgencyStats, DayStats, Stats } from './stats.schema.js';
import { authorize } from '../policies/index.js';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

/**
 * The operators' dashboard: volumes, decisions, clearance times and queues of their tenant, by UTC day, from the
 * counts its consumer of the domain event log keeps (stats.consumer.ts); it reads no other module's table.
 */
export class StatsService {
  constructor(
    private readonly repository: StatsRepository,
    private readonly runner: ConsumerRunner,
  ) {}

  /** Keeps the counts up to date in the background (a dashboard read also catches up first). */
  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Counts what the log holds now; returns how many events were read. */
  catchUp(): Promise<number> {
    return this.runner.catchUp();
  }

  /** Recounts everything from the log's start (invariant 6: the counts are a projection of the log). */
  rebuild(): Promise<number> {
    return this.runner.rebuild((trx) => this.repository.clear(trx));
  }

  /** The operator's tenant over the last `days` UTC days, today included; anyone else is FORBIDDEN. */
  async dashboard(caller: Principal, days: number = DEFAULT_DAYS, now: Date = new Date()): Promise<Stats> {
    authorize(caller, 'stats.read');
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const dates = Array.from({ length: days }, (_, index) => new Date(today - (days - 1 - index) * DAY_MS).toISOString().slice(0, 10));
    const window: StatsWindow = { tenant: caller.tenant, fromDay: dates[0] ?? '', untilDay: new Date(today + DAY_MS).toISOString().slice(0, 10) };

    await this.runner.catchUp();
    const [counts, releases, open, pending] = await Promise.all([
      this.repository.dayCounts(window),
      this.repository.releases(window),
      this.repository.openPerAgency(caller.tenant),
      this.repository.inboxPendingPerAgency(caller.tenant),
    ]);

    const byDay = new Map<string, DayStats>(dates.map((date) => [date, { date, submitted: 0, released: 0, approved: 0, rejected: 0, refused: 0, cancelled: 0 }]));
    const docTypes = new Map<string, number>();
    for (const row of counts) {
      const day = byDay.get(row.day);
      if (row.agency !== WHOLE_SUBMISSION || day === undefined) continue;
      if (row.metric === 'submitted' || row.metric === 'released' || row.metric === 'approved' || row.metric === 'rejected' || row.metric === 'refused' || row.metric === 'cancelled') day[row.metric] += row.count;
      if (row.metric.startsWith(DOC_TYPE_METRIC)) docTypes.set(row.metric.slice(DOC_TYPE_METRIC.length), (docTypes.get(row.metric.slice(DOC_TYPE_METRIC.length)) ?? 0) + row.count);
    }

    const agencies = new Map<string, AgencyStats>();
    const agency = (code: string): AgencyStats => {
      let found = agencies.get(code);
      if (found === undefined) {
        found = {
          agency: code,
          parts: 0,
          released: 0,
          approved: 0,
          rejected: 0,
          refused: 0,
          rejectionRate: null,
          clearanceMinutes: { count: 0, median: null, p90: null },
          open: { submitted: 0, delivered: 0, accepted: 0, inspection: 0 },
          inboxPending: 0,
        };
        agencies.set(code, found);
      }
      return found;
    };
    for (const row of counts) {
      if (row.agency === WHOLE_SUBMISSION) continue;
      if (row.metric === 'parts' || row.metric === 'released' || row.metric === 'approved' || row.metric === 'rejected' || row.metric === 'refused') agency(row.agency)[row.metric] += row.count;
    }
    for (const row of open) {
      if (row.status === 'submitted' || row.status === 'delivered' || row.status === 'accepted' || row.status === 'inspection') agency(row.agency).open[row.status] += row.count;
    }
    for (const row of pending) agency(row.agency).inboxPending += row.count;
    const durations = new Map<string, number[]>();
    for (const row of releases) durations.set(row.agency, [...(durations.get(row.agency) ?? []), (Date.parse(row.releasedAt) - Date.parse(row.storedAt)) / 60_000]);
    for (const [code, minutes] of durations) agency(code).clearanceMinutes = summarizeMinutes(minutes);
    for (const stats of agencies.values()) {
      const decided = stats.released + stats.approved + stats.rejected + stats.refused;
      stats.rejectionRate = decided === 0 ? null : round((stats.rejected + stats.refused) / decided, 4);
    }

    return {
      tenant: caller.tenant,
      from: dates[0] ?? '',
      to: dates.at(-1) ?? '',
      generatedAt: now.toISOString(),
      days: [...byDay.values()],
      agencies: [...agencies.values()].sort((a, b) => (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0)),
      docTypes: [...docTypes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([docType, submitted]) => ({ docType, submitted })),
    };
  }
}

/** Count, median and 90th percentile of durations in minutes, to 0.1 minute; null percentiles when there are none. */
export function summarizeMinutes(minutes: readonly number[]): AgencyStats['clearanceMinutes'] {
  if (minutes.length === 0) return { count: 0, median: null, p90: null };
  const sorted = [...minutes].sort((a, b) => a - b);
  return { count: sorted.length, median: round(percentile(sorted, 0.5), 1), p90: round(percentile(sorted, 0.9), 1) };
}

/** The p-quantile of sorted values, interpolating linearly between the closest ranks (Hyndman and Fan's type 7). */
export function percentile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const below = sorted[lower] ?? 0;
  const above = sorted[Math.min(lower + 1, sorted.length - 1)] ?? below;
  return below + (above - below) * (position - lower);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
