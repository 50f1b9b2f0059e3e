import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * submission_amendments.receipt_sm2: Kouan's SM2 countersignature of an amendment or withdrawal request's
 * receipt, when KOUAN_SIGNING_ALGS lists SM2, as submission and decision receipts have. Requests stored before
 * keep null: their Ed25519 receipt stands.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('submission_amendments').addColumn('receipt_sm2', 'text').execute();
}
