/**
 * An SM2-only verifier, independent of Kouan's code: it checks a compact JWS (alg SM2, r || s) against an SM2
 * JWK with SM3 and the standard ID 1234567812345678, with sm-crypto-v2 directly and, when it is on the PATH,
 * with the `openssl` command. What a verifier that handles only the national algorithms would do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';

const STANDARD_ID = '1234567812345678';

/** The SM2 public key of the JWK as 04 || x || y, in hex. */
function pointOf(jwk: { x?: unknown; y?: unknown }): string {
  return `04${Buffer.from(String(jwk.x), 'base64url').toString('hex')}${Buffer.from(String(jwk.y), 'base64url').toString('hex')}`;
}

/** sm-crypto-v2's verdict on the JWS signing input. */
export function smCryptoVerifies(jws: string, jwk: { x?: unknown; y?: unknown }): boolean {
  const [protectedB64 = '', payloadB64 = '', signatureB64 = ''] = jws.split('.');
  return sm2.doVerifySignature(`${protectedB64}.${payloadB64}`, Buffer.from(signatureB64, 'base64url').toString('hex'), pointOf(jwk), { hash: true, der: false, userId: STANDARD_ID });
}

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
/** Whether an `openssl` with SM2 is on the PATH; the OpenSSL checks are run only then. */
export const HAS_OPENSSL_SM2 = openssl.status === 0 && spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2'], { encoding: 'utf8' }).status === 0;

/** OpenSSL's verdict (`pkeyutl -verify -rawin -digest sm3`, the standard ID), with what it printed. */
export function opensslVerifies(jws: string, jwk: { x?: unknown; y?: unknown }): { verified: boolean; output: string } {
  const [protectedB64 = '', payloadB64 = '', signatureB64 = ''] = jws.split('.');
  const signature = Buffer.from(signatureB64, 'base64url');
  const dir = mkdtempSync(join(tmpdir(), 'kouan-sm2-verifier-'));
  try {
    // SubjectPublicKeyInfo of an SM2 key (id-ecPublicKey, curve 1.2.156.10197.1.301), and (r, s) as DER.
    writeFileSync(join(dir, 'pub.der'), Buffer.from(`3059301306072a8648ce3d020106082a811ccf5501822d034200${pointOf(jwk)}`, 'hex'));
    const integer = (bytes: Buffer) => {
      const trimmed = bytes.subarray(Math.max(0, bytes.findIndex((byte) => byte !== 0)));
      const content = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
      return Buffer.concat([Buffer.from([2, content.length]), content]);
    };
    const body = Buffer.concat([integer(signature.subarray(0, 32)), integer(signature.subarray(32))]);
    writeFileSync(join(dir, 'sig.der'), Buffer.concat([Buffer.from([0x30, body.length]), body]));
    writeFileSync(join(dir, 'input.txt'), `${protectedB64}.${payloadB64}`);
    const run = spawnSync('openssl', ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-keyform', 'DER', '-inkey', 'pub.der', '-pkeyopt', `distid:${STANDARD_ID}`, '-in', 'input.txt', '-sigfile', 'sig.der'], { cwd: dir, encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    return { verified: run.status === 0 && output.includes('Signature Verified Successfully'), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
