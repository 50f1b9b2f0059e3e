/**
 * Signatures made by independent implementations verify the way they do there: OpenSSL's SM2 (fixtures made
 * with test/fixtures/sm2/make.sh, and the openssl command run live when it is on the PATH), the GM/T 0003.5
 * example vector, and jose's RFC 7515 / RFC 7797 JWS for EdDSA and ES256.
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey, KeyObject, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, exportJWK, FlattenedSign, generateKeyPair, type CryptoKey } from 'jose';
import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { parseDetachedJws, verifyDetachedJws, type JwsFailure, type VerificationKey } from './jws.js';
import { decodeSm2Signature, verifySm2 } from './sm2.js';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/sm2');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** An SM2 public key file (PEM SubjectPublicKeyInfo) as the JWK Kouan registers. */
function sm2Jwk(pem: Buffer | string): { kty: 'EC'; crv: 'SM2'; x: string; y: string } {
  const spki = createPublicKey(pem).export({ format: 'der', type: 'spki' });
  const point = spki.subarray(spki.length - 64);
  return { kty: 'EC', crv: 'SM2', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') };
}

const check = async (jws: string, body: Uint8Array | string, key: VerificationKey): Promise<{ ok: true } | JwsFailure> => {
  const parsed = parseDetachedJws(jws);
  return parsed.ok ? verifyDetachedJws(parsed, typeof body === 'string' ? Buffer.from(body) : body, key) : parsed;
};

describe('SM2 signatures made by OpenSSL (fixtures)', () => {
  const key: VerificationKey = { kid: 'pk_openssl_fixture', alg: 'SM2', jwk: sm2Jwk(fixture('pub.pem')) };
  const body = fixture('body.json');
  const header = fixture('header.b64').toString('ascii').trim();
  const jws = (signature: Buffer, protectedB64 = header) => `${protectedB64}..${signature.toString('base64url')}`;

  it('accepts DER with the standard ID, from pkeyutl and from dgst, over the base64url body', async () => {
    expect(await check(jws(fixture('sig-standard-id.der')), body, key)).toEqual({ ok: true });
    expect(await check(jws(fixture('sig-dgst.der')), body, key)).toEqual({ ok: true });
  });

  it('accepts the same signature as raw r || s', async () => {
    const decoded = decodeSm2Signature(fixture('sig-standard-id.der'));
    if (!decoded.ok) throw new Error(decoded.reason);
    const raw = Buffer.from(`${decoded.r.toString(16).padStart(64, '0')}${decoded.s.toString(16).padStart(64, '0')}`, 'hex');
    expect(await check(jws(raw), body, key)).toEqual({ ok: true });
  });

  it("accepts an RFC 7797 b64:false signature over the body's bytes", async () => {
    expect(await check(jws(fixture('sig-unencoded.der'), fixture('header-unencoded.b64').toString('ascii').trim()), body, key)).toEqual({ ok: true });
  });

  it("refuses OpenSSL's default empty ID with a message that names the ID", async () => {
    const verdict = await check(jws(fixture('sig-empty-id.der')), body, key);
    expect(verdict).toMatchObject({ ok: false, code: 'SIGNATURE_SM2_ID_WRONG', path: 'signature' });
    expect((verdict as JwsFailure).reason).toContain('1234567812345678');
  });

  it('refuses the signature over another body', async () => {
    expect(await check(jws(fixture('sig-standard-id.der')), body.toString().replace('15000.50', '15000.5'), key)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: 'the signature does not match the body' });
  });

  it('refuses DER that is not strict, saying what is wrong', async () => {
    const der = fixture('sig-standard-id.der');
    const cases: readonly [string, Buffer, RegExp][] = [
      ['a trailing byte', Buffer.concat([der, Buffer.from([0])]), /after the SEQUENCE/],
      ['a cut-off end', der.subarray(0, der.length - 1), /fewer follow|cut short/],
      ['an extra zero in r', derOf(Buffer.concat([Buffer.from([0, 0]), integer(der, 'r')]), integer(der, 's')), /not minimal/],
      ['a negative r', derOf(Buffer.from([0x80, ...Buffer.alloc(31, 1)]), integer(der, 's')), /negative/],
      ['r = 0', derOf(Buffer.from([0]), integer(der, 's')), /r is not in \[1, n-1\]/],
      ['s = n', derOf(integer(der, 'r'), Buffer.from('00fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123', 'hex')), /s is not in \[1, n-1\]/],
      ['a third INTEGER', derOf(integer(der, 'r'), integer(der, 's'), Buffer.from([1])), /more than two/],
      ['a BIT STRING for s', Buffer.from([0x30, 6, 2, 1, 1, 3, 1, 0]), /s should have tag 0x02, not 0x03/],
      ['a long-form length that fits the short form', Buffer.from([0x30, 0x81, 6, 2, 1, 1, 2, 1, 1]), /shortest form/],
      ['an indefinite length', Buffer.from([0x30, 0x80, 2, 1, 1, 2, 1, 1, 0, 0]), /indefinite/],
      ['63 raw bytes', Buffer.alloc(63, 1), /64 bytes/],
    ];
    for (const [what, bytes, reason] of cases) {
      const verdict = await check(jws(bytes), body, key);
      expect(verdict, what).toMatchObject({ ok: false, code: 'SIGNATURE_ENCODING_INVALID', path: 'signature' });
      expect((verdict as JwsFailure).reason, what).toMatch(reason);
    }
  });

  it('agrees with the GM/T 0003.5 example vector (message "message digest", the standard ID)', async () => {
    const publicKey = '04' + '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' + 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13';
    const signature = { r: 0xf5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3n, s: 0xb1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aan };
    expect(verifySm2(Buffer.from('message digest'), signature, publicKey.toLowerCase())).toBe(true);
    expect(verifySm2(Buffer.from('message digesT'), signature, publicKey.toLowerCase())).toBe(false);
    expect(verifySm2(Buffer.from('message digest'), signature, publicKey.toLowerCase(), '')).toBe(false);
  });
});

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = openssl.status === 0 && spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2'], { encoding: 'utf8' }).status === 0;
if (!hasOpenssl) console.log('openssl with SM2 is not on the PATH: the live OpenSSL test is not run (the committed fixtures still are)');

describe.runIf(hasOpenssl)(`SM2 signatures made live by ${openssl.stdout?.trim() ?? 'openssl'}`, () => {
  it('verifies what pkeyutl signs with the standard ID, and names the ID when none is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kouan-sm2-'));
    try {
      const run = (...args: string[]) => {
        const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
      };
      run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'key.pem');
      run('pkey', '-in', 'key.pem', '-pubout', '-out', 'pub.pem');
      const key: VerificationKey = { kid: 'pk_live', alg: 'SM2', jwk: sm2Jwk(readFileSync(join(dir, 'pub.pem'))) };
      const body = JSON.stringify({ docType: 'goods-declaration', data: { value: '15000.50', note: '口岸' } });
      const header = Buffer.from(JSON.stringify({ alg: 'SM2', kid: 'pk_live' })).toString('base64url');
      writeFileSync(join(dir, 'input.txt'), `${header}.${Buffer.from(body).toString('base64url')}`);
      run('pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', 'key.pem', '-pkeyopt', 'distid:1234567812345678', '-in', 'input.txt', '-out', 'standard.der');
      run('pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', 'key.pem', '-in', 'input.txt', '-out', 'empty.der');
      const jws = (file: string) => `${header}..${readFileSync(join(dir, file)).toString('base64url')}`;
      expect(await check(jws('standard.der'), body, key)).toEqual({ ok: true });
      expect(await check(jws('empty.der'), body, key)).toMatchObject({ ok: false, code: 'SIGNATURE_SM2_ID_WRONG' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RFC 7515 and RFC 7797 signatures made by jose', () => {
  const body = JSON.stringify({ docType: 'goods-declaration', data: { value: '15000.50' } });
  const payload = new TextEncoder().encode(body);
  const keys = async (alg: 'EdDSA' | 'ES256') => {
    const pair = alg === 'EdDSA' ? await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }) : await generateKeyPair('ES256', { extractable: true });
    const verification: VerificationKey = { kid: 'pk_jose', alg, jwk: await exportJWK(pair.publicKey) };
    return { privateKey: pair.privateKey, verification };
  };
  const flattened = async (privateKey: CryptoKey, header: Record<string, unknown>, signed: Uint8Array = payload) => {
    const jws = await new FlattenedSign(signed).setProtectedHeader(header).sign(privateKey);
    return `${jws.protected}..${jws.signature}`;
  };

  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`${alg}: a compact JWS with its payload detached verifies, and so does a b64:false one; a tampered body does not`, async () => {
      const { privateKey, verification } = await keys(alg);
      const compact = await new CompactSign(payload).setProtectedHeader({ alg, kid: 'pk_jose' }).sign(privateKey);
      const [protectedB64, , signature] = compact.split('.');
      expect(await check(`${protectedB64}..${signature}`, body, verification)).toEqual({ ok: true });
      const unencoded = await flattened(privateKey, { alg, kid: 'pk_jose', b64: false, crit: ['b64'] });
      expect(await check(unencoded, body, verification)).toEqual({ ok: true });
      expect(await check(unencoded, body.replace('15000.50', '15000.5'), verification)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: 'the signature does not match the body' });
    });

    it(`${alg}: b64 and crit are read as RFC 7515 and 7797 say`, async () => {
      const { privateKey, verification } = await keys(alg);
      // A header claiming b64:false over a signature of the base64url body: the claim decides the bytes.
      const claimed = await new FlattenedSign(new TextEncoder().encode(Buffer.from(body).toString('base64url')))
        .setProtectedHeader({ alg, kid: 'pk_jose', b64: false, crit: ['b64'] })
        .sign(privateKey);
      expect(await check(`${claimed.protected}..${claimed.signature}`, body, verification)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: 'the header says b64:false, but the base64url of the body was signed' });

      const refusals: readonly [Record<string, unknown>, string, RegExp][] = [
        [{ alg, kid: 'pk_jose', b64: false }, 'protected.crit', /b64:false must be listed in crit/],
        [{ alg, kid: 'pk_jose', 'urn:example:deadline': 1, crit: ['urn:example:deadline'] }, 'protected.crit', /does not understand/],
        [{ alg, kid: 'pk_jose', crit: [] }, 'protected.crit', /non-empty/],
        [{ alg, kid: 'pk_jose', crit: ['kid'] }, 'protected.crit', /a header RFC 7515 defines/],
        [{ alg, kid: 'pk_jose', crit: ['b64'] }, 'protected.crit', /does not have/],
        [{ alg, kid: 'pk_jose', b64: false, crit: ['b64', 'b64'] }, 'protected.crit', /twice/],
        [{ alg, kid: 'pk_jose', b64: 'false', crit: ['b64'] }, 'protected.b64', /true or false/],
        [{ alg: alg === 'EdDSA' ? 'ES256' : 'EdDSA', kid: 'pk_jose' }, 'protected.alg', /signs with/],
      ];
      for (const [header, path, reason] of refusals) {
        const protectedB64 = Buffer.from(JSON.stringify(header)).toString('base64url');
        const verdict = await check(`${protectedB64}..${Buffer.alloc(64, 1).toString('base64url')}`, body, verification);
        expect(verdict, JSON.stringify(header)).toMatchObject({ ok: false, code: 'SIGNATURE_HEADER_INVALID', path });
        expect((verdict as JwsFailure).reason, JSON.stringify(header)).toMatch(reason);
      }
    });

    it(`${alg}: the usual client mistakes are named`, async () => {
      const { privateKey, verification } = await keys(alg);
      const header = Buffer.from(JSON.stringify({ alg, kid: 'pk_jose' })).toString('base64url');
      const signWith = (input: Uint8Array) =>
        (alg === 'EdDSA' ? sign(null, input, KeyObject.from(privateKey)) : sign('sha256', input, { key: KeyObject.from(privateKey), dsaEncoding: 'ieee-p1363' })).toString('base64url');
      const signature = signWith(Buffer.concat([Buffer.from(`${header}.`), payload]));
      expect(await check(`${header}..${signature}`, body, verification)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: 'the body was signed unencoded, but the header does not say b64:false' });
      expect(await check(`${header}..${signWith(payload)}`, body, verification)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: expect.stringContaining('the body alone was signed') });
      expect(await check(`${header}.${Buffer.from(body).toString('base64url')}.${signature}`, body, verification)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', path: 'payload' });
      expect(await check(`${header}..${Buffer.alloc(alg === 'EdDSA' ? 63 : 72, 0x30).toString('base64url')}`, body, verification)).toMatchObject({ ok: false, code: 'SIGNATURE_ENCODING_INVALID' });
    });
  }

  it('one path for every algorithm: an SM2 signature with an unknown critical header is refused too', async () => {
    const pair = sm2.generateKeyPairHex();
    const point = Buffer.from(pair.publicKey.slice(2), 'hex');
    const verification: VerificationKey = { kid: 'pk_sm2', alg: 'SM2', jwk: { kty: 'EC', crv: 'SM2', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') } };
    const header = Buffer.from(JSON.stringify({ alg: 'SM2', kid: 'pk_sm2', exp: 1, crit: ['exp'] })).toString('base64url');
    const input = `${header}.${Buffer.from(body).toString('base64url')}`;
    const signature = Buffer.from(sm2.doSignature(input, pair.privateKey, { hash: true, der: true, userId: '1234567812345678' }), 'hex').toString('base64url');
    expect(await check(`${header}..${signature}`, body, verification)).toMatchObject({ ok: false, code: 'SIGNATURE_HEADER_INVALID', path: 'protected.crit' });
  });
});

/** The content octets of r or s in a DER signature (minimal, with a 0 first where the high bit is set). */
function integer(der: Buffer, which: 'r' | 's'): Buffer {
  const rLength = der[3] ?? 0;
  const r = der.subarray(4, 4 + rLength);
  const s = der.subarray(6 + rLength, 6 + rLength + (der[5 + rLength] ?? 0));
  return which === 'r' ? r : s;
}

/** A DER SEQUENCE of INTEGERs with these contents, as given (so that a test can make them non-minimal). */
function derOf(...integers: Buffer[]): Buffer {
  const body = Buffer.concat(integers.map((content) => Buffer.concat([Buffer.from([2, content.length]), content])));
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
