/** Signed submissions and Kouan's countersigned receipts, on both stores. */
import { createHash, createPrivateKey, createPublicKey, sign as signBytes, X509Certificate, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, FlattenedSign, generateKeyPair, type CryptoKey } from 'jose';
import { sm2 } from 'sm-crypto-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { verifyCopy, type Jwks } from '../src/modules/signatures/index.js';
import { BROKER, IMPORTER, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';
import { HAS_OPENSSL_SM2, opensslVerifies, smCryptoVerifies } from './support/sm2-verifier.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();

/** A detached compact JWS over the exact body bytes, as a client makes it. */
async function sign(body: string, key: CryptoKey | Uint8Array, alg: string, kid: string): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(body)).setProtectedHeader({ alg, kid }).sign(key);
  return `${jws.protected}..${jws.signature}`;
}

describe.each(kinds)('signed submissions on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let other: string;
  let cus: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    other = await t.enterprise(OTHER_ENTERPRISE);
    await t.delegate(IMPORTER, BROKER);
    cus = await t.agency('CUS');
  });
  afterAll(async () => {
    await t.close();
  });

  const body = (data: Json = importDeclaration()) => JSON.stringify({ docType: 'goods-declaration', data });
  const submit = (text: string, headers: Record<string, string> = {}, key = broker) =>
    t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, payload: text });
  const count = async () => Number((await t.kouan.services.store.db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const register = async (alg: 'EdDSA' | 'ES256', key = broker) => {
    const pair = alg === 'EdDSA' ? await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }) : await generateKeyPair('ES256', { extractable: true });
    const response = await t.request('POST', '/api/v1/signing-keys', { key, body: { jwk: await exportJWK(pair.publicKey) } });
    expect(response.statusCode).toBe(201);
    return { kid: response.json<Json>().kid as string, privateKey: pair.privateKey };
  };
  const jwks = async () => (await t.request('GET', '/.well-known/jwks.json')).json<Jwks>();

  it('accepts a submission signed with a registered key, keeps the signature and countersigns a receipt', async () => {
    for (const alg of ['EdDSA', 'ES256'] as const) {
      const { kid, privateKey } = await register(alg);
      const text = body();
      const signature = await sign(text, privateKey, alg, kid);
      const response = await submit(text, { 'kouan-signature': signature });
      expect(response.statusCode).toBe(201);
      const { id, receipt } = response.json<Json>();
      expect(response.headers['kouan-receipt']).toBe(receipt);
      const stored = await t.kouan.services.store.db.selectFrom('submissions').select(['signature', 'signature_kid']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ signature, signature_kid: kid });

      const check = await verifyCopy(receipt, await jwks(), 'kouan-receipt+jws');
      expect(check).toMatchObject({ valid: true, issuer: 'kouan', payload: { submissionId: id, declarant: BROKER, declarantSignatureKid: kid, status: 'submitted', parts: ['CUS'] } });
    }
  });

  it('refuses a signature that does not match the body, a revoked key, another party\u2019s key, and stores nothing', async () => {
    const { kid, privateKey } = await register('EdDSA');
    const before = await count();
    const signedOther = await sign(body(importDeclaration({ incoterm: 'FOB' })), privateKey, 'EdDSA', kid);
    const mismatch = await submit(body(), { 'kouan-signature': signedOther });
    expect(mismatch.statusCode).toBe(401);
    expect(mismatch.json<Json>().code).toBe('SIGNATURE_INVALID');
    expect((await submit(body(), { 'kouan-signature': 'garbage' })).json<Json>().code).toBe('SIGNATURE_INVALID');

    const foreign = await register('EdDSA', other);
    const text = body();
    expect((await submit(text, { 'kouan-signature': await sign(text, foreign.privateKey, 'EdDSA', foreign.kid) })).json<Json>().code).toBe('SIGNATURE_KEY_UNKNOWN');

    expect((await t.request('POST', `/api/v1/signing-keys/${kid}/revoke`, { key: broker })).statusCode).toBe(204);
    expect((await submit(text, { 'kouan-signature': await sign(text, privateKey, 'EdDSA', kid) })).json<Json>().code).toBe('SIGNATURE_KEY_UNKNOWN');
    expect(await count()).toBe(before);
  });

  it('a party that requires signatures gets unsigned submissions refused', async () => {
    expect((await t.request('PUT', '/api/v1/signing-policy', { key: broker, body: { requireSignedSubmissions: true } })).json<Json>()).toEqual({ requireSignedSubmissions: true });
    const unsigned = await submit(body());
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json<Json>().code).toBe('SIGNATURE_REQUIRED');
    const { kid, privateKey } = await register('EdDSA');
    const text = body();
    expect((await submit(text, { 'kouan-signature': await sign(text, privateKey, 'EdDSA', kid) })).statusCode).toBe(201);
    await t.request('PUT', '/api/v1/signing-policy', { key: broker, body: { requireSignedSubmissions: false } });
  });

  it('refuses a private key and a key of the wrong shape', async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    expect((await t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk: privateJwk } })).statusCode).toBe(400);
    expect((await t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } } })).statusCode).toBe(400);
    expect((await t.request('POST', '/api/v1/signing-keys', { key: cus, body: { jwk: await exportJWK(pair.publicKey) } })).statusCode).toBe(403);
  });

  it('countersigns every agency decision', async () => {
    const id = (await submit(body())).json<Json>().id as string;
    const decided = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'accepted' } });
    expect(decided.statusCode).toBe(200);
    const check = await verifyCopy(decided.json<Json>().receipt, await jwks(), 'kouan-decision+jws');
    expect(check).toMatchObject({ valid: true, issuer: 'kouan', payload: { submissionId: id, agency: 'CUS', outcome: 'accepted', partStatus: 'accepted' } });
  });
});

describe.each(kinds)('signatures from independent clients on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.delegate(IMPORTER, BROKER);
  });
  afterAll(async () => {
    await t.close();
  });

  const text = JSON.stringify({ docType: 'goods-declaration', data: importDeclaration() });
  const send = (body: string, signature: string) =>
    t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/json', 'kouan-signature': signature }, payload: body });
  const count = async () => Number((await t.kouan.services.store.db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const registerSm2 = async (extra: Json = {}) => {
    const pair = sm2.generateKeyPairHex();
    const point = Buffer.from(pair.publicKey.slice(2), 'hex');
    const jwk = { kty: 'EC', crv: 'SM2', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url'), ...extra };
    const registered = await t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk } });
    expect(registered.json<Json>()).toMatchObject({ alg: 'SM2' });
    return { kid: registered.json<Json>().kid as string, pair };
  };
  const sm2Jws = (header: Json, body: string, privateKey: string, options: { der: boolean; userId: string }) => {
    const protectedB64 = Buffer.from(JSON.stringify(header)).toString('base64url');
    const input = `${protectedB64}.${header.b64 === false ? body : Buffer.from(body).toString('base64url')}`;
    return `${protectedB64}..${Buffer.from(sm2.doSignature(input, privateKey, { hash: true, ...options }), 'hex').toString('base64url')}`;
  };

  it('accepts SM2 as raw r || s and as DER with the standard ID, and refuses a tampered body', async () => {
    const { kid, pair } = await registerSm2();
    for (const der of [false, true]) {
      const signature = sm2Jws({ alg: 'SM2', kid }, text, pair.privateKey, { der, userId: '1234567812345678' });
      expect((await send(text, signature)).statusCode, der ? 'DER' : 'r || s').toBe(201);
      const tampered = await send(text.replace('"CIF"', '"FOB"'), signature);
      expect(tampered.statusCode).toBe(401);
      expect(tampered.json<Json>()).toMatchObject({ code: 'SIGNATURE_INVALID', errors: [{ path: 'Kouan-Signature.signature' }] });
    }
  });

  it('refuses an SM2 signature made with the empty ID, naming the ID, and stores nothing', async () => {
    const { kid, pair } = await registerSm2();
    const before = await count();
    const refused = await send(text, sm2Jws({ alg: 'SM2', kid }, text, pair.privateKey, { der: true, userId: '' }));
    expect(refused.statusCode).toBe(401);
    expect(refused.json<Json>().code).toBe('SIGNATURE_SM2_ID_WRONG');
    expect(refused.json<Json>().detail).toContain('distid:1234567812345678');
    expect(await count()).toBe(before);
  });

  it('accepts RFC 7797 b64:false for every algorithm, and refuses unknown critical headers for every algorithm', async () => {
    const { kid, pair } = await registerSm2();
    expect((await send(text, sm2Jws({ alg: 'SM2', kid, b64: false, crit: ['b64'] }, text, pair.privateKey, { der: true, userId: '1234567812345678' }))).statusCode).toBe(201);
    const unknownCrit = await send(text, sm2Jws({ alg: 'SM2', kid, exp: 1, crit: ['exp'] }, text, pair.privateKey, { der: true, userId: '1234567812345678' }));
    expect(unknownCrit.json<Json>()).toMatchObject({ code: 'SIGNATURE_HEADER_INVALID', errors: [{ path: 'Kouan-Signature.protected.crit' }] });

    const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const registered = await t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk: { ...(await exportJWK(ed.publicKey)), kid: 'my-own-name', alg: 'EdDSA', use: 'sig', key_ops: ['verify'] } } });
    expect(registered.statusCode).toBe(201);
    const edKid = registered.json<Json>().kid as string;
    const unencoded = await new FlattenedSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'EdDSA', kid: edKid, b64: false, crit: ['b64'] }).sign(ed.privateKey);
    expect((await send(text, `${unencoded.protected}..${unencoded.signature}`)).statusCode).toBe(201);
    // The header claims b64:false, the signature is over the base64url body: refused whatever the algorithm.
    const claimed = await new FlattenedSign(new TextEncoder().encode(Buffer.from(text).toString('base64url'))).setProtectedHeader({ alg: 'EdDSA', kid: edKid, b64: false, crit: ['b64'] }).sign(ed.privateKey);
    expect((await send(text, `${claimed.protected}..${claimed.signature}`)).json<Json>()).toMatchObject({ code: 'SIGNATURE_INVALID', detail: expect.stringContaining('b64:false') });
  });

  it('takes the JWK members RFC 7517 allows, and refuses a private part or members inconsistent with signing', async () => {
    const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(ed.publicKey);
    const register = (body: Json) => t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk: body } });
    expect((await register({ ...jwk, kid: 'k1', alg: 'EdDSA', use: 'sig', key_ops: ['verify'], ext: true })).statusCode).toBe(201);
    await registerSm2({ kid: 'sm2-1', alg: 'SM2', use: 'sig' });
    // The OpenSSL fixture key with its certificate (RFC 7517 4.7: x5c[0] is of this very key) and thumbprint.
    const fixtures = join(import.meta.dirname, 'fixtures/sm2');
    const spki = createPublicKey(readFileSync(join(fixtures, 'pub.pem'))).export({ format: 'der', type: 'spki' });
    const certificate = new X509Certificate(readFileSync(join(fixtures, 'cert.pem'))).raw;
    const fixtureJwk = { kty: 'EC', crv: 'SM2', x: spki.subarray(spki.length - 64, spki.length - 32).toString('base64url'), y: spki.subarray(spki.length - 32).toString('base64url') };
    const withCertificate = { ...fixtureJwk, x5c: [certificate.toString('base64')], 'x5t#S256': createHash('sha256').update(certificate).digest('base64url') };
    expect((await register(withCertificate)).statusCode).toBe(201);
    const refusals: readonly [Json, string][] = [
      [{ ...jwk, alg: 'ES256' }, '$.jwk.alg'],
      [{ ...jwk, use: 'enc' }, '$.jwk.use'],
      [{ ...jwk, key_ops: ['sign'] }, '$.jwk.key_ops'],
      [{ ...jwk, key_ops: ['verify', 'encrypt'] }, '$.jwk.key_ops'],
      [{ ...jwk, x5t: 'AAAA' }, '$.jwk.x5c'],
      [{ ...jwk, x5c: ['not a certificate'] }, '$.jwk.x5c[0]'],
      [{ ...jwk, x5c: withCertificate.x5c }, '$.jwk.x5c[0]'],
      [{ ...withCertificate, 'x5t#S256': createHash('sha256').update('another').digest('base64url') }, '$.jwk.x5t#S256'],
      [await exportJWK(ed.privateKey), '$.jwk.d'],
    ];
    for (const [body, path] of refusals) {
      const response = await register(body);
      expect(response.statusCode, path).toBe(400);
      expect(response.json<Json>().errors.some((error: Json) => String(error.path).endsWith(path)), JSON.stringify(response.json())).toBe(true);
    }
  });
});

describe.each(kinds)('what each Kouan key signs, on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let cus: string;
  let moc: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.delegate(IMPORTER, BROKER);
    cus = await t.agency('CUS');
    moc = await t.agency('MOC');
  });
  afterAll(async () => {
    await t.close();
  });
  const jwks = async () => (await t.request('GET', '/.well-known/jwks.json')).json<Jwks>();
  const today = new Date().toISOString().slice(0, 10);
  const licence = async () => {
    const body = { type: 'automatic-import-licence', holder: IMPORTER, direction: 'import', validFrom: today, validTo: `${Number(today.slice(0, 4)) + 1}-01-01`, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] };
    const response = await t.request('POST', '/api/v1/ledger/accounts', { key: moc, body });
    expect(response.statusCode).toBe(201);
    return response.json<Json>().signature as string;
  };
  /** A JWS signed with a stored private key, with whatever header and content an attacker chooses. */
  const forge = async (kid: string, header: Json, content: Json) => {
    const row = await t.kouan.services.store.db.selectFrom('signing_keys').select('private_jwk').where('kid', '=', kid).executeTakeFirstOrThrow();
    const protectedB64 = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid, ...header })).toString('base64url');
    const payloadB64 = Buffer.from(JSON.stringify(content)).toString('base64url');
    const signature = signBytes(null, Buffer.from(`${protectedB64}.${payloadB64}`), createPrivateKey({ key: JSON.parse(row.private_jwk) as JsonWebKey, format: 'jwk' }));
    return `${protectedB64}.${payloadB64}.${signature.toString('base64url')}`;
  };

  it("publishes Kouan's keys from the first start, one per purpose", async () => {
    const { keys } = await jwks();
    const published = keys.map((key) => ({ issuer: key.issuer, purposes: key.purposes, alg: key.alg, crv: key.crv }));
    expect(published).toHaveLength(3);
    expect(published).toEqual(
      expect.arrayContaining([
        { issuer: 'kouan', purposes: ['kouan-receipt+jws'], alg: 'EdDSA', crv: 'Ed25519' },
        { issuer: 'kouan', purposes: ['kouan-decision+jws'], alg: 'EdDSA', crv: 'Ed25519' },
        { issuer: 'kouan', purposes: ['kouan-amendment+jws'], alg: 'EdDSA', crv: 'Ed25519' },
      ]),
    );
    expect(new Set(keys.map((key) => key.kid)).size).toBe(3);
    expect(JSON.stringify(keys)).not.toContain('"d"');
  });

  it('a receipt is not a ledger account, a decision is not a receipt, and an account verifies only as an account', async () => {
    const submitted = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
    const receipt = submitted.json<Json>().receipt as string;
    const decision = (await t.request('POST', `/api/v1/submissions/${submitted.json<Json>().id}/decisions`, { key: cus, body: { outcome: 'accepted' } })).json<Json>().receipt as string;
    const account = await licence();

    const asAccount = await t.request('POST', '/api/v1/ledger/verify', { body: { signature: receipt } });
    expect(asAccount.statusCode).toBe(422);
    expect(asAccount.json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('a submission receipt, not a ledger account') });
    expect((await t.request('POST', '/api/v1/ledger/verify', { body: { signature: account } })).statusCode).toBe(200);

    const keys = await jwks();
    expect(await verifyCopy(decision, keys, 'kouan-receipt+jws')).toMatchObject({ valid: false, reason: expect.stringContaining('a decision receipt, not a submission receipt') });
    expect(await verifyCopy(receipt, keys, 'kouan-ledger-account+jws')).toMatchObject({ valid: false });
    expect(await verifyCopy(account, keys, 'kouan-receipt+jws')).toMatchObject({ valid: false });
    expect(await verifyCopy(receipt, keys, 'kouan-receipt+jws')).toMatchObject({ valid: true, issuer: 'kouan' });
    expect(await verifyCopy(account, keys, 'kouan-ledger-account+jws')).toMatchObject({ valid: true, issuer: 'MOC' });
  });

  it("refuses a copy whose typ lies about what its key signs, and an account naming another issuer than its key's", async () => {
    const account = await licence();
    const keys = await jwks();
    const receiptKey = keys.keys.find((key) => key.purposes?.includes('kouan-receipt+jws'))?.kid ?? '';
    const mocKey = keys.keys.find((key) => key.issuer === 'MOC')?.kid ?? '';
    const content = JSON.parse(Buffer.from(account.split('.')[1] ?? '', 'base64url').toString()) as Json;

    const relabelled = await forge(receiptKey, { typ: 'kouan-ledger-account+jws' }, content);
    const refused = await t.request('POST', '/api/v1/ledger/verify', { body: { signature: relabelled } });
    expect(refused.json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('does not sign ledger accounts') });

    const otherIssuer = await forge(mocKey, { typ: 'kouan-ledger-account+jws' }, { ...content, issuer: 'CUS' });
    expect((await t.request('POST', '/api/v1/ledger/verify', { body: { signature: otherIssuer } })).json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('names CUS as its issuer') });

    const untyped = await forge(mocKey, {}, content);
    expect((await t.request('POST', '/api/v1/ledger/verify', { body: { signature: untyped } })).json<Json>()).toMatchObject({ code: 'LEDGER_SIGNATURE_INVALID', detail: expect.stringContaining('not a Kouan copy') });
  });
});

describe.each(kinds)('SM2 countersignatures (KOUAN_SIGNING_ALGS=EdDSA,SM2) on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let cus: string;
  beforeAll(async () => {
    t = await startTestKouan(kind, { KOUAN_SIGNING_ALGS: 'EdDSA,SM2' });
    await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.delegate(IMPORTER, BROKER);
    cus = await t.agency('CUS');
  });
  afterAll(async () => {
    await t.close();
  });

  it("publishes Kouan's SM2 keys from the start, and countersigns receipts and decisions with SM2 as well, checkable by an SM2-only verifier", async () => {
    const keys = (await t.request('GET', '/.well-known/jwks.json')).json<Jwks>();
    const sm2Keys = keys.keys.filter((key) => key.alg === 'SM2');
    expect(sm2Keys.map((key) => ({ kty: key.kty, crv: key.crv, issuer: key.issuer, purposes: key.purposes })).sort((a, b) => String(a.purposes).localeCompare(String(b.purposes)))).toEqual([
      { kty: 'EC', crv: 'SM2', issuer: 'kouan', purposes: ['kouan-amendment+jws'] },
      { kty: 'EC', crv: 'SM2', issuer: 'kouan', purposes: ['kouan-decision+jws'] },
      { kty: 'EC', crv: 'SM2', issuer: 'kouan', purposes: ['kouan-receipt+jws'] },
    ]);
    expect(JSON.stringify(keys)).not.toContain('"d"');

    const submitted = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
    const { id, receipt, receiptSm2 } = submitted.json<Json>();
    expect(submitted.headers['kouan-receipt-sm2']).toBe(receiptSm2);
    expect(await verifyCopy(receipt, keys, 'kouan-receipt+jws')).toMatchObject({ valid: true });
    const check = await verifyCopy(receiptSm2, keys, 'kouan-receipt+jws');
    expect(check).toMatchObject({ valid: true, issuer: 'kouan', payload: { submissionId: id } });
    expect(await verifyCopy(receiptSm2, keys, 'kouan-decision+jws')).toMatchObject({ valid: false });

    // An SM2-only verifier: the JWS signing input, SM3 with the standard ID, r || s; sm-crypto and (if present) OpenSSL.
    const header = JSON.parse(Buffer.from(String(receiptSm2).split('.')[0] ?? '', 'base64url').toString()) as Json;
    const jwk = sm2Keys.find((key) => key.kid === header.kid);
    expect(header).toMatchObject({ alg: 'SM2', typ: 'kouan-receipt+jws' });
    expect(smCryptoVerifies(receiptSm2, jwk ?? {})).toBe(true);
    if (HAS_OPENSSL_SM2) expect(opensslVerifies(receiptSm2, jwk ?? {}).output).toContain('Signature Verified Successfully');

    const view = (await t.request('GET', `/api/v1/submissions/${id}`, { key: broker })).json<Json>();
    expect(view.proof).toMatchObject({ receipt, receiptSm2 });
    expect(await t.kouan.services.submissions.verifySignatures({ submissionId: id })).toEqual({ checked: 1, failures: [] });

    const decided = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'accepted' } });
    expect(await verifyCopy(decided.json<Json>().receiptSm2, keys, 'kouan-decision+jws')).toMatchObject({ valid: true, payload: { submissionId: id, outcome: 'accepted' } });

    // A withdrawal request after acceptance is countersigned with SM2 too, kept, and shown to the declarant only.
    const asked = await t.request('POST', `/api/v1/submissions/${id}/amendments`, { key: broker, body: { action: 'withdraw', reasons: [{ message: 'The goods were not shipped' }] } });
    expect(asked.statusCode, asked.body).toBe(201);
    const amendment = asked.json<Json>();
    expect(await verifyCopy(amendment.receiptSm2, keys, 'kouan-amendment+jws')).toMatchObject({ valid: true, payload: { submissionId: id, amendmentId: amendment.id, action: 'withdraw' } });
    expect(await verifyCopy(amendment.receiptSm2, keys, 'kouan-receipt+jws')).toMatchObject({ valid: false });
    expect(smCryptoVerifies(amendment.receiptSm2, sm2Keys.find((key) => key.purposes?.includes('kouan-amendment+jws') === true) ?? {})).toBe(true);
    const kept = (await t.request('GET', `/api/v1/submissions/${id}`, { key: broker })).json<Json>().amendments as Json[];
    expect(kept).toMatchObject([{ id: amendment.id, receipt: amendment.receipt, receiptSm2: amendment.receiptSm2 }]);
    const shownToCustoms = (await t.request('GET', `/api/v1/submissions/${id}`, { key: cus })).json<Json>().amendments as Json[];
    expect(shownToCustoms.map((request) => request.id)).toEqual([amendment.id]);
    expect(shownToCustoms[0]).not.toHaveProperty('receipt');
    expect(shownToCustoms[0]).not.toHaveProperty('receiptSm2');
  });

  it('KOUAN_SIGNING_ALGS takes EdDSA, or EdDSA with SM2, and nothing else', () => {
    expect(loadConfig({}, { KOUAN_SIGNING_ALGS: 'EdDSA, SM2' }).signingAlgs).toEqual(['EdDSA', 'SM2']);
    expect(loadConfig({}, {}).signingAlgs).toEqual(['EdDSA']);
    expect(() => loadConfig({}, { KOUAN_SIGNING_ALGS: 'SM2' })).toThrow(/must list EdDSA/);
    expect(() => loadConfig({}, { KOUAN_SIGNING_ALGS: 'EdDSA,RS256' })).toThrow(/"RS256" is not EdDSA or SM2/);
  });
});
