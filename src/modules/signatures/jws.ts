/**
 * Detached JWS (RFC 7515 appendix F) with the unencoded-payload option (RFC 7797), checked the same way for
 * every algorithm: one header check, one signing input, then only the primitive differs. Kouan does not lean
 * on a JOSE library here because none treats SM2, and two code paths had already drifted apart (a `b64:false`
 * header was honoured for one algorithm and ignored for another).
 */
import { webcrypto } from 'node:crypto';
import type { SignatureAlg } from './signatures.schema.js';
import { SM2_USER_ID, decodeSm2Signature, sm2PublicKeyHex, verifySm2 } from './sm2.js';

/** Why a signature was refused: the problem code, what was wrong, and where in the Kouan-Signature header. */
export interface JwsFailure {
  readonly ok: false;
  readonly code: 'SIGNATURE_INVALID' | 'SIGNATURE_HEADER_INVALID' | 'SIGNATURE_ENCODING_INVALID' | 'SIGNATURE_SM2_ID_WRONG';
  readonly reason: string;
  /** The part of the JWS at fault: `protected`, `protected.<member>`, `signature` or `payload`. */
  readonly path: string;
}

export interface ParsedJws {
  readonly ok: true;
  readonly protectedB64: string;
  readonly signature: Uint8Array;
  readonly header: Readonly<Record<string, unknown>>;
  readonly alg: string;
  readonly kid: string | undefined;
  /** False when the payload is signed as its bytes (RFC 7797), true when as its base64url. */
  readonly b64: boolean;
}

/** A public key as Kouan keeps it: the algorithm it signs with and its JWK (only kty, crv, x, y are read). */
export interface VerificationKey {
  readonly kid: string;
  readonly alg: SignatureAlg;
  readonly jwk: { readonly kty?: unknown; readonly crv?: unknown; readonly x?: unknown; readonly y?: unknown };
}

/** The header parameters RFC 7515 registers: `crit` may not list them (section 4.1.11). */
const REGISTERED_HEADERS = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit']);
/** The extensions Kouan understands, and so may be marked critical. */
const UNDERSTOOD_EXTENSIONS = new Set(['b64']);
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const fail = (code: JwsFailure['code'], reason: string, path: string): JwsFailure => ({ ok: false, code, reason, path });

/** Reads `<protected>..<signature>` and checks its header by RFC 7515 and 7797; no key is needed yet. */
export function parseDetachedJws(jws: string): ParsedJws | JwsFailure {
  const segments = jws.split('.');
  if (segments.length !== 3) return fail('SIGNATURE_INVALID', `not a detached compact JWS (<protected>..<signature>): ${segments.length} segment(s), not 3`, 'protected');
  const [protectedB64 = '', payload = '', signatureB64 = ''] = segments;
  if (payload !== '') return fail('SIGNATURE_INVALID', 'the payload segment must be empty: the body is the payload (detached, RFC 7515 appendix F)', 'payload');
  if (protectedB64 === '' || !BASE64URL.test(protectedB64)) return fail('SIGNATURE_INVALID', 'the protected header is not base64url (RFC 4648 section 5, no padding)', 'protected');
  if (signatureB64 === '' || !BASE64URL.test(signatureB64) || signatureB64.length % 4 === 1) return fail('SIGNATURE_ENCODING_INVALID', 'the signature is not base64url (RFC 4648 section 5, no padding)', 'signature');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(protectedB64, 'base64url')));
  } catch {
    return fail('SIGNATURE_INVALID', 'the protected header is not UTF-8 JSON', 'protected');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('SIGNATURE_INVALID', 'the protected header is not a JSON object', 'protected');
  const members = header as Record<string, unknown>;
  if (typeof members.alg !== 'string') return fail('SIGNATURE_HEADER_INVALID', 'alg is missing or not a string', 'protected.alg');
  if (members.kid !== undefined && typeof members.kid !== 'string') return fail('SIGNATURE_HEADER_INVALID', 'kid is not a string', 'protected.kid');

  const crit = members.crit;
  const critical = new Set<string>();
  if (crit !== undefined) {
    // RFC 7515 4.1.11: a non-empty array of names that are not registered, each present and understood.
    if (!Array.isArray(crit) || crit.length === 0) return fail('SIGNATURE_HEADER_INVALID', 'crit must be a non-empty array of header names', 'protected.crit');
    for (const name of crit) {
      if (typeof name !== 'string') return fail('SIGNATURE_HEADER_INVALID', 'crit lists something that is not a string', 'protected.crit');
      if (critical.has(name)) return fail('SIGNATURE_HEADER_INVALID', `crit lists ${name} twice`, 'protected.crit');
      if (REGISTERED_HEADERS.has(name)) return fail('SIGNATURE_HEADER_INVALID', `crit may not list ${name}, a header RFC 7515 defines`, 'protected.crit');
      if (!(name in members)) return fail('SIGNATURE_HEADER_INVALID', `crit lists ${name}, which the header does not have`, 'protected.crit');
      if (!UNDERSTOOD_EXTENSIONS.has(name)) return fail('SIGNATURE_HEADER_INVALID', `crit lists ${name}, an extension Kouan does not understand (it understands: ${[...UNDERSTOOD_EXTENSIONS].join(', ')})`, 'protected.crit');
      critical.add(name);
    }
  }
  let b64 = true;
  if (members.b64 !== undefined) {
    if (typeof members.b64 !== 'boolean') return fail('SIGNATURE_HEADER_INVALID', 'b64 must be true or false (RFC 7797)', 'protected.b64');
    // RFC 7797 section 6: b64 must be critical, or a verifier that ignores it would check other bytes.
    if (!members.b64 && !critical.has('b64')) return fail('SIGNATURE_HEADER_INVALID', 'b64:false must be listed in crit (RFC 7797 section 6): add "crit":["b64"]', 'protected.crit');
    b64 = members.b64;
  }
  return {
    ok: true,
    protectedB64,
    signature: Buffer.from(signatureB64, 'base64url'),
    header: members,
    alg: members.alg,
    kid: typeof members.kid === 'string' ? members.kid : undefined,
    b64,
  };
}

/** The JWS signing input: ASCII(protected) "." then the payload as base64url, or as its bytes when b64 is false. */
export function signingInput(protectedB64: string, payload: Uint8Array, b64: boolean): Uint8Array {
  return Buffer.concat([Buffer.from(`${protectedB64}.`, 'ascii'), b64 ? Buffer.from(Buffer.from(payload).toString('base64url'), 'ascii') : payload]);
}

/**
 * Checks a parsed JWS over the payload bytes with the key; the one path for EdDSA, ES256 and SM2. Ed25519 and
 * P-256 are checked by Web Crypto, off the event loop, so that many checks at once do not stall other requests.
 * Throws only when the key itself is not a valid key of its algorithm.
 */
export async function verifyDetachedJws(parsed: ParsedJws, payload: Uint8Array, key: VerificationKey): Promise<{ ok: true } | JwsFailure> {
  if (parsed.alg !== key.alg) return fail('SIGNATURE_HEADER_INVALID', `the key ${key.kid} signs with ${key.alg}, the header says ${parsed.alg}`, 'protected.alg');
  const primitive = await primitiveFor(key);
  const signature = primitive.decode(parsed.signature);
  if (typeof signature === 'string') return fail('SIGNATURE_ENCODING_INVALID', signature, 'signature');
  const input = signingInput(parsed.protectedB64, payload, parsed.b64);
  if (await signature.verify(input)) return { ok: true };
  if (signature.verifyWithEmptyId?.(input) === true) {
    return fail('SIGNATURE_SM2_ID_WRONG', `the SM2 signature was made with the empty signer ID, not the standard ID ${SM2_USER_ID}`, 'signature');
  }
  // Say which bytes the client signed when it is one of the usual mistakes; each guess is one more check.
  const guesses: readonly [Uint8Array, string][] = [
    [signingInput(parsed.protectedB64, payload, !parsed.b64), parsed.b64 ? 'the body was signed unencoded, but the header does not say b64:false' : 'the header says b64:false, but the base64url of the body was signed'],
    [payload, 'the body alone was signed; sign the JWS signing input BASE64URL(header) "." payload (RFC 7515 section 5.1)'],
  ];
  for (const [bytes, reason] of guesses) {
    if (await signature.verify(bytes)) return fail('SIGNATURE_INVALID', reason, 'signature');
  }
  return fail('SIGNATURE_INVALID', 'the signature does not match the body', 'signature');
}

interface Primitive {
  /** The signature bytes decoded once for this algorithm, ready to check inputs against; or why they cannot be one. */
  decode(signature: Uint8Array): DecodedSignature | string;
}

interface DecodedSignature {
  verify(input: Uint8Array): Promise<boolean> | boolean;
  verifyWithEmptyId?(input: Uint8Array): boolean;
}

async function primitiveFor(key: VerificationKey): Promise<Primitive> {
  switch (key.alg) {
    case 'EdDSA': {
      const publicKey = await webcrypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: String(key.jwk.x) }, { name: 'Ed25519' }, false, ['verify']);
      return {
        decode: (signature) =>
          signature.length === 64
            ? { verify: (input) => webcrypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, input) }
            : `an Ed25519 signature is 64 bytes, this is ${signature.length}`,
      };
    }
    case 'ES256': {
      const publicKey = await webcrypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: String(key.jwk.x), y: String(key.jwk.y) }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      return {
        decode: (signature) =>
          signature.length === 64
            ? // Web Crypto's ECDSA signature is r || s, as in a JWS (RFC 7518 section 3.4).
              { verify: (input) => webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, input) }
            : signature[0] === 0x30
              ? `ES256 in a JWS is r || s (64 bytes, RFC 7518 section 3.4), not DER (${signature.length} bytes)`
              : `an ES256 signature is r || s, 64 bytes; this is ${signature.length}`,
      };
    }
    case 'SM2': {
      const publicKey = sm2PublicKeyHex({ x: String(key.jwk.x), y: String(key.jwk.y) });
      return {
        decode: (signature) => {
          const decoded = decodeSm2Signature(signature);
          if (!decoded.ok) return decoded.reason;
          return { verify: (input) => verifySm2(input, decoded, publicKey, SM2_USER_ID), verifyWithEmptyId: (input) => verifySm2(input, decoded, publicKey, '') };
        },
      };
    }
  }
}
