import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/** Indexes for the operators' dashboard (GET /api/v1/stats), so that a window of days reads only its own rows. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // Submissions of a tenant by day.
  await db.schema.createIndex('submissions_tenant_created').on('submissions').columns(['tenant_id', 'created_at']).execute();
  // Releases, rejections, refusals and cancellations (of parts and of submissions) by time; partial, so that the
  // many other status changes cost nothing more.
  await db.schema
    .createIndex('submission_history_closed')
    .on('submission_history')
    .column('at')
    .where(sql<SqlBool>`to_status in ('released', 'rejected', 'refused', 'cancelled')`)
    .execute();
}
