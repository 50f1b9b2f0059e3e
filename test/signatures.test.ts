/** Signed submissions and Kouan's countersigned receipts, on both stores. */
import { exportJWK, FlattenedSign, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCopy, type Jwks } from '../src/modules/signatures/index.js';
import { BROKER, IMPORTER, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

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

      const check = await verifyCopy(receipt, await jwks());
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
    const check = await verifyCopy(decided.json<Json>().receipt, await jwks());
    expect(check).toMatchObject({ valid: true, issuer: 'kouan', payload: { submissionId: id, agency: 'CUS', outcome: 'accepted', partStatus: 'accepted' } });
  });
});

describe('SM2 signatures', () => {
  let t: TestKouan;
  let broker: string;
  beforeAll(async () => {
    t = await startTestKouan('sqlite');
    await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.delegate(IMPORTER, BROKER);
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a body signed with SM2/SM3 and the standard ID, and refuses a tampered one', async () => {
    const { sm2 } = await import('sm-crypto-v2');
    const pair = sm2.generateKeyPairHex();
    const point = Buffer.from(pair.publicKey.slice(2), 'hex');
    const jwk = { kty: 'EC', crv: 'SM2', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') };
    const registered = await t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk } });
    expect(registered.json<Json>()).toMatchObject({ alg: 'SM2' });
    const kid = registered.json<Json>().kid as string;
    const text = JSON.stringify({ docType: 'goods-declaration', data: importDeclaration() });
    const header = Buffer.from(JSON.stringify({ alg: 'SM2', kid })).toString('base64url');
    const input = `${header}.${Buffer.from(text).toString('base64url')}`;
    const signature = Buffer.from(sm2.doSignature(input, pair.privateKey, { hash: true, der: false, userId: '1234567812345678' }), 'hex').toString('base64url');
    const send = (body: string) =>
      t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/json', 'kouan-signature': `${header}..${signature}` }, payload: body });
    expect((await send(text)).statusCode).toBe(201);
    const tampered = await send(text.replace('"CIF"', '"FOB"'));
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json<Json>().code).toBe('SIGNATURE_INVALID');
  });
});
