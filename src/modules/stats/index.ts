import type { Kysely } from 'kysely';
import type { EventLog } from '../events/index.js';
import type { Logger } from '../../shared/logger.js';
import type { Database } from '../../store/schema.js';
import { statsConsumer } from './stats.consumer.js';
import { StatsRepository } from './stats.repository.js';
import { StatsService } from './stats.service.js';

export { StatsService, percentile, summarizeMinutes } from './stats.service.js';
export { STATS_CONSUMER } from './stats.consumer.js';
export { AgencyStatsSchema, DayStatsSchema, StatsQuerySchema, StatsSchema } from './stats.schema.js';
export type { AgencyStats, DayStats, Stats, StatsQuery } from './stats.schema.js';

/** The stats module: the operators' dashboard, counted by its own consumer of the domain event log into its own tables. */
export function createStatsModule(db: Kysely<Database>, events: EventLog, logger: Logger, pollMs: number): StatsService {
  const repository = new StatsRepository(db);
  return new StatsService(repository, events.consumer(statsConsumer(repository), logger, { pollMs }));
}
