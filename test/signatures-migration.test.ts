/**
 * Migration 0014 on a store that already holds signatures, on both stores: Kouan's one old key (which signed
 * receipts and decisions alike) keeps verifying both, agencies' old keys keep verifying accounts, and new
 * signatures come from keys made for one purpose each.
 */
import { createPrivateKey, generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import { Migrator, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignaturesModule } from '../src/modules/signatures/index.js';
import { migrate, openStore, type Store } from '../src/store/store.js';
import * as m1 from '../src/store/migrations/0001-foundation.js';
import * as m2 from '../src/store/migrations/0002-webhooks.js';
import * as m3 from '../src/store/migrations/0003-ledger.js';
import * as m4 from '../src/store/migrations/0004-audit.js';
import * as m5 from '../src/store/migrations/0005-delegations.js';
import * as m6 from '../src/store/migrations/0006-users.js';
import * as m7 from '../src/store/migrations/0007-signatures.js';
import * as m8 from '../src/store/migrations/0008-tracking.js';
import * as m9 from '../src/store/migrations/0009-tracking-subscriptions.js';
import * as m10 from '../src/store/migrations/0010-drafts.js';
import * as m11 from '../src/store/migrations/0011-stats.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();
const BEFORE_0014 = { '0001-foundation': m1, '0002-webhooks': m2, '0003-ledger': m3, '0004-audit': m4, '0005-delegations': m5, '0006-users': m6, '0007-signatures': m7, '0008-tracking': m8, '0009-tracking-subscriptions': m9, '0010-drafts': m10, '0011-stats': m11 };

describe.each(kinds)('migration 0014 over old signatures on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  const old: Record<string, string> = {};

  /** A compact JWS as the code before 0014 wrote it: EdDSA, the key's kid, the typ of the content. */
  const oldSignature = (kid: string, privateJwk: JsonWebKey, typ: string, content: object) => {
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid, typ })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(content)).toString('base64url');
    return `${header}.${payload}.${sign(null, Buffer.from(`${header}.${payload}`), createPrivateKey({ key: privateJwk, format: 'jwk' })).toString('base64url')}`;
  };

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config, { migrate: false });
    const provider = { getMigrations: () => Promise.resolve(Object.fromEntries(Object.entries(BEFORE_0014).map(([name, module]): [string, Migration] => [name, { up: (db) => module.up(db, store.dialect) }]))) };
    const { error } = await new Migrator({ db: store.db, provider }).migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error('migrations up to 0011 failed');
    for (const issuer of ['kouan', 'MOC']) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const privateJwk = privateKey.export({ format: 'jwk' });
      const kid = `${issuer}-OLD`;
      await store.db.insertInto('signing_keys').values({ kid, issuer, alg: 'EdDSA', public_jwk: JSON.stringify(publicKey.export({ format: 'jwk' })), private_jwk: JSON.stringify(privateJwk), created_at: '2026-01-01T00:00:00.000Z' }).execute();
      if (issuer === 'kouan') {
        old.receipt = oldSignature(kid, privateJwk, 'kouan-receipt+jws', { submissionId: 'sub_old' });
        old.decision = oldSignature(kid, privateJwk, 'kouan-decision+jws', { submissionId: 'sub_old', outcome: 'accepted' });
      } else {
        old.account = oldSignature(kid, privateJwk, 'kouan-ledger-account+jws', { number: 'AIL-OLD', issuer: 'MOC' });
      }
    }
    await migrate(store);
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  it('keeps the old keys verifying what they signed, each as what it is', async () => {
    const signer = createSignaturesModule(store.db).platformSigner;
    expect(await signer.verify(old.receipt ?? '', 'kouan-receipt+jws')).toMatchObject({ valid: true, kid: 'kouan-OLD' });
    expect(await signer.verify(old.decision ?? '', 'kouan-decision+jws')).toMatchObject({ valid: true, kid: 'kouan-OLD' });
    expect(await signer.verify(old.account ?? '', 'kouan-ledger-account+jws')).toMatchObject({ valid: true, kid: 'MOC-OLD', issuer: 'MOC' });
    expect(await signer.verify(old.receipt ?? '', 'kouan-ledger-account+jws')).toMatchObject({ valid: false });
  });

  it('signs receipts and decisions from now on with keys made for each, and accounts with the agency\u2019s old key', async () => {
    const signatures = createSignaturesModule(store.db);
    await signatures.ensurePlatformKeys();
    const kidOf = (jws: string) => (JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
    const receipt = await signatures.countersign({ submissionId: 'sub_new' }, 'kouan-receipt+jws');
    const decision = await signatures.countersign({ submissionId: 'sub_new' }, 'kouan-decision+jws');
    expect(new Set([kidOf(receipt), kidOf(decision), 'kouan-OLD']).size).toBe(3);
    expect(kidOf(await signatures.platformSigner.sign('MOC', { number: 'AIL-NEW', issuer: 'MOC' }))).toBe('MOC-OLD');
    const { keys } = await signatures.jwks();
    expect(keys.find((key) => key.kid === 'kouan-OLD')?.purposes).toEqual(['kouan-receipt+jws', 'kouan-decision+jws']);
    expect(keys.find((key) => key.kid === kidOf(receipt))?.purposes).toEqual(['kouan-receipt+jws']);
  });
});
