/**
 * SM2 signatures of ledger accounts, on both stores: with KOUAN_SIGNING_ALGS=EdDSA,SM2 an issued account carries
 * its issuer's Ed25519 signature and its SM2 one; the SM2 copy verifies for an SM2-only verifier (sm-crypto-v2
 * directly, and OpenSSL when it is on the PATH), over the API, with `kouan ledger verify-copy` offline and in the
 * ledger's own audit; a tampered one fails, saying why. With the setting off nothing changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan, type Kouan } from '../src/main.js';
import type { Jwks } from '../src/modules/signatures/index.js';
import { openStore } from '../src/store/store.js';
import { runKouan, type Run } from './support/cli.js';
import { IMPORTER } from './support/fixtures.js';
import { cast, NO_RATE_LIMITS, startTestKouan, type TestKouan } from './support/kouan.js';
import { HAS_OPENSSL_SM2, opensslVerifies, smCryptoVerifies } from './support/sm2-verifier.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;
if (!HAS_OPENSSL_SM2) console.log('openssl with SM2 is not on the PATH: the SM2 ledger copies are checked with sm-crypto-v2 only');

const headerOf = (jws: string): Json => JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString()) as Json;
/** The same JWS with one more line of laptops in its content and the signature left as it was. */
const tamper = (jws: string): string => {
  const [header = '', payload = '', signature = ''] = jws.split('.');
  const content = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json;
  content.lines[0].quantity = '100000';
  return `${header}.${Buffer.from(JSON.stringify(content)).toString('base64url')}.${signature}`;
};

describe.each(kinds)('SM2 signatures of ledger accounts (KOUAN_SIGNING_ALGS=EdDSA,SM2) on %s', (kind) => {
  let t: TestKouan;
  let moc: string;
  let importer: string;
  let serial = 0;
  let dir = '';

  beforeAll(async () => {
    t = await startTestKouan(kind, { KOUAN_SIGNING_ALGS: 'EdDSA,SM2' });
    ({ moc, importer } = await cast(t));
    dir = mkdtempSync(join(tmpdir(), 'kouan-ledger-sm2-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const licence = (overrides: Json = {}) => ({
    type: 'automatic-import-licence',
    number: `AIL-SM2-${kind.toUpperCase()}-${(serial += 1).toString().padStart(4, '0')}`,
    holder: IMPORTER,
    direction: 'import',
    validFrom: today,
    validTo: nextYear,
    lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }],
    ...overrides,
  });
  const issued = async (key = moc, overrides: Json = {}): Promise<Json> => {
    const response = await t.request('POST', '/api/v1/ledger/accounts', { key, body: licence(overrides) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>();
  };
  const verify = (signature: string) => t.request('POST', '/api/v1/ledger/verify', { body: { signature } });
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  /** `kouan ARGS` against this test's store (the embedded one's directory, or the PostgreSQL database). */
  const kouan = (args: readonly string[]): Promise<Run> =>
    runKouan(t.store.config.dataDir ?? dir, kind === 'postgres' ? [...args, '--database-url', t.store.config.databaseUrl ?? ''] : [...args, '--data-dir', t.store.config.dataDir ?? dir]);
  const offline = (args: readonly string[]): Promise<Run> => runKouan(dir, args);
  const output = (run: Run, code: number): Json => {
    expect(run.code, `exit code; stdout: ${run.stdout}; stderr: ${run.stderr}`).toBe(code);
    return JSON.parse(run.stdout) as Json;
  };

  it("signs an issued account with the issuer's SM2 key as well, published in the JWKS, checkable by an SM2-only verifier", async () => {
    const account = await issued();
    expect(account.signature).toEqual(expect.any(String));
    expect(account.signatureSm2).toEqual(expect.any(String));
    expect(headerOf(account.signature)).toMatchObject({ alg: 'EdDSA', typ: 'kouan-ledger-account+jws' });
    const header = headerOf(account.signatureSm2);
    expect(header).toMatchObject({ alg: 'SM2', typ: 'kouan-ledger-account+jws' });
    // The same content, signed twice.
    expect(account.signatureSm2.split('.')[1]).toBe(account.signature.split('.')[1]);

    const keys = (await t.request('GET', '/api/v1/ledger/keys')).json<Jwks>();
    const wellKnown = (await t.request('GET', '/.well-known/jwks.json')).json<Jwks>();
    const mocKeys = keys.keys.filter((key) => key.issuer === 'MOC').map((key) => ({ kty: key.kty, crv: key.crv, alg: key.alg, purposes: key.purposes }));
    expect(mocKeys.sort((a, b) => a.alg.localeCompare(b.alg))).toEqual([
      { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', purposes: ['kouan-ledger-account+jws'] },
      { kty: 'EC', crv: 'SM2', alg: 'SM2', purposes: ['kouan-ledger-account+jws'] },
    ]);
    const jwk = keys.keys.find((key) => key.kid === header.kid);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'SM2', issuer: 'MOC', use: 'sig' });
    expect(wellKnown.keys).toContainEqual(jwk);
    expect(JSON.stringify(keys)).not.toContain('"d"');

    expect(smCryptoVerifies(account.signatureSm2, jwk ?? {})).toBe(true);
    expect(smCryptoVerifies(tamper(account.signatureSm2), jwk ?? {})).toBe(false);
    if (HAS_OPENSSL_SM2) {
      expect(opensslVerifies(account.signatureSm2, jwk ?? {}).output).toContain('Signature Verified Successfully');
      expect(opensslVerifies(tamper(account.signatureSm2), jwk ?? {}).verified).toBe(false);
    }

    // One key per issuer and purpose: a second account is signed with the same SM2 key; another issuer has its own.
    const second = await issued();
    expect(headerOf(second.signatureSm2).kid).toBe(header.kid);
    const certificate = await issued(await t.agency('CIQ'), { type: 'inbound-clearance-form', holder: IMPORTER, lines: [{ hsCode: '0808100000', quantity: 10, unit: 'TNE' }] });
    expect(headerOf(certificate.signatureSm2).kid).not.toBe(header.kid);
    expect(headerOf(certificate.signatureSm2).kid).toMatch(/^CIQ-/);
  });

  it('returns the SM2 signature with the account, unchanged by suspension and reinstatement and by issuing the same again', async () => {
    const account = await issued();
    const got = (await t.request('GET', `/api/v1/ledger/accounts/${account.number}`, { key: importer })).json<Json>();
    expect(got).toMatchObject({ signature: account.signature, signatureSm2: account.signatureSm2 });
    const listed = (await t.request('GET', '/api/v1/ledger/accounts?limit=200', { key: importer })).json<Json>();
    expect(listed.accounts.find((candidate: Json) => candidate.number === account.number)).toMatchObject({ signatureSm2: account.signatureSm2 });

    const suspended = await t.request('POST', `/api/v1/ledger/accounts/${account.number}/suspend`, { key: moc, body: { reason: 'inquiry' } });
    expect(suspended.json<Json>()).toMatchObject({ status: 'suspended', signature: account.signature, signatureSm2: account.signatureSm2 });
    expect((await verify(account.signatureSm2)).json<Json>()).toMatchObject({ valid: true, status: 'suspended' });
    const reinstated = await t.request('POST', `/api/v1/ledger/accounts/${account.number}/reinstate`, { key: moc, body: { reason: 'cleared' } });
    expect(reinstated.json<Json>()).toMatchObject({ status: 'active', signatureSm2: account.signatureSm2 });

    const again = await t.request('POST', '/api/v1/ledger/accounts', { key: moc, body: { ...licence(), number: account.number } });
    expect(again.statusCode).toBe(200);
    expect(again.json<Json>()).toMatchObject({ signature: account.signature, signatureSm2: account.signatureSm2 });
  });

  it('POST /ledger/verify checks the SM2 copy as it checks the Ed25519 one; a tampered or relabelled one is LEDGER_SIGNATURE_INVALID with the reason', async () => {
    const account = await issued();
    expect((await verify(account.signature)).json<Json>()).toMatchObject({ valid: true, alg: 'EdDSA', issuer: 'MOC', status: 'active' });
    const verified = await verify(account.signatureSm2);
    expect(verified.statusCode).toBe(200);
    expect(verified.json<Json>()).toMatchObject({ valid: true, alg: 'SM2', kid: headerOf(account.signatureSm2).kid, issuer: 'MOC', status: 'active', account: { number: account.number, holder: IMPORTER, lines: [{ quantity: '1000' }] } });

    const tampered = await verify(tamper(account.signatureSm2));
    expect(tampered.statusCode).toBe(422);
    expect(tampered.json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('the signature does not match the content') });

    // The SM2 signature under the header of the issuer's Ed25519 key, and the Ed25519 one under the SM2 key's.
    const [, payload = '', sm2Signature = ''] = account.signatureSm2.split('.');
    const [, , edSignature = ''] = account.signature.split('.');
    const swapped = (header: Json, signature: string) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.${signature}`;
    const asEd = await verify(swapped({ ...headerOf(account.signatureSm2), kid: headerOf(account.signature).kid }, sm2Signature));
    expect(asEd.json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('signs with EdDSA, the header says SM2') });
    const asSm2 = await verify(swapped({ ...headerOf(account.signature), kid: headerOf(account.signatureSm2).kid }, edSignature));
    expect(asSm2.json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('signs with SM2, the header says EdDSA') });

    // Kouan's own SM2 receipt key does not sign ledger accounts, whatever the header says.
    const receiptKey = (await t.request('GET', '/.well-known/jwks.json')).json<Jwks>().keys.find((key) => key.alg === 'SM2' && key.purposes?.includes('kouan-receipt+jws'));
    const relabelled = await verify(swapped({ ...headerOf(account.signatureSm2), kid: receiptKey?.kid }, sm2Signature));
    expect(relabelled.json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('does not sign ledger accounts') });
  });

  it('kouan ledger verify-copy checks the SM2 copy offline, and both signatures of an exported account', async () => {
    const account = await issued();
    const keys = file('keys.json', (await t.request('GET', '/api/v1/ledger/keys')).body);
    const sm2Kid = headerOf(account.signatureSm2).kid as string;

    expect(output(await offline(['ledger', 'verify-copy', file('sm2.jws', `${account.signatureSm2}\n`), '--keys', keys]), 0)).toMatchObject({ valid: true, alg: 'SM2', kid: sm2Kid, issuer: 'MOC', account: { number: account.number } });
    const exported = output(await offline(['ledger', 'verify-copy', file('account.json', JSON.stringify(account, null, 2)), '--keys', keys]), 0);
    expect(exported).toMatchObject({ valid: true, issuer: 'MOC', account: { number: account.number } });
    expect(exported.signatures).toEqual([
      { field: 'signature', alg: 'EdDSA', kid: headerOf(account.signature).kid },
      { field: 'signatureSm2', alg: 'SM2', kid: sm2Kid },
    ]);

    const refused = output(await offline(['ledger', 'verify-copy', file('tampered.json', JSON.stringify({ ...account, signatureSm2: tamper(account.signatureSm2) })), '--keys', keys]), 1);
    expect(refused).toEqual({ valid: false, code: 'LEDGER_SIGNATURE_INVALID', reason: 'signatureSm2: the signature does not match the content' });
    // Each signature genuine, but of two different accounts: not a copy of anything.
    const other = await issued();
    const mixed = output(await offline(['ledger', 'verify-copy', file('mixed.json', JSON.stringify({ ...account, signatureSm2: other.signatureSm2 })), '--keys', keys]), 1);
    expect(mixed).toMatchObject({ valid: false, code: 'LEDGER_SIGNATURE_INVALID', reason: 'signatureSm2 signs other content than signature' });
    // The Ed25519 copy where the SM2 one is said to be.
    const misplaced = output(await offline(['ledger', 'verify-copy', file('misplaced.json', JSON.stringify({ ...account, signatureSm2: account.signature })), '--keys', keys]), 1);
    expect(misplaced).toMatchObject({ valid: false, reason: 'signatureSm2: made with EdDSA, not SM2' });
  });

  it("the ledger's audit checks every stored SM2 signature, naming the account and what is wrong", async () => {
    const account = await issued();
    const other = await issued();
    expect((await t.kouan.services.ledger.audit()).problems).toEqual([]);
    expect(output(await kouan(['ledger', 'verify']), 0)).toMatchObject({ problems: [] });

    const { db } = t.kouan.services.store;
    const setSm2 = (value: string) => db.updateTable('ledger_accounts').set({ signature_sm2: value }).where('number', '=', account.number).execute();
    const problems = async () => (await t.kouan.services.ledger.audit()).problems;

    await setSm2(tamper(account.signatureSm2));
    expect(await problems()).toEqual([`${account.number}: its SM2 signature does not verify: the signature does not match the content`]);
    const audited = output(await kouan(['ledger', 'verify']), 1);
    expect(audited.problems).toEqual([`${account.number}: its SM2 signature does not verify: the signature does not match the content`]);

    await setSm2(other.signatureSm2);
    expect(await problems()).toEqual([`${account.number}: its SM2 signature signs other content than the record`]);
    await setSm2(account.signature);
    expect(await problems()).toEqual([`${account.number}: its SM2 signature is made with EdDSA, not SM2`]);
    await setSm2('not a jws');
    expect(await problems()).toEqual([`${account.number}: its SM2 signature does not verify: not a compact JWS`]);

    await setSm2(account.signatureSm2);
    expect(await problems()).toEqual([]);
  });
});

describe.each(kinds)('ledger accounts with the SM2 setting off on %s', (kind) => {
  let t: TestKouan;
  let moc: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ moc } = await cast(t));
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs with Ed25519 only: no signatureSm2, no SM2 key, and the copy verifies as before', async () => {
    const response = await t.request('POST', '/api/v1/ledger/accounts', {
      key: moc,
      body: { type: 'automatic-import-licence', number: `AIL-NOSM2-${kind.toUpperCase()}`, holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] },
    });
    expect(response.statusCode).toBe(201);
    const account = response.json<Json>();
    expect(account).not.toHaveProperty('signatureSm2');
    const keys = (await t.request('GET', '/.well-known/jwks.json')).json<Jwks>();
    expect(keys.keys.filter((key) => key.alg === 'SM2')).toEqual([]);
    expect((await t.request('POST', '/api/v1/ledger/verify', { body: { signature: account.signature } })).json<Json>()).toMatchObject({ valid: true, alg: 'EdDSA', issuer: 'MOC', status: 'active' });
    const row = await t.kouan.services.store.db.selectFrom('ledger_accounts').select('signature_sm2').where('number', '=', account.number).executeTakeFirstOrThrow();
    expect(row.signature_sm2).toBeNull();
    expect((await t.kouan.services.ledger.audit()).problems).toEqual([]);
  });
});

describe.each(kinds)('migration 0016 over accounts issued before it on %s', (kind) => {
  let testStore: TestStore;
  let kouan: Kouan | undefined;
  beforeAll(async () => {
    testStore = await createTestStore(kind);
  });
  afterAll(async () => {
    await kouan?.close();
    await testStore.drop();
  });

  const start = (env: Record<string, string> = {}) =>
    createKouan(loadConfig({ dataDir: testStore.config.dataDir, databaseUrl: testStore.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', ...NO_RATE_LIMITS, ...env }), { startExchange: false });
  const issue = async (app: Kouan, key: string, number: string): Promise<Json> => {
    const body = { type: 'automatic-import-licence', number, holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] };
    const response = await app.app.inject({ method: 'POST', url: '/api/v1/ledger/accounts', headers: { authorization: `Bearer ${key}` }, payload: body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>();
  };

  it('adds the column without touching what is there; the old account keeps verifying, new ones are signed with SM2 too', async () => {
    // A store as it was before 0016: an account issued, then the column and the migration's record taken away.
    const before = await start();
    const moc = (await before.services.parties.createKey('MOC')).key;
    const old = await issue(before, moc, `AIL-OLD-${kind.toUpperCase()}`);
    await before.close();
    const store = await openStore(loadConfig({ dataDir: testStore.config.dataDir, databaseUrl: testStore.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent' }).store, { migrate: false });
    try {
      await sql`alter table ledger_accounts drop column signature_sm2`.execute(store.db);
      // Later migrations were not there either (the migrator runs them in order): 0017 is undone too.
      await sql`drop index tracking_events_document`.execute(store.db);
      await sql`alter table tracking_events drop column document_id`.execute(store.db);
      await sql`alter table tracking_events drop column document_function`.execute(store.db);
      await sql`delete from kysely_migration where name in (${'0016-ledger-sm2'}, ${'0017-tracking-documents'})`.execute(store.db);
    } finally {
      await store.close();
    }

    kouan = await start({ KOUAN_SIGNING_ALGS: 'EdDSA,SM2' });
    const inject = (method: 'GET' | 'POST', url: string, payload?: object) => kouan?.app.inject({ method, url, headers: { authorization: `Bearer ${moc}` }, ...(payload === undefined ? {} : { payload }) });
    const got = (await inject('GET', `/api/v1/ledger/accounts/${old.number}`))?.json<Json>();
    expect(got).toMatchObject({ number: old.number, signature: old.signature });
    expect(got).not.toHaveProperty('signatureSm2');
    expect((await inject('POST', '/api/v1/ledger/verify', { signature: old.signature }))?.json<Json>()).toMatchObject({ valid: true, alg: 'EdDSA', status: 'active' });
    const fresh = await issue(kouan, moc, `AIL-NEW-${kind.toUpperCase()}`);
    expect(headerOf(fresh.signatureSm2)).toMatchObject({ alg: 'SM2', typ: 'kouan-ledger-account+jws' });
    expect(await kouan.services.ledger.audit()).toMatchObject({ accounts: 2, problems: [] });
  });
});
