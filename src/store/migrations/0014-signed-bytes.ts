import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Signatures that can be checked again later, and keys that sign one kind of thing.
 * - submissions.signed_body: the request body exactly as the declarant signed it (the stored document is
 *   normalised, so its bytes are not the signed ones); submissions.receipt (and receipt_sm2, when Kouan also
 *   countersigns with SM2): Kouan's countersignature as answered.
 * - signing_keys.purposes: the JWS `typ`s a key signs, space-separated. Kouan's one key signed receipts and
 *   decisions alike until now; it keeps verifying both, and new keys are made for one purpose each.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('signed_body', 'text').execute();
  await db.schema.alterTable('submissions').addColumn('receipt', 'text').execute();
  await db.schema.alterTable('submissions').addColumn('receipt_sm2', 'text').execute();
  await db.schema.alterTable('signing_keys').addColumn('purposes', 'text').execute();
  await sql`update signing_keys set purposes = ${'kouan-receipt+jws kouan-decision+jws'} where issuer = ${'kouan'}`.execute(db);
  await sql`update signing_keys set purposes = ${'kouan-ledger-account+jws'} where issuer <> ${'kouan'}`.execute(db);
}
