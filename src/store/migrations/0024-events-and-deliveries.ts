import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

const BATCH = 500;

// The rows this migration reads, as they were when it was written.
interface HistoryRow { seq: number; submission_id: string; agency: string | null; from_status: string | null; to_status: string; actor: string; reasons: string | null; at: string; tenant_id: string; doc_type: string; number: string | null; declarant: string; trader: string | null }
interface PartRow { submission_id: string; agency: string; doc_type: string }
interface OutboxRow { seq: number; message_id: string; agency: string; kind: string; submission_id: string; created_at: string; acked_at: string | null; tenant_id: string; doc_type: string }
interface WebhookRow { agency: string; url: string; secret: string; created_at: string }
interface PendingPushRow { message_id: string; agency: string; attempts: number; next_attempt_at: string; last_error: string | null; created_at: string; seq: number; kind: string; submission_id: string; payload: string; message_created_at: string; delivered_at: string }

/**
 * The domain event log (one append-only sequence every module writes to in the transaction of its change) and
 * the consumers' cursors over it; the stats module's counters, kept by its consumer of the log; the delivery
 * engine's targets and records (one per target and message).
 *
 * Existing data: the log is backfilled from submission_history (submissions stored, their and their parts'
 * status changes) and the exchange's outbox and inbox (messages queued and acknowledged), in that order, so that
 * the stats consumer, starting from seq 0, counts what the dashboard counted before. Agency webhooks become
 * delivery targets, and pushes still pending become pending delivery records. The old tables stay, unread.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const sequence = dialect === 'postgres' ? 'bigserial' : 'integer';

  await db.schema.createTable('domain_events')
    .addColumn('seq', sequence, (col) => (dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement()))
    .addColumn('event_id', 'text', (col) => col.notNull().unique())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('subject_kind', 'text', (col) => col.notNull())
    .addColumn('subject_id', 'text', (col) => col.notNull())
    .addColumn('doc_type', 'text')
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('domain_events_tenant').on('domain_events').columns(['tenant_id', 'seq']).execute();
  await db.schema.createIndex('domain_events_subject').on('domain_events').columns(['subject_kind', 'subject_id', 'seq']).execute();

  await db.schema.createTable('event_consumers')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  // The stats consumer's own tables: counts per tenant, UTC day, agency ('' for a whole submission) and metric;
  // each part's current status and times; each agency's unacknowledged messages.
  await db.schema.createTable('stats_day_counts')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('agency', 'text', (col) => col.notNull())
    .addColumn('metric', 'text', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('stats_day_counts_pk', ['tenant_id', 'day', 'agency', 'metric'])
    .execute();
  await db.schema.createTable('stats_parts')
    .addColumn('submission_id', 'text', (col) => col.notNull())
    .addColumn('agency', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('stored_at', 'text', (col) => col.notNull())
    .addColumn('released_at', 'text')
    .addPrimaryKeyConstraint('stats_parts_pk', ['submission_id', 'agency'])
    .execute();
  await db.schema.createIndex('stats_parts_tenant').on('stats_parts').columns(['tenant_id', 'status']).execute();
  await db.schema.createIndex('stats_parts_released').on('stats_parts').columns(['tenant_id', 'released_at']).execute();
  await db.schema.createTable('stats_inbox')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('agency', 'text', (col) => col.notNull())
    .addColumn('pending', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('stats_inbox_pk', ['tenant_id', 'agency'])
    .execute();

  await db.schema.createTable('delivery_targets')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('owner', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createTable('deliveries')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('target_id', 'text', (col) => col.notNull())
    .addColumn('owner', 'text', (col) => col.notNull())
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('message_key', 'text', (col) => col.notNull())
    .addColumn('headers', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('failed_at', 'text')
    .addUniqueConstraint('deliveries_target_key', ['target_id', 'message_key'])
    .execute();
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('deliveries_owner').on('deliveries').columns(['owner', 'created_at']).execute();

  await backfillEvents(db);
  await moveWebhooks(db);
}

async function backfillEvents(db: Kysely<any>): Promise<void> {
  for (let after = -1; ; ) {
    const rows = (await db
      .selectFrom('submission_history as h')
      .innerJoin('submissions as s', 's.id', 'h.submission_id')
      .select(['h.seq', 'h.submission_id', 'h.agency', 'h.from_status', 'h.to_status', 'h.actor', 'h.reasons', 'h.at', 's.tenant_id', 's.doc_type', 's.number', 's.declarant_id as declarant', 's.trader_id as trader'])
      .where('h.seq', '>', after)
      .orderBy('h.seq')
      .limit(BATCH)
      .execute()) as HistoryRow[];
    if (rows.length === 0) break;
    after = Number(rows.at(-1)?.seq);
    const starts = rows.filter((row) => row.agency === null && row.from_status === null).map((row) => row.submission_id);
    const parts = starts.length === 0 ? [] : ((await db.selectFrom('parts').select(['submission_id', 'agency', 'doc_type']).where('submission_id', 'in', starts).orderBy('agency').execute()) as PartRow[]);
    const events = rows.flatMap((row) => {
      const base = { event_id: `backfill-history-${row.seq}`, tenant_id: row.tenant_id, subject_kind: 'submission', subject_id: row.submission_id, doc_type: row.doc_type, at: row.at };
      if (row.agency !== null) {
        const reasons = row.reasons === null ? [] : (JSON.parse(row.reasons) as unknown[]);
        return [{ ...base, type: 'part.status-changed', payload: JSON.stringify({ submissionId: row.submission_id, agency: row.agency, from: row.from_status, to: row.to_status, actor: row.actor, reasons }) }];
      }
      if (row.from_status === null) {
        const ofThis = parts.filter((part) => part.submission_id === row.submission_id).map((part) => ({ agency: part.agency, docType: part.doc_type }));
        return [{ ...base, type: 'submission.submitted', payload: JSON.stringify({ submissionId: row.submission_id, number: row.number, docType: row.doc_type, declarant: row.declarant, trader: row.trader, parts: ofThis }) }];
      }
      return [{ ...base, type: 'submission.status-changed', payload: JSON.stringify({ submissionId: row.submission_id, from: row.from_status, to: row.to_status, actor: row.actor }) }];
    });
    await db.insertInto('domain_events').values(events).execute();
  }

  for (let after = -1; ; ) {
    const rows = (await db
      .selectFrom('outbox as o')
      .innerJoin('submissions as s', 's.id', 'o.submission_id')
      .leftJoin('inbox as i', 'i.message_id', 'o.message_id')
      .select(['o.seq', 'o.message_id', 'o.agency', 'o.kind', 'o.submission_id', 'o.created_at', 'i.acked_at', 's.tenant_id', 's.doc_type'])
      .where('o.seq', '>', after)
      .orderBy('o.seq')
      .limit(BATCH)
      .execute()) as OutboxRow[];
    if (rows.length === 0) break;
    after = Number(rows.at(-1)?.seq);
    const events = rows.flatMap((row) => {
      const base = { tenant_id: row.tenant_id, subject_kind: 'submission', subject_id: row.submission_id, doc_type: row.doc_type };
      const payload = JSON.stringify({ messageId: row.message_id, agency: row.agency, kind: row.kind, submissionId: row.submission_id });
      const queued = { ...base, event_id: `backfill-queued-${row.message_id}`, type: 'message.queued', payload, at: row.created_at };
      return row.acked_at === null ? [queued] : [queued, { ...base, event_id: `backfill-acked-${row.message_id}`, type: 'message.acked', payload, at: row.acked_at }];
    });
    await db.insertInto('domain_events').values(events).execute();
  }
}

async function moveWebhooks(db: Kysely<any>): Promise<void> {
  const hooks = (await db.selectFrom('webhooks').selectAll().execute()) as WebhookRow[];
  if (hooks.length > 0) {
    await db
      .insertInto('delivery_targets')
      .values(hooks.map((hook) => ({ id: `webhook:${hook.agency}`, owner: hook.agency, url: hook.url, secret: hook.secret, created_at: hook.created_at })))
      .execute();
  }
  const pending = (await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('inbox as i', 'i.message_id', 'd.message_id')
    .innerJoin('webhooks as w', 'w.agency', 'd.agency')
    .select(['d.message_id', 'd.agency', 'd.attempts', 'd.next_attempt_at', 'd.last_error', 'd.created_at', 'i.seq', 'i.kind', 'i.submission_id', 'i.payload', 'i.created_at as message_created_at', 'i.delivered_at'])
    .where('d.delivered_at', 'is', null)
    .where('d.failed_at', 'is', null)
    .execute()) as PendingPushRow[];
  for (let index = 0; index < pending.length; index += BATCH) {
    await db
      .insertInto('deliveries')
      .values(
        pending.slice(index, index + BATCH).map((row) => ({
          id: `dlv_${row.message_id}`,
          target_id: `webhook:${row.agency}`,
          owner: row.agency,
          topic: 'exchange.message',
          message_key: row.message_id,
          headers: JSON.stringify({ 'kouan-message-id': row.message_id }),
          // The body an agency receives: the inbox message as GET /inbox shows it, as before.
          body: JSON.stringify({
            messageId: row.message_id,
            seq: Number(row.seq),
            agency: row.agency,
            kind: row.kind,
            submissionId: row.submission_id,
            payload: JSON.parse(row.payload) as unknown,
            createdAt: row.message_created_at,
            deliveredAt: row.delivered_at,
            ackedAt: null,
          }),
          status: 'pending',
          attempts: row.attempts,
          next_attempt_at: row.next_attempt_at,
          lease_owner: null,
          lease_until: null,
          last_error: row.last_error,
          last_status: null,
          created_at: row.created_at,
          delivered_at: null,
          failed_at: null,
        })),
      )
      .execute();
  }
}
