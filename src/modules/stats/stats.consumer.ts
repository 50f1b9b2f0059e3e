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
      // The counters are sums: a batch's increments are added up first and each counter written once. The parts'
      // rows are written per event, in the log's order.
      const counts = new Tally<readonly [tenant: string, day: string, agency: string, metric: string]>();
      const inboxes = new Tally<readonly [tenant: string, agency: string]>();
      for (const event of events) await countEvent(trx, repository, event, counts, inboxes);
      for (const { key, delta } of counts.entries()) await repository.count(trx, key[0], key[1], key[2], key[3], delta);
      for (const { key, delta } of inboxes.entries()) if (delta !== 0) await repository.inboxChanged(trx, key[0], key[1], delta);
    },
  };
}

/** Sums of increments by key (the key's parts joined by a character no part holds). */
class Tally<K extends readonly string[]> {
  private readonly sums = new Map<string, { key: K; delta: number }>();

  add(key: K, delta: number): void {
    const text = key.join('\u0000');
    const sum = this.sums.get(text);
    if (sum === undefined) this.sums.set(text, { key, delta });
    else sum.delta += delta;
  }

  entries(): { key: K; delta: number }[] {
    return [...this.sums.values()];
  }
}

async function countEvent(
  trx: Transaction<Database>,
  repository: StatsRepository,
  event: DomainEvent,
  counts: Tally<readonly [string, string, string, string]>,
  inboxes: Tally<readonly [string, string]>,
): Promise<void> {
  const day = event.at.slice(0, 10);
  const count = (agency: string, metric: string) => counts.add([event.tenant, day, agency, metric], 1);
  switch (event.type) {
    case 'submission.submitted':
      count(WHOLE_SUBMISSION, 'submitted');
      count(WHOLE_SUBMISSION, `${DOC_TYPE_METRIC}${(event.payload as EventPayload<'submission.submitted'>).docType}`);
      return;
    case 'submission.status-changed': {
      const payload = event.payload as EventPayload<'submission.status-changed'>;
      if (CLOSING.has(payload.to)) count(WHOLE_SUBMISSION, payload.to);
      return;
    }
    case 'part.status-changed': {
      const payload = event.payload as EventPayload<'part.status-changed'>;
      if (payload.from === null) {
        count(payload.agency, 'parts');
        await repository.partStored(trx, { tenant: event.tenant, submissionId: payload.submissionId, agency: payload.agency, status: payload.to, at: event.at });
        return;
      }
      await repository.partMoved(trx, payload.submissionId, payload.agency, payload.to, event.at);
      if (DECISION.has(payload.to)) count(payload.agency, payload.to);
      return;
    }
    case 'message.queued':
      inboxes.add([event.tenant, (event.payload as EventPayload<'message.queued'>).agency], 1);
      return;
    case 'message.acked':
      inboxes.add([event.tenant, (event.payload as EventPayload<'message.acked'>).agency], -1);
      return;
    case 'decision.recorded':
    case 'amendment.requested':
    case 'amendment.decided':
    case 'ledger.entry-appended':
    case 'tracking.event-appended':
      return;
  }
}
