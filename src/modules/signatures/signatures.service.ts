import type { Principal } from '../parties/index.js';
import { KouanError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import { checkPartyJwk } from './jwk.js';
import { parseDetachedJws, verifyDetachedJws, type JwsFailure, type VerificationKey } from './jws.js';
import type { SignaturesRepository } from './signatures.repository.js';
import type { PartyKey, RegisterKeyRequest, SignatureAlg, SigningPolicy } from './signatures.schema.js';
import { PLATFORM, type Jwks, type Signatures, type Signer } from './signer.js';
import { authorize } from '../policies/index.js';

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

  /** Countersigns content with Kouan's key for this kind of content. */
  countersign(content: unknown, kind: 'kouan-receipt+jws' | 'kouan-decision+jws' | 'kouan-amendment+jws'): Promise<string> {
    return this.signer.sign(PLATFORM, content, kind);
  }

  /** Countersigns content with each of Kouan's keys for this kind of content: the main one, and SM2 when KOUAN_SIGNING_ALGS asks for it. */
  countersignAll(content: unknown, kind: 'kouan-receipt+jws' | 'kouan-decision+jws' | 'kouan-amendment+jws'): Promise<Signatures> {
    return this.signer.signAll(PLATFORM, content, kind);
  }

  /** Makes Kouan's own keys at start, so that /.well-known/jwks.json publishes them before the first signature. */
  ensurePlatformKeys(): Promise<void> {
    return this.signer.ensurePlatformKeys();
  }

  /** An enterprise registers a public key (Ed25519, P-256 or SM2) to sign its submissions with. */
  async registerKey(caller: Principal, request: RegisterKeyRequest): Promise<PartyKey> {
    authorize(caller, 'signing-key.manage');
    const { jwk } = request;
    const checked = checkPartyJwk(jwk);
    if (checked.alg === undefined) throw new KouanError('REQUEST_INVALID', { errors: checked.errors });
    const alg = checked.alg;
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
    authorize(caller, 'signing-key.manage');
    if (!(await this.repository.revokePartyKey(caller.partyId, kid, nowIso()))) throw new KouanError('NOT_FOUND');
  }

  async policy(caller: Principal): Promise<SigningPolicy> {
    return { requireSignedSubmissions: await this.repository.requiresSignature(caller.partyId) };
  }

  async setPolicy(caller: Principal, policy: SigningPolicy): Promise<SigningPolicy> {
    authorize(caller, 'signing-key.manage');
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
    const parsed = parseDetachedJws(jws);
    if (!parsed.ok) throw refusal(parsed);
    const key = parsed.kid === undefined ? undefined : await this.repository.findPartyKey(parsed.kid);
    if (key === undefined || key.partyId !== partyId) throw new KouanError('SIGNATURE_KEY_UNKNOWN', { params: { kid: parsed.kid ?? '(none)' } });
    if (key.revokedAt !== null) throw new KouanError('SIGNATURE_KEY_UNKNOWN', { params: { kid: key.kid } });
    const verdict = await verifyDetachedJws(parsed, Buffer.from(body, 'utf8'), { kid: key.kid, alg: key.alg as SignatureAlg, jwk: JSON.parse(key.jwk) as VerificationKey['jwk'] });
    if (!verdict.ok) throw refusal(verdict);
    return { jws, kid: key.kid };
  }

  /**
   * Checks a stored submission's signatures again from what the store kept, as an auditor would years later:
   * the declarant's over the exact bytes it signed, with the key it named (valid when the submission came in,
   * even if revoked since), and Kouan's receipt over this submission. Returns every problem; none means sound.
   */
  async reverify(stored: StoredSubmissionSignatures, keys: PartyKeysByKid = new Map()): Promise<string[]> {
    const problems: string[] = [];
    const { signature } = stored;
    if (signature?.signedBody === null) problems.push('the signed bytes were not kept (stored before migration 0014): the signature cannot be checked');
    else if (signature !== null) {
      const parsed = parseDetachedJws(signature.jws);
      const key = await this.partyKey(signature.kid, keys);
      if (!parsed.ok) problems.push(`the declarant's signature: ${parsed.reason}`);
      else if (key === undefined || key.partyId !== stored.declarant) problems.push(`the declarant's signature names ${signature.kid}, not a key of ${stored.declarant}`);
      else if (parsed.kid !== key.kid) problems.push(`the declarant's signature names ${parsed.kid ?? '(no kid)'}, the submission records ${key.kid}`);
      else if (key.createdAt > stored.createdAt || (key.revokedAt !== null && key.revokedAt <= stored.createdAt)) problems.push(`the key ${key.kid} was not active at ${stored.createdAt}`);
      else {
        try {
          const verdict = await verifyDetachedJws(parsed, Buffer.from(signature.signedBody, 'utf8'), { kid: key.kid, alg: key.alg as SignatureAlg, jwk: JSON.parse(key.jwk) as VerificationKey['jwk'] });
          if (!verdict.ok) problems.push(`the declarant's signature: ${verdict.reason}`);
        } catch {
          // A stored key that no longer parses is itself a finding, not a reason to stop checking the others.
          problems.push(`the stored key ${key.kid} is not a valid ${key.alg} public key`);
        }
      }
    }
    for (const [name, receipt] of [['receipt', stored.receipt], ['SM2 receipt', stored.receiptSm2 ?? null]] as const) {
      if (receipt === null) continue;
      const check = await this.signer.verify(receipt, 'kouan-receipt+jws');
      if (!check.valid) {
        problems.push(`Kouan's ${name}: ${check.reason}`);
        continue;
      }
      const content = check.payload as Record<string, unknown>;
      const expected: Record<string, unknown> = { submissionId: stored.submissionId, declarant: stored.declarant, requestSha256: stored.requestHash, declarantSignatureKid: signature?.kid ?? null, receivedAt: stored.createdAt };
      for (const [field, value] of Object.entries(expected)) {
        if (content[field] !== value) problems.push(`Kouan's ${name} says ${field} ${JSON.stringify(content[field])}, the submission ${JSON.stringify(value)}`);
      }
    }
    return problems;
  }

  private partyKey(kid: string, keys: PartyKeysByKid): Promise<PartyKeyRecord> {
    let key = keys.get(kid);
    if (key === undefined) {
      key = this.repository.findPartyKey(kid);
      keys.set(kid, key);
    }
    return key;
  }
}

type PartyKeyRecord = Awaited<ReturnType<SignaturesRepository['findPartyKey']>>;

/** Parties' keys already read during one run of reverify over many submissions, by kid. */
export type PartyKeysByKid = Map<string, Promise<PartyKeyRecord>>;

/** What a submission keeps of its signatures, to be checked again from the store. */
export interface StoredSubmissionSignatures {
  readonly submissionId: string;
  readonly declarant: string;
  readonly createdAt: string;
  readonly requestHash: string;
  readonly signature: { readonly jws: string; readonly kid: string; readonly signedBody: string | null } | null;
  readonly receipt: string | null;
  readonly receiptSm2?: string | null;
}

/** A refused signature as problem+json: the code, the reason, and the part of Kouan-Signature at fault. */
function refusal(failure: JwsFailure): KouanError {
  return new KouanError(failure.code, { params: { reason: failure.reason }, errors: [{ path: `Kouan-Signature.${failure.path}`, code: 'FIELD_FORMAT', params: { format: failure.reason } }] });
}
