/**
 * Kouan's signatures: one Ed25519 key per signer (Kouan itself, `kouan`, for receipts; each issuing agency for
 * the ledger accounts Kouan signs on its behalf), made on first use. A signature is a compact JWS (EdDSA) whose
 * payload is the signed content as canonical JSON, so a printed or exported copy carries everything needed to
 * check it offline against the public keys.
 */
import { CompactSign, compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { canonicalJson } from '../../shared/canonical-json.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { SignaturesRepository } from './signatures.repository.js';

export const SIGNING_ALG = 'EdDSA';

export interface Jwks {
  readonly keys: readonly (JWK & { kid: string; alg: string; use: 'sig'; issuer: string })[];
}

export type CopyCheck =
  | { readonly valid: true; readonly kid: string; readonly issuer: string; readonly payload: unknown }
  | { readonly valid: false; readonly reason: string };

export class Signer {
  private readonly keys = new Map<string, Promise<{ kid: string; key: CryptoKey | Uint8Array }>>();
  /** Public keys are only ever added, so a cached set is refreshed only when a copy names a key it lacks. */
  private publicKeys: Promise<Jwks> | undefined;

  constructor(private readonly repository: SignaturesRepository) {}

  /** Signs the content as the issuer; returns the compact JWS. */
  async sign(issuer: string, content: unknown, typ = 'kouan-ledger-account+jws'): Promise<string> {
    const { kid, key } = await this.issuerKey(issuer);
    return new CompactSign(new TextEncoder().encode(canonicalJson(content))).setProtectedHeader({ alg: SIGNING_ALG, kid, typ }).sign(key);
  }

  /** Every public key, as a JWK set with each key's issuer. */
  async jwks(): Promise<Jwks> {
    const keys = await this.repository.publicKeys();
    return { keys: keys.map((key) => ({ ...(JSON.parse(key.publicJwk) as JWK), kid: key.kid, alg: key.alg, use: 'sig' as const, issuer: key.issuer })) };
  }

  /** Checks a copy against this ledger's public keys. */
  async verify(jws: string): Promise<CopyCheck> {
    this.publicKeys ??= this.jwks();
    let keys = await this.publicKeys;
    if (!keys.keys.some((key) => key.kid === kidOf(jws))) {
      this.publicKeys = this.jwks();
      keys = await this.publicKeys;
    }
    return verifyCopy(jws, keys);
  }

  private issuerKey(issuer: string): Promise<{ kid: string; key: CryptoKey | Uint8Array }> {
    let pending = this.keys.get(issuer);
    if (pending === undefined) {
      pending = this.loadOrCreate(issuer);
      this.keys.set(issuer, pending);
      pending.catch(() => this.keys.delete(issuer));
    }
    return pending;
  }

  private async loadOrCreate(issuer: string): Promise<{ kid: string; key: CryptoKey | Uint8Array }> {
    let stored = await this.repository.activeKey(issuer);
    if (stored === undefined) {
      const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
      const kid = `${issuer}-${newId('key').slice(4)}`;
      await this.repository.insertKey({ kid, issuer, alg: SIGNING_ALG, publicJwk: JSON.stringify(await exportJWK(publicKey)), privateJwk: JSON.stringify(await exportJWK(privateKey)), createdAt: nowIso() });
      stored = await this.repository.activeKey(issuer);
      if (stored === undefined) throw new Error(`no signing key for ${issuer}`);
    }
    return { kid: stored.kid, key: await importJWK(JSON.parse(stored.privateJwk) as JWK, stored.alg) };
  }
}

function kidOf(jws: string): string | undefined {
  try {
    return decodeProtectedHeader(jws).kid;
  } catch {
    return undefined;
  }
}

/** Verifies a copy offline against a JWK set (as served at GET /api/v1/ledger/keys); needs no database. */
export async function verifyCopy(jws: string, jwks: Jwks): Promise<CopyCheck> {
  if (jws.split('.').length !== 3) return { valid: false, reason: 'not a compact JWS' };
  const kid = kidOf(jws);
  const jwk = jwks.keys.find((key) => key.kid === kid);
  if (kid === undefined || jwk === undefined) return { valid: false, reason: `no public key ${kid ?? '(none named)'}` };
  try {
    const { payload } = await compactVerify(jws, await importJWK(jwk, jwk.alg), { algorithms: [SIGNING_ALG] });
    return { valid: true, kid, issuer: jwk.issuer, payload: JSON.parse(new TextDecoder().decode(payload)) as unknown };
  } catch {
    return { valid: false, reason: 'the signature does not match the content' };
  }
}
