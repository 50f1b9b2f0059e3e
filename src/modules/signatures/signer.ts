/**
 * Kouan's signatures. Each key signs one kind of thing, named by the JWS `typ` it writes: Kouan itself
 * (`kouan`) has one key for submission receipts and one for decisions; each issuing agency has one for the
 * ledger accounts Kouan signs on its behalf. A signature is a compact JWS whose payload is the signed content
 * as canonical JSON, so a printed or exported copy carries everything needed to check it offline against the
 * public keys, and a verifier that checks `typ`, the key's purposes and the issuer cannot be handed a receipt
 * as a licence.
 */
import { createPrivateKey, generateKeyPairSync, sign as signPrimitive } from 'node:crypto';
import { decodeProtectedHeader, type JWK } from 'jose';
import { canonicalJson } from '../../shared/canonical-json.js';
import { newId, nowIso } from '../../shared/ids.js';
import { sm2 } from 'sm-crypto-v2';
import { parseDetachedJws, verifyDetachedJws } from './jws.js';
import { signSm2, sm2PublicKeyHex } from './sm2.js';
import type { SignaturesRepository } from './signatures.repository.js';
import { SIGNATURE_ALGS, type SignatureAlg } from './signatures.schema.js';

export const SIGNING_ALG = 'EdDSA';
/** What Kouan's keys sign with: Ed25519 always; SM2 beside it for verifiers that take only the national algorithms. */
export type CountersignAlg = 'EdDSA' | 'SM2';

/** The signer name of Kouan's own keys, which countersign receipts and decisions. */
export const PLATFORM = 'kouan';

/** What Kouan signs, as the JWS `typ` of each. */
export const SIGNED_KINDS = ['kouan-receipt+jws', 'kouan-decision+jws', 'kouan-ledger-account+jws', 'kouan-amendment+jws'] as const;
export type SignedKind = (typeof SIGNED_KINDS)[number];
const PLATFORM_KINDS: ReadonlySet<SignedKind> = new Set(['kouan-receipt+jws', 'kouan-decision+jws', 'kouan-amendment+jws']);
const NAMES: Readonly<Record<SignedKind, string>> = {
  'kouan-receipt+jws': 'submission receipt',
  'kouan-decision+jws': 'decision receipt',
  'kouan-ledger-account+jws': 'ledger account',
  'kouan-amendment+jws': 'amendment request receipt',
};

export interface Jwks {
  readonly keys: readonly (JWK & { kid: string; alg: string; use: 'sig'; issuer: string; purposes?: readonly string[] })[];
}

export type CopyCheck =
  | { readonly valid: true; readonly kid: string; readonly alg: SignatureAlg; readonly issuer: string; readonly payload: unknown }
  | { readonly valid: false; readonly reason: string };

/** Every signature the platform makes of one content: the main one, and SM2 when configured. */
export interface Signatures {
  readonly signature: string;
  readonly signatureSm2?: string;
}

interface SigningKey {
  readonly kid: string;
  readonly alg: SignatureAlg;
  /** Signs the JWS signing input; the private key is imported once, when the key is loaded. */
  readonly sign: (input: Buffer) => string;
}

export class Signer {
  private readonly keys = new Map<string, Promise<SigningKey>>();
  /** Public keys are only ever added, so a cached set is refreshed only when a copy names a key it lacks. */
  private publicKeys: Promise<Jwks> | undefined;

  /** `platformAlgs`: what Kouan's own keys countersign with (EdDSA, and SM2 when KOUAN_SIGNING_ALGS lists it). */
  constructor(
    private readonly repository: SignaturesRepository,
    private readonly platformAlgs: readonly CountersignAlg[] = ['EdDSA'],
  ) {}

  /** Signs the content as the issuer, with its key for this kind of content; returns the compact JWS. */
  sign(issuer: string, content: unknown, kind: SignedKind = 'kouan-ledger-account+jws'): Promise<string> {
    return this.signWith('EdDSA', issuer, content, kind);
  }

  /**
   * Signs the content as the issuer with every algorithm the platform signs with: the main signature always, and
   * an SM2 one beside it (with the signer's SM2 key for this kind of content) when KOUAN_SIGNING_ALGS lists SM2.
   */
  async signAll(issuer: string, content: unknown, kind: SignedKind = 'kouan-ledger-account+jws'): Promise<Signatures> {
    const [signature, signatureSm2] = await Promise.all([
      this.signWith('EdDSA', issuer, content, kind),
      this.platformAlgs.includes('SM2') ? this.signWith('SM2', issuer, content, kind) : undefined,
    ]);
    return signatureSm2 === undefined ? { signature } : { signature, signatureSm2 };
  }

  private async signWith(alg: CountersignAlg, issuer: string, content: unknown, kind: SignedKind): Promise<string> {
    if (PLATFORM_KINDS.has(kind) !== (issuer === PLATFORM)) throw new Error(`${issuer} does not sign ${NAMES[kind]}s`);
    const key = await this.issuerKey(issuer, kind, alg);
    const protectedB64 = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ: kind })).toString('base64url');
    const payloadB64 = Buffer.from(canonicalJson(content), 'utf8').toString('base64url');
    return `${protectedB64}.${payloadB64}.${key.sign(Buffer.from(`${protectedB64}.${payloadB64}`, 'ascii'))}`;
  }

  /** Makes Kouan's own keys if they are missing, so that the key set is complete from the first start. */
  async ensurePlatformKeys(): Promise<void> {
    for (const kind of PLATFORM_KINDS) for (const alg of this.platformAlgs) await this.issuerKey(PLATFORM, kind, alg);
  }

  /** Every public key (or those signing one kind of content), as a JWK set with each key's issuer and purposes. */
  async jwks(kind?: SignedKind): Promise<Jwks> {
    const keys = await this.repository.publicKeys();
    return {
      keys: keys.filter((key) => kind === undefined || key.purposes.includes(kind)).map((key) => ({
        ...(JSON.parse(key.publicJwk) as JWK),
        kid: key.kid,
        alg: key.alg,
        use: 'sig' as const,
        key_ops: ['verify'],
        issuer: key.issuer,
        purposes: key.purposes,
      })),
    };
  }

  /** Checks a copy of one kind against this deployment's public keys. */
  async verify(jws: string, kind: SignedKind = 'kouan-ledger-account+jws'): Promise<CopyCheck> {
    this.publicKeys ??= this.jwks();
    let keys = await this.publicKeys;
    if (!keys.keys.some((key) => key.kid === kidOf(jws))) {
      this.publicKeys = this.jwks();
      keys = await this.publicKeys;
    }
    return verifyCopy(jws, keys, kind);
  }

  private issuerKey(issuer: string, kind: SignedKind, alg: CountersignAlg): Promise<SigningKey> {
    const name = `${issuer} ${kind} ${alg}`;
    let pending = this.keys.get(name);
    if (pending === undefined) {
      pending = this.loadOrCreate(issuer, kind, alg);
      this.keys.set(name, pending);
      pending.catch(() => this.keys.delete(name));
    }
    return pending;
  }

  private async loadOrCreate(issuer: string, kind: SignedKind, alg: CountersignAlg): Promise<SigningKey> {
    let stored = await this.repository.activeKey(issuer, kind, alg);
    if (stored === undefined) {
      const { publicJwk, privateJwk } = newKeyPair(alg);
      const kid = `${issuer}-${newId('key').slice(4)}`;
      await this.repository.insertKey({ kid, issuer, alg, purposes: kind, publicJwk: JSON.stringify(publicJwk), privateJwk: JSON.stringify(privateJwk), createdAt: nowIso() });
      this.publicKeys = undefined;
      stored = await this.repository.activeKey(issuer, kind, alg);
      if (stored === undefined) throw new Error(`no signing key for ${issuer}`);
    }
    const keyAlg = stored.alg as SignatureAlg;
    return { kid: stored.kid, alg: keyAlg, sign: signerOf(keyAlg, JSON.parse(stored.privateJwk) as JWK) };
  }
}

function newKeyPair(alg: CountersignAlg): { publicJwk: JWK; privateJwk: JWK } {
  if (alg === 'SM2') {
    const pair = sm2.generateKeyPairHex();
    const point = Buffer.from(pair.publicKey.slice(2), 'hex');
    const publicJwk = { kty: 'EC', crv: 'SM2', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') };
    return { publicJwk, privateJwk: { ...publicJwk, d: Buffer.from(pair.privateKey.padStart(64, '0'), 'hex').toString('base64url') } };
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicJwk: publicKey.export({ format: 'jwk' }), privateJwk: privateKey.export({ format: 'jwk' }) };
}

function signerOf(alg: SignatureAlg, privateJwk: JWK): (input: Buffer) => string {
  switch (alg) {
    case 'EdDSA': {
      const key = createPrivateKey({ key: privateJwk as JsonWebKeyInput['key'], format: 'jwk' });
      return (input) => signPrimitive(null, input, key).toString('base64url');
    }
    case 'SM2': {
      // r || s, 64 bytes, as a JWS carries ECDSA signatures; Kouan's verifiers also take DER.
      const jwk = privateJwk as { x: string; y: string; d: string };
      const privateHex = Buffer.from(jwk.d, 'base64url').toString('hex');
      const publicHex = sm2PublicKeyHex(jwk);
      return (input) => Buffer.from(signSm2(input, privateHex, publicHex)).toString('base64url');
    }
    case 'ES256':
      throw new Error(`Kouan does not sign with ${alg}`);
  }
}

type JsonWebKeyInput = Extract<Parameters<typeof createPrivateKey>[0], { format: 'jwk' }>;

function kidOf(jws: string): string | undefined {
  try {
    return decodeProtectedHeader(jws).kid;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a copy offline against a JWK set (as served at GET /.well-known/jwks.json or GET /api/v1/ledger/keys);
 * needs no database. The copy must be of the kind asked for (`typ`), signed by a key for that kind, of the
 * right issuer: Kouan's own for receipts, and for an account the issuer the account names.
 */
export async function verifyCopy(jws: string, jwks: Jwks, kind: SignedKind): Promise<CopyCheck> {
  const invalid = (reason: string): CopyCheck => ({ valid: false, reason });
  const segments = jws.split('.');
  if (segments.length !== 3) return invalid('not a compact JWS');
  const [protectedB64 = '', payloadB64 = '', signatureB64 = ''] = segments;
  if (!/^[A-Za-z0-9_-]+$/.test(payloadB64)) return invalid('the payload is not base64url');
  const parsed = parseDetachedJws(`${protectedB64}..${signatureB64}`);
  if (!parsed.ok) return invalid(parsed.reason);
  const typ = parsed.header.typ;
  if (typ !== kind) {
    const named = SIGNED_KINDS.find((candidate) => candidate === typ);
    return invalid(`this is ${named === undefined ? `not a Kouan copy (typ ${String(typ)})` : `a ${NAMES[named]}`}, not a ${NAMES[kind]} (typ ${kind})`);
  }
  if (!parsed.b64) return invalid("Kouan's copies carry their payload base64url-encoded");
  const jwk = jwks.keys.find((key) => key.kid === parsed.kid);
  if (parsed.kid === undefined || jwk === undefined) return invalid(`no public key ${parsed.kid ?? '(none named)'}`);
  if (!(jwk.purposes ?? []).includes(kind)) return invalid(`the key ${jwk.kid} does not sign ${NAMES[kind]}s (it signs: ${(jwk.purposes ?? []).join(', ') || 'nothing the key set says'})`);
  if (PLATFORM_KINDS.has(kind) ? jwk.issuer !== PLATFORM : jwk.issuer === PLATFORM) return invalid(`a ${NAMES[kind]} is not signed by ${jwk.issuer}`);
  const alg = SIGNATURE_ALGS.find((candidate) => candidate === jwk.alg);
  if (alg === undefined) return invalid(`the key ${jwk.kid} has no algorithm Kouan signs with (${String(jwk.alg)})`);
  const payload = Buffer.from(payloadB64, 'base64url');
  let verdict: Awaited<ReturnType<typeof verifyDetachedJws>>;
  try {
    verdict = await verifyDetachedJws(parsed, payload, { kid: jwk.kid, alg, jwk: jwk });
  } catch {
    return invalid(`the key ${jwk.kid} in the key set is not a valid ${alg} public key`);
  }
  if (!verdict.ok) return invalid(verdict.reason === 'the signature does not match the body' ? 'the signature does not match the content' : verdict.reason);
  let content: unknown;
  try {
    content = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return invalid('the content is not UTF-8 JSON');
  }
  if (kind === 'kouan-ledger-account+jws') {
    const named = (content as { issuer?: unknown } | null)?.issuer;
    if (named !== jwk.issuer) return invalid(`signed with ${jwk.issuer}'s key, but the account names ${String(named)} as its issuer`);
  }
  return { valid: true, kid: jwk.kid, alg, issuer: jwk.issuer, payload: content };
}

/** What keeps an SM2 signature from standing beside the main one, as the rule broken and what was found instead. */
export type Sm2Mismatch = { readonly rule: 'alg'; readonly alg: SignatureAlg } | { readonly rule: 'issuer'; readonly issuer: string } | { readonly rule: 'content' };

/**
 * Checks a verified SM2 signature against the main one it was made beside: made with SM2 at all (an SM2-only
 * verifier can do nothing with another copy), by the same issuer, over the same content (`content` is the main
 * one's canonical JSON). Returns the first rule broken, for the caller to word, or undefined when it matches.
 */
export function sm2Mismatch(sm2: Extract<CopyCheck, { valid: true }>, main: { readonly issuer: string; readonly content: string }): Sm2Mismatch | undefined {
  if (sm2.alg !== 'SM2') return { rule: 'alg', alg: sm2.alg };
  if (sm2.issuer !== main.issuer) return { rule: 'issuer', issuer: sm2.issuer };
  if (canonicalJson(sm2.payload) !== main.content) return { rule: 'content' };
  return undefined;
}
