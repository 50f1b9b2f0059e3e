import { flattenedVerify, importJWK, type JWK } from 'jose';
import { sm2 } from 'sm-crypto-v2';
import type { Principal } from '../parties/index.js';
import { KouanError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { SignaturesRepository } from './signatures.repository.js';
import type { PartyKey, RegisterKeyRequest, SignatureAlg, SigningPolicy } from './signatures.schema.js';
import type { Jwks, Signer } from './signer.js';

/** The signer name of Kouan's own key, which countersigns receipts and decisions. */
export const PLATFORM = 'kouan';

/** A verified signature of a submission: what to keep for non-repudiation. */
export interface SubmissionSignature {
  readonly jws: string;
  readonly kid: string;
}

export class SignaturesService {
  constructor(
    private readonly repository: SignaturesRepository,
    private readonly signer: Signer,
  ) {}

  /** The signer used for ledger accounts and receipts. */
  get platformSigner(): Signer {
    return this.signer;
  }

  /** Kouan's and the issuers' public keys: what verifies receipts, decisions and ledger accounts offline. */
  jwks(): Promise<Jwks> {
    return this.signer.jwks();
  }

  /** Countersigns content with Kouan's key. */
  countersign(content: unknown, typ: string): Promise<string> {
    return this.signer.sign(PLATFORM, content, typ);
  }

  /** An enterprise registers a public key (Ed25519 or P-256) to sign its submissions with. */
  async registerKey(caller: Principal, request: RegisterKeyRequest): Promise<PartyKey> {
    if (caller.kind !== 'enterprise') throw new KouanError('FORBIDDEN');
    const { jwk } = request;
    const alg: SignatureAlg | undefined =
      jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.y === undefined
        ? 'EdDSA'
        : jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.y !== undefined
          ? 'ES256'
          : jwk.kty === 'EC' && jwk.crv === 'SM2' && jwk.y !== undefined
            ? 'SM2'
            : undefined;
    if (alg === undefined) throw new KouanError('REQUEST_INVALID', { errors: [{ path: '$.jwk', code: 'FIELD_FORMAT', params: { format: 'an OKP Ed25519 key (x), or an EC P-256 or SM2 key (x, y)' } }] });
    try {
      if (alg === 'SM2') {
        if (!sm2.verifyPublicKey(sm2PublicKeyHex(jwk))) throw new Error('not on the curve');
      } else {
        await importJWK(jwk as JWK, alg);
      }
    } catch {
      throw new KouanError('REQUEST_INVALID', { errors: [{ path: '$.jwk', code: 'FIELD_FORMAT', params: { format: `a valid ${alg} public key` } }] });
    }
    const key = { kid: newId('pk'), partyId: caller.partyId, alg, jwk: JSON.stringify(jwk), createdAt: nowIso() };
    await this.repository.insertPartyKey(key);
    return { kid: key.kid, alg, jwk, createdAt: key.createdAt, revokedAt: null };
  }

  async listKeys(caller: Principal): Promise<PartyKey[]> {
    const keys = await this.repository.partyKeys(caller.partyId);
    return keys.map((key) => ({ kid: key.kid, alg: key.alg as SignatureAlg, jwk: JSON.parse(key.jwk) as unknown, createdAt: key.createdAt, revokedAt: key.revokedAt }));
  }

  /** Revokes a key at once: submissions signed with it are refused from now on. */
  async revokeKey(caller: Principal, kid: string): Promise<void> {
    if (caller.kind !== 'enterprise') throw new KouanError('FORBIDDEN');
    if (!(await this.repository.revokePartyKey(caller.partyId, kid, nowIso()))) throw new KouanError('NOT_FOUND');
  }

  async policy(caller: Principal): Promise<SigningPolicy> {
    return { requireSignedSubmissions: await this.repository.requiresSignature(caller.partyId) };
  }

  async setPolicy(caller: Principal, policy: SigningPolicy): Promise<SigningPolicy> {
    if (caller.kind !== 'enterprise') throw new KouanError('FORBIDDEN');
    await this.repository.setRequiresSignature(caller.partyId, policy.requireSignedSubmissions, nowIso());
    return policy;
  }

  /**
   * Checks a submission's detached JWS (`Kouan-Signature: <protected>..<signature>`) over the exact request body,
   * with a key of the submitting party; enforces the party's policy when there is none.
   */
  async verifySubmission(partyId: string, jws: string | undefined, body: string): Promise<SubmissionSignature | undefined> {
    if (jws === undefined) {
      if (await this.repository.requiresSignature(partyId)) throw new KouanError('SIGNATURE_REQUIRED');
      return undefined;
    }
    const [protectedHeader = '', attached, signature = ''] = jws.split('.');
    if (jws.split('.').length !== 3 || attached !== '') throw new KouanError('SIGNATURE_INVALID', { params: { reason: 'not a detached compact JWS (<protected>..<signature>)' } });
    let header: { alg?: unknown; kid?: unknown; b64?: unknown };
    try {
      header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as typeof header;
    } catch {
      throw new KouanError('SIGNATURE_INVALID', { params: { reason: 'the protected header is not base64url JSON' } });
    }
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const key = kid === undefined ? undefined : await this.repository.findPartyKey(kid);
    if (key === undefined || key.partyId !== partyId) throw new KouanError('SIGNATURE_KEY_UNKNOWN', { params: { kid: kid ?? '(none)' } });
    if (key.revokedAt !== null) throw new KouanError('SIGNATURE_KEY_UNKNOWN', { params: { kid: key.kid } });
    if (header.alg !== key.alg) throw new KouanError('SIGNATURE_INVALID', { params: { reason: `the key ${key.kid} signs with ${key.alg}, the header says ${String(header.alg)}` } });
    const payload = Buffer.from(body, 'utf8').toString('base64url');
    let valid: boolean;
    try {
      if (key.alg === 'SM2') {
        // RFC 7515's signing input, signed with SM2/SM3 (ID 1234567812345678); the signature is r || s, 64 bytes.
        const rs = Buffer.from(signature, 'base64url');
        valid = rs.length === 64 && sm2.doVerifySignature(`${protectedHeader}.${payload}`, rs.toString('hex'), sm2PublicKeyHex(JSON.parse(key.jwk) as { x: string; y?: string }), { hash: true, der: false, userId: SM2_USER_ID });
      } else {
        await flattenedVerify({ protected: protectedHeader, payload, signature }, await importJWK(JSON.parse(key.jwk) as JWK, key.alg), { algorithms: [key.alg] });
        valid = true;
      }
    } catch {
      valid = false;
    }
    if (!valid) throw new KouanError('SIGNATURE_INVALID', { params: { reason: 'the signature does not match the body' } });
    return { jws, kid: key.kid };
  }
}

/** The standard signer ID of SM2 signatures (GM/T 0009). */
export const SM2_USER_ID = '1234567812345678';

/** An SM2 public key as the uncompressed point sm-crypto expects: 04 || x || y, in hex. */
function sm2PublicKeyHex(jwk: { x: string; y?: string | undefined }): string {
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  if (x.length !== 32 || y.length !== 32) throw new Error('an SM2 coordinate is 32 bytes');
  return `04${x.toString('hex')}${y.toString('hex')}`;
}
