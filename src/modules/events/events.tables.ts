import type { Generated } from 'kysely';
import type { EventType, SubjectKind } from './events.catalogue.js';

/** One domain event; seq is the log's order (commit order: appends are serialised), event_id makes appends idempotent. */
export interface DomainEventTable {
  seq: Generated<number>;
  event_id: string;
  type: EventType;
  tenant_id: string;
  subject_kind: SubjectKind;
  subject_id: string;
  doc_type: string | null;
  /** JSON text of the event's payload (its schema is the type's, events.catalogue.ts). */
  payload: string;
  at: string;
  /** PostgreSQL: the appending transaction's id (0029), so that readers follow commit order; 0 on SQLite. */
  tx_id: Generated<number>;
}

/** How far a named consumer has read the log: the last seq it handled. */
export interface EventConsumerTable {
  name: string;
  seq: number;
  updated_at: string;
}

/** The event log's tables: the log and its consumers' cursors. Only the module's repositories touch them. */
export interface EventTables {
  domain_events: DomainEventTable;
  event_consumers: EventConsumerTable;
}
