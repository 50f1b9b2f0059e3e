import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Tracking subscriptions are pushed by the delivery engine, like agency webhooks: each subscription becomes a
 * delivery target (`tracking:<id>`, its URL and secret), each push a delivery record with the engine's leases,
 * backoff and history. The subscription keeps its cursor (what was delivered) and the key of the push on its
 * way (`pending_key`), which takes it to `pending_to` once delivered.
 *
 * The attempts kept in tracking_deliveries become records: a delivered push as a delivered record, and the push
 * a failing subscription gave up on as a failed one. A push being retried at the upgrade starts again from the
 * cursor with a fresh count. tracking_deliveries and the subscriptions' retry columns stay, unread, for a downgrade.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('tracking_subscriptions').addColumn('pending_key', 'text').execute();
  await db.schema.alterTable('tracking_subscriptions').addColumn('pending_to', 'bigint').execute();

  const subscriptions = (await db.selectFrom('tracking_subscriptions').select(['id', 'party_id', 'url', 'secret', 'status', 'created_at']).execute()) as SubscriptionRow[];
  for (let index = 0; index < subscriptions.length; index += BATCH) {
    const batch = subscriptions.slice(index, index + BATCH);
    await db
      .insertInto('delivery_targets')
      .values(batch.map((row) => ({ id: `tracking:${row.id}`, owner: row.party_id, url: row.url, secret: row.secret, created_at: row.created_at })))
      .execute();
  }
  const owners = new Map(subscriptions.map((row) => [row.id, row]));

  const attempts = (await db.selectFrom('tracking_deliveries').selectAll().orderBy('seq').execute()) as AttemptRow[];
  // One record per push: the attempts of one subscription at one first seq, in order.
  const pushes = new Map<string, AttemptRow[]>();
  for (const attempt of attempts) {
    const key = `${attempt.subscription_id}\n${String(attempt.first_seq)}`;
    pushes.set(key, [...(pushes.get(key) ?? []), attempt]);
  }
  const lastPush = new Map<string, string>();
  for (const [key, rows] of pushes) lastPush.set(rows[0]?.subscription_id ?? '', key);

  const records = [...pushes].flatMap(([key, rows]) => {
    const first = rows[0];
    const last = rows.at(-1);
    const subscription = owners.get(first?.subscription_id ?? '');
    if (first === undefined || last === undefined || subscription === undefined) return [];
    const delivered = last.outcome === 'delivered';
    // Failed attempts followed by none that delivered: a record only when the subscription gave up on them.
    if (!delivered && !(subscription.status === 'failing' && lastPush.get(subscription.id) === key)) return [];
    const messageKey = `migrated-${String(first.subscription_id)}-${String(first.first_seq)}`;
    return [
      {
        id: `dlv_${messageKey}`,
        target_id: `tracking:${subscription.id}`,
        owner: subscription.party_id,
        topic: 'tracking.push',
        message_key: messageKey,
        headers: JSON.stringify({ 'kouan-subscription-id': subscription.id, 'kouan-first-seq': String(first.first_seq), 'kouan-last-seq': String(last.last_seq), 'kouan-event-count': String(last.events) }),
        // The body of a push already sent is not kept: it is never sent again (a replay reads the log).
        body: '',
        status: delivered ? 'delivered' : 'failed',
        attempts: rows.length,
        next_attempt_at: last.attempted_at,
        lease_owner: null,
        lease_until: null,
        last_error: last.error,
        last_status: last.http_status,
        created_at: first.attempted_at,
        delivered_at: delivered ? last.attempted_at : null,
        failed_at: delivered ? null : last.attempted_at,
      },
    ];
  });
  for (let index = 0; index < records.length; index += BATCH) await db.insertInto('deliveries').values(records.slice(index, index + BATCH)).execute();

  // A failing subscription waits on the record it gave up on, until a replay.
  for (const subscription of subscriptions.filter((row) => row.status === 'failing')) {
    const key = lastPush.get(subscription.id);
    const rows = key === undefined ? undefined : pushes.get(key);
    const first = rows?.[0];
    const last = rows?.at(-1);
    if (first === undefined || last === undefined || last.outcome === 'delivered') continue;
    await db
      .updateTable('tracking_subscriptions')
      .set({ pending_key: `migrated-${String(first.subscription_id)}-${String(first.first_seq)}`, pending_to: last.last_seq })
      .where('id', '=', subscription.id)
      .execute();
  }
}

const BATCH = 200;

interface SubscriptionRow {
  id: string;
  party_id: string;
  url: string;
  secret: string;
  status: string;
  created_at: string;
}

interface AttemptRow {
  seq: number | string;
  subscription_id: string;
  attempted_at: string;
  first_seq: number | string;
  last_seq: number | string;
  events: number;
  attempt: number;
  outcome: string;
  http_status: number | null;
  error: string | null;
}
