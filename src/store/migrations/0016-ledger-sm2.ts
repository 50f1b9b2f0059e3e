import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * ledger_accounts.signature_sm2: the issuer's SM2 signature of the account (a second compact JWS over the same
 * document), made when KOUAN_SIGNING_ALGS lists SM2, so that a verifier that takes only the national algorithms
 * can check a copy. Null for accounts issued before, or with the setting off: nothing is re-signed afterwards,
 * since the issuer signed what it issued when it issued it.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('ledger_accounts').addColumn('signature_sm2', 'text').execute();
}
