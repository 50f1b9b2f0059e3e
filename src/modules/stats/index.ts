import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { StatsRepository } from './stats.repository.js';
import { StatsService } from './stats.service.js';

export { StatsService, percentile, summarizeMinutes } from './stats.service.js';
export { AgencyStatsSchema, DayStatsSchema, StatsQuerySchema, StatsSchema } from './stats.schema.js';
export type { AgencyStats, DayStats, Stats, StatsQuery } from './stats.schema.js';

/** The stats module: the operators' dashboard, a read-only report over submissions, parts, history and inboxes. */
export function createStatsModule(db: Kysely<Database>): StatsService {
  return new StatsService(new StatsRepository(db));
}
