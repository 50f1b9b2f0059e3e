/**
 * What a party's public JWK may say (RFC 7517 section 4, RFC 8037, and `ext` from Web Crypto), and that what it
 * says is consistent with a key that verifies submissions: `use` "sig", `key_ops` only "verify", `alg` the one
 * its curve signs with, and a first `x5c` certificate (with its thumbprints) for this very key.
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import type { FieldError } from '../../shared/errors.js';
import type { RegisterKeyRequest, SignatureAlg } from './signatures.schema.js';
import { isSm2PublicKey, sm2PublicKeyHex } from './sm2.js';

type PartyJwk = RegisterKeyRequest['jwk'];

const invalid = (path: string, format: string): FieldError => ({ path: `$.jwk${path}`, code: 'FIELD_FORMAT', params: { format } });

/** The JWS algorithm of a party's key, or every problem with it. */
export function checkPartyJwk(jwk: PartyJwk): { alg: SignatureAlg; errors: [] } | { alg?: undefined; errors: FieldError[] } {
  const alg: SignatureAlg | undefined =
    jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.y === undefined
      ? 'EdDSA'
      : jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.y !== undefined
        ? 'ES256'
        : jwk.kty === 'EC' && jwk.crv === 'SM2' && jwk.y !== undefined
          ? 'SM2'
          : undefined;
  if (alg === undefined) return { errors: [invalid('', 'an OKP Ed25519 key (x), or an EC P-256 or SM2 key (x, y)')] };
  const errors: FieldError[] = [];
  const point = publicPoint(jwk, alg);
  if (point === undefined) return { errors: [invalid('', `a valid ${alg} public key`)] };

  if (jwk.alg !== undefined && jwk.alg !== alg) errors.push({ path: '$.jwk.alg', code: 'FIELD_NOT_ALLOWED', params: { allowed: alg } });
  if (jwk.use !== undefined && jwk.use !== 'sig') errors.push({ path: '$.jwk.use', code: 'FIELD_NOT_ALLOWED', params: { allowed: 'sig' } });
  if (jwk.key_ops !== undefined && (jwk.key_ops.length !== 1 || jwk.key_ops[0] !== 'verify')) {
    // A public key can only verify; "sign" would describe the private key, anything else another purpose.
    errors.push({ path: '$.jwk.key_ops', code: 'FIELD_NOT_ALLOWED', params: { allowed: '["verify"]' } });
  }
  if (jwk.x5c !== undefined) errors.push(...checkCertificates(jwk, point));
  else if (jwk.x5t !== undefined || jwk['x5t#S256'] !== undefined) errors.push(invalid('.x5c', 'the certificate chain the thumbprints (x5t, x5t#S256) are of'));
  return errors.length === 0 ? { alg, errors: [] } : { errors };
}

/** The key's public point as SubjectPublicKeyInfo ends it (Ed25519: x; EC: 04 || x || y), if it is a valid key. */
function publicPoint(jwk: PartyJwk, alg: SignatureAlg): Buffer | undefined {
  try {
    if (alg === 'SM2') {
      const hex = sm2PublicKeyHex(jwk);
      return isSm2PublicKey(hex) ? Buffer.from(hex, 'hex') : undefined;
    }
    const key = createPublicKey({ key: alg === 'EdDSA' ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y ?? '' }, format: 'jwk' });
    const spki = key.export({ format: 'der', type: 'spki' });
    return spki.subarray(spki.length - (alg === 'EdDSA' ? 32 : 65));
  } catch {
    return undefined;
  }
}

/**
 * RFC 7517 4.7-4.9: the first certificate's key must be this key, and the thumbprints must be of that
 * certificate. Kouan does not judge the chain's trust: the key is registered by the party's admin, not by it.
 */
function checkCertificates(jwk: PartyJwk, point: Buffer): FieldError[] {
  const [first] = jwk.x5c ?? [];
  let der: Buffer;
  let spki: Buffer;
  try {
    if (first === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(first)) throw new Error('not base64');
    der = Buffer.from(first, 'base64');
    spki = new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' });
  } catch {
    return [invalid('.x5c[0]', 'a base64 (not base64url) DER X.509 certificate')];
  }
  const errors: FieldError[] = [];
  if (!spki.subarray(spki.length - point.length).equals(point)) errors.push(invalid('.x5c[0]', 'a certificate of this very key (RFC 7517 section 4.7)'));
  if (jwk.x5t !== undefined && jwk.x5t !== createHash('sha1').update(der).digest('base64url')) errors.push(invalid('.x5t', 'the base64url SHA-1 of x5c[0]'));
  if (jwk['x5t#S256'] !== undefined && jwk['x5t#S256'] !== createHash('sha256').update(der).digest('base64url')) errors.push(invalid('.x5t#S256', 'the base64url SHA-256 of x5c[0]'));
  return errors;
}
