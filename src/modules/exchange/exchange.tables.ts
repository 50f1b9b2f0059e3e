import type { Generated } from 'kysely';
import type { MessageKind } from './exchange.schema.js';

export interface OutboxTable {
  seq: Generated<number>;
  message_id: string;
  agency: string;
  kind: MessageKind;
  submission_id: string;
  payload: string;
  created_at: string;
  dispatched_at: string | null;
}

export interface InboxTable {
  seq: Generated<number>;
  message_id: string;
  agency: string;
  kind: MessageKind;
  submission_id: string;
  payload: string;
  created_at: string;
  delivered_at: string;
  acked_at: string | null;
}

/** The exchange's tables: the outbox and the agencies' inboxes. Only the module's repositories touch them. */
export interface ExchangeTables {
  outbox: OutboxTable;
  inbox: InboxTable;
}
