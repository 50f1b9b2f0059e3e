import type { Transaction } from 'kysely';
import type { DomainEvent, EventConsumer, EventPayload, EventType } from '../events/index.js';
import type { Database } from '../../store/schema.js';
import { DOC_TYPE_METRIC, WHOLE_SUBMISSION, type StatsRepository } from './stats.repository.js';

export const STATS_CONSUMER = 'stats';

const TYPES = ['submission.submitted', 'submission.status-changed', 'part.status-changed', 'message.queued', 'message.acked'] as const satisfies readonly EventType[];
const CLOSING = new Set(['released', 'approved', 'rejected', 'refused', 'cancelled']);
const DECISION = new Set(['released', 'approved', 'rejected', 'refused']);

/**
 * Keeps the dashboard's counts from the event log: a fold of each event into counters, in the transaction that
 * moves the cursor, so each event counts once. Replaying the log from 0 into empty tables gives the same counts.
 */
export function statsConsumer(repository: StatsRepository): EventConsumer {
  return {
    name: STATS_CONSUMER,
    types: TYPES,
    async handle(trx: Transaction<Database>, events: readonly DomainEvent[]): Promise<void> {
      for (const event of events) await countEvent(trx, repository, event);
    },
  };
}

async function countEvent(trx: Transaction<Database>, repository: StatsRepository, event: DomainEvent): Promise<void> {
  const day = event.at.slice(0, 10);
  switch (event.type) {
    case 'submission.submitted':
      await repository.count(trx, event.tenant, day, WHOLE_SUBMISSION, 'submitted');
      await repository.count(trx, event.tenant, day, WHOLE_SUBMISSION, `${DOC_TYPE_METRIC}${(event.payload as EventPayload<'submission.submitted'>).docType}`);
      return;
    case 'submission.status-changed': {
      const payload = event.payload as EventPayload<'submission.status-changed'>;
      if (CLOSING.has(payload.to)) await repository.count(trx, event.tenant, day, WHOLE_SUBMISSION, payload.to);
      return;
    }
    case 'part.status-changed': {
      const payload = event.payload as EventPayload<'part.status-changed'>;
      if (payload.from === null) {
        await repository.count(trx, event.tenant, day, payload.agency, 'parts');
        await repository.partStored(trx, { tenant: event.tenant, submissionId: payload.submissionId, agency: payload.agency, status: payload.to, at: event.at });
        return;
      }
      await repository.partMoved(trx, payload.submissionId, payload.agency, payload.to, event.at);
      if (DECISION.has(payload.to)) await repository.count(trx, event.tenant, day, payload.agency, payload.to);
      return;
    }
    case 'message.queued':
      await repository.inboxChanged(trx, event.tenant, (event.payload as EventPayload<'message.queued'>).agency, 1);
      return;
    case 'message.acked':
      await repository.inboxChanged(trx, event.tenant, (event.payload as EventPayload<'message.acked'>).agency, -1);
      return;
    case 'decision.recorded':
    case 'amendment.requested':
    case 'amendment.decided':
    case 'ledger.entry-appended':
    case 'tracking.event-appended':
      return;
  }
}
