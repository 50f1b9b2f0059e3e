/**
 * Signatures checked again later, from the store alone, on both stores: the declarant's detached JWS over the
 * exact bytes it signed (the stored document is normalised, so those bytes are kept beside it) and Kouan's
 * receipt, by the service, by `kouan signatures verify` (a process of its own) and by the operators' API.
 */
import { exportJWK, FlattenedSign, generateKeyPair } from 'jose';
import { sm2 } from 'sm-crypto-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { runKouan } from './support/cli.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();

describe.each(kinds)('stored signatures on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let cus: string;
  let operator: string;
  const submitted: { id: string; text: string; receipt: string }[] = [];

  const send = (text: string, headers: Record<string, string> = {}) =>
    t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/json', ...headers }, payload: text });
  /** The CLI against this test's store, in a process of its own. */
  const cli = (...args: string[]) => runKouan(t.store.config.dataDir, [...args, ...(t.store.config.databaseUrl === undefined ? [] : ['--database-url', t.store.config.databaseUrl])]);
  const db = () => t.kouan.services.store.db;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.delegate(IMPORTER, BROKER);
    cus = await t.agency('CUS');
    await t.kouan.services.parties.createParty({ id: 'ops-sig', kind: 'operator', name: 'Operations' });
    operator = (await t.kouan.services.parties.createKey('ops-sig')).key;

    const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const edKid = (await t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk: await exportJWK(ed.publicKey) } })).json<Json>().kid as string;
    const pair = sm2.generateKeyPairHex();
    const point = Buffer.from(pair.publicKey.slice(2), 'hex');
    const smJwk = { kty: 'EC', crv: 'SM2', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') };
    const smKid = (await t.request('POST', '/api/v1/signing-keys', { key: broker, body: { jwk: smJwk } })).json<Json>().kid as string;

    // Decimals as clients write them ("120000.50", 700.0): the stored document normalises them, the signature does not.
    const signers: ((text: string) => Promise<string>)[] = [
      async (text) => {
        const jws = await new FlattenedSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'EdDSA', kid: edKid }).sign(ed.privateKey);
        return `${jws.protected}..${jws.signature}`;
      },
      async (text) => {
        const jws = await new FlattenedSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'EdDSA', kid: edKid, b64: false, crit: ['b64'] }).sign(ed.privateKey);
        return `${jws.protected}..${jws.signature}`;
      },
      (text) => {
        const header = Buffer.from(JSON.stringify({ alg: 'SM2', kid: smKid })).toString('base64url');
        const signature = sm2.doSignature(`${header}.${Buffer.from(text).toString('base64url')}`, pair.privateKey, { hash: true, der: true, userId: '1234567812345678' });
        return Promise.resolve(`${header}..${Buffer.from(signature, 'hex').toString('base64url')}`);
      },
    ];
    for (const [index, signer] of signers.entries()) {
      const text = JSON.stringify({ docType: 'goods-declaration', data: importDeclaration({ lines: [{ ...LAPTOPS, value: `12000${index}.50`, netWeightKg: '700.0' }] }) }, null, index);
      const response = await send(text, { 'kouan-signature': await signer(text), 'idempotency-key': `stored-${index}` });
      expect(response.statusCode, response.body).toBe(201);
      submitted.push({ id: response.json<Json>().id as string, text, receipt: response.json<Json>().receipt as string });
    }
    const unsigned = await send(JSON.stringify({ docType: 'goods-declaration', data: importDeclaration() }));
    submitted.push({ id: unsigned.json<Json>().id as string, text: '', receipt: unsigned.json<Json>().receipt as string });
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps the signed bytes beside the normalised document, and returns the signature and the receipt with the submission', async () => {
    const [first] = submitted;
    if (first === undefined) throw new Error('nothing submitted');
    const row = await db().selectFrom('submissions').select(['data']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.data).not.toContain('120000.50');

    const view = (await t.request('GET', `/api/v1/submissions/${first.id}`, { key: broker })).json<Json>();
    expect(view.proof.signature).toMatchObject({ kid: expect.stringMatching(/^pk_/), signedBody: first.text });
    expect(view.proof.receipt).toBe(first.receipt);
    const agencyView = (await t.request('GET', `/api/v1/submissions/${first.id}`, { key: cus })).json<Json>();
    expect(agencyView).not.toHaveProperty('proof');
    const unsigned = (await t.request('GET', `/api/v1/submissions/${submitted[3]?.id ?? ''}`, { key: broker })).json<Json>();
    expect(unsigned.proof).toEqual({ signature: null, receipt: submitted[3]?.receipt });

    // A replay answers the receipt given the first time, naming the declarant's key.
    const replay = await send(first.text, { 'kouan-signature': view.proof.signature.jws as string, 'idempotency-key': 'stored-0' });
    expect(replay.json<Json>().receipt).toBe(first.receipt);
  });

  it('every stored signature and receipt verifies again from the store: service, CLI and API', async () => {
    expect(await t.kouan.services.submissions.verifySignatures()).toEqual({ checked: 4, failures: [] });
    const all = await cli('signatures', 'verify', '--all');
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ checked: 4, failures: [] });
    const one = await cli('signatures', 'verify', '--submission', submitted[2]?.id ?? '');
    expect(JSON.parse(one.stdout)).toEqual({ checked: 1, failures: [] });
    expect((await cli('signatures', 'verify')).code).toBe(1);

    const api = await t.request('GET', '/api/v1/signatures/verification', { key: operator });
    expect(api.statusCode).toBe(200);
    expect(api.json<Json>()).toEqual({ checked: 4, failures: [] });
    expect((await t.request('GET', '/api/v1/signatures/verification', { key: broker })).statusCode).toBe(403);
  });

  it('names every submission whose signed bytes or receipt were altered in the store, exit code 1', async () => {
    const [first, second, third] = submitted;
    if (first === undefined || second === undefined || third === undefined) throw new Error('nothing submitted');
    await db().updateTable('submissions').set({ signed_body: first.text.replace('120000.50', '120000.5') }).where('id', '=', first.id).execute();
    await db().updateTable('submissions').set({ receipt: third.receipt }).where('id', '=', second.id).execute();
    try {
      const verdict = await t.kouan.services.submissions.verifySignatures();
      expect(verdict.failures.map((failure) => failure.submissionId).sort()).toEqual([first.id, second.id].sort());
      expect(verdict.failures.find((failure) => failure.submissionId === first.id)?.problems).toEqual(["the declarant's signature: the signature does not match the body"]);
      expect(verdict.failures.find((failure) => failure.submissionId === second.id)?.problems.join(' ')).toContain(`submissionId "${third.id}"`);

      const run = await cli('signatures', 'verify', '--all');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(first.id);
      expect(run.stderr).toContain(second.id);
      const api = (await t.request('GET', `/api/v1/signatures/verification?submission=${first.id}`, { key: operator })).json<Json>();
      expect(api).toMatchObject({ checked: 1, failures: [{ submissionId: first.id }] });
    } finally {
      await db().updateTable('submissions').set({ signed_body: first.text }).where('id', '=', first.id).execute();
      await db().updateTable('submissions').set({ receipt: second.receipt }).where('id', '=', second.id).execute();
    }
    expect((await t.kouan.services.submissions.verifySignatures()).failures).toEqual([]);
  });
});
