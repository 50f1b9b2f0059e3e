import type { Principal } from '../parties/index.js';
import { KouanError } from '../../shared/errors.js';
import type { StatsRepository, StatsWindow } from './stats.repository.js';
import type { AgencyStats, DayStats, Stats } from './stats.schema.js';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

/** The operators' dashboard: volumes, decisions, clearance times and queues of their tenant, by UTC day. */
export class StatsService {
  constructor(private readonly repository: StatsRepository) {}

  /** The operator's tenant over the last `days` UTC days, today included; anyone else is FORBIDDEN. */
  async dashboard(caller: Principal, days: number = DEFAULT_DAYS, now: Date = new Date()): Promise<Stats> {
    if (caller.kind !== 'operator') throw new KouanError('FORBIDDEN');
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const dates = Array.from({ length: days }, (_, index) => new Date(today - (days - 1 - index) * DAY_MS).toISOString().slice(0, 10));
    const window: StatsWindow = { tenant: caller.tenant, from: new Date(today - (days - 1) * DAY_MS).toISOString(), until: new Date(today + DAY_MS).toISOString() };

    const [submitted, closed, parts, decisions, releases, open, pending] = await Promise.all([
      this.repository.submittedPerDay(window),
      this.repository.closedPerDay(window),
      this.repository.partsPerAgency(window),
      this.repository.decisionsPerAgency(window),
      this.repository.releases(window),
      this.repository.openPerAgency(caller.tenant),
      this.repository.inboxPendingPerAgency(caller.tenant),
    ]);

    const byDay = new Map<string, DayStats>(dates.map((date) => [date, { date, submitted: 0, released: 0, rejected: 0, refused: 0, cancelled: 0 }]));
    for (const row of submitted) {
      const day = byDay.get(row.day);
      if (day !== undefined) day.submitted += row.count;
    }
    for (const row of closed) {
      const day = byDay.get(row.key);
      if (day === undefined) continue;
      if (row.status === 'released' || row.status === 'rejected' || row.status === 'refused' || row.status === 'cancelled') day[row.status] += row.count;
    }

    const agencies = new Map<string, AgencyStats>();
    const agency = (code: string): AgencyStats => {
      let found = agencies.get(code);
      if (found === undefined) {
        found = {
          agency: code,
          parts: 0,
          released: 0,
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
    for (const row of parts) agency(row.agency).parts += row.count;
    for (const row of decisions) {
      if (row.status === 'released' || row.status === 'rejected' || row.status === 'refused') agency(row.key)[row.status] += row.count;
    }
    for (const row of open) {
      if (row.status === 'submitted' || row.status === 'delivered' || row.status === 'accepted' || row.status === 'inspection') agency(row.key).open[row.status] += row.count;
    }
    for (const row of pending) agency(row.agency).inboxPending += row.count;
    const durations = new Map<string, number[]>();
    for (const row of releases) durations.set(row.agency, [...(durations.get(row.agency) ?? []), (Date.parse(row.releasedAt) - Date.parse(row.createdAt)) / 60_000]);
    for (const [code, minutes] of durations) agency(code).clearanceMinutes = summarizeMinutes(minutes);
    for (const stats of agencies.values()) {
      const decided = stats.released + stats.rejected + stats.refused;
      stats.rejectionRate = decided === 0 ? null : round((stats.rejected + stats.refused) / decided, 4);
    }

    return {
      tenant: caller.tenant,
      from: dates[0] ?? '',
      to: dates.at(-1) ?? '',
      generatedAt: now.toISOString(),
      days: [...byDay.values()],
      agencies: [...agencies.values()].sort((a, b) => (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0)),
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
