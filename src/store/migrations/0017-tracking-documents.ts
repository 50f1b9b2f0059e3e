import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Replacement and cancellation, and people's language at the answer:
 * - tracking_events.document_id / document_function: the message an event came in (EDIFACT BGM 1004 / 1225), as
 *   columns so that the events of one publisher's document are found by an index; filled from the stored payload
 *   for events stored before.
 * - tracking_current is emptied: its state no longer holds English text (rendered per request now) and a container's
 *   is that of the shipment it is on now. Ingest recomputes a reference's state from the log when it has none, and
 *   `kouan tracking rebuild` recomputes them all (docs/tracking.md).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('tracking_events').addColumn('document_id', 'text').execute();
  await db.schema.alterTable('tracking_events').addColumn('document_function', 'text').execute();
  await db.schema.createIndex('tracking_events_document').on('tracking_events').columns(['tenant_id', 'document_id', 'publisher'])
    .where(sql.ref('document_id'), 'is not', null).execute();
  const rows = await db.selectFrom('tracking_events').select(['seq', 'payload']).where('payload', 'like', '%"document"%').execute();
  for (const row of rows as { seq: number | string; payload: string }[]) {
    const document = documentOf(row.payload);
    if (document === undefined) continue;
    await db.updateTable('tracking_events').set({ document_id: document.id, document_function: document.function }).where('seq', '=', row.seq).execute();
  }
  await db.deleteFrom('tracking_current').execute();
}

function documentOf(payload: string): { id: string; function: string } | undefined {
  try {
    const parsed = JSON.parse(payload) as { document?: { id?: unknown; function?: unknown } };
    const { id, function: role } = parsed.document ?? {};
    return typeof id === 'string' && typeof role === 'string' ? { id, function: role } : undefined;
  } catch {
    return undefined;
  }
}
