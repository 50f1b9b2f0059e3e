import type { PartStatus } from '../doctypes/index.js';

export interface StatsDayCountTable {
  tenant_id: string;
  /** A UTC day, YYYY-MM-DD. */
  day: string;
  /** '' for counts of whole submissions. */
  agency: string;
  metric: string;
  count: number;
}

export interface StatsPartTable {
  submission_id: string;
  agency: string;
  tenant_id: string;
  status: PartStatus;
  stored_at: string;
  released_at: string | null;
}

export interface StatsInboxTable {
  tenant_id: string;
  agency: string;
  pending: number;
}

/** The stats consumer's tables, folded from the event log only. Only the module's repositories touch them. */
export interface StatsTables {
  stats_day_counts: StatsDayCountTable;
  stats_parts: StatsPartTable;
  stats_inbox: StatsInboxTable;
}
