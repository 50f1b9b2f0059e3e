/**
 * A copy of a signed thing as its bearer holds it: a bare compact JWS, or the account (or receipt) exported as
 * JSON with its `signature` and, when the platform made one, its `signatureSm2`. Checked offline against a JWK
 * set with no store, as `kouan ledger verify-copy` does.
 */
import { canonicalJson } from '../../shared/canonical-json.js';
import { sm2Mismatch, verifyCopy, type CopyCheck, type Jwks, type SignedKind } from '../signatures/index.js';

/** Where each signature of an exported copy is: Kouan's main one, and the SM2 one beside it when made. */
const EXPORTED_SIGNATURES = ['signature', 'signatureSm2'] as const;

export type ExportedCopyCheck =
  | {
      readonly valid: true;
      readonly kid: string;
      readonly alg: string;
      readonly issuer: string;
      readonly payload: unknown;
      /** Every signature the copy carries, each checked. */
      readonly signatures: readonly { readonly field: string; readonly alg: string; readonly kid: string }[];
    }
  | { readonly valid: false; readonly reason: string };

/**
 * Checks every signature a copy carries; it is authentic only when each one verifies, each is made with the
 * algorithm its field says, and all sign the same content for the same issuer: an exported account whose SM2
 * signature is of another account (or another version of this one) is not a copy of anything.
 */
export async function verifyExportedCopy(text: string, jwks: Jwks, kind: SignedKind): Promise<ExportedCopyCheck> {
  const invalid = (reason: string): ExportedCopyCheck => ({ valid: false, reason });
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const check = await verifyCopy(trimmed, jwks, kind);
    return check.valid ? { ...check, signatures: [{ field: 'signature', alg: check.alg, kid: check.kid }] } : check;
  }
  let exported: unknown;
  try {
    exported = JSON.parse(trimmed);
  } catch {
    return invalid('the copy is neither a compact JWS nor JSON');
  }
  if (typeof exported !== 'object' || exported === null || Array.isArray(exported)) return invalid('the exported copy is not a JSON object');
  const fields = exported as Record<string, unknown>;
  const checked: { field: (typeof EXPORTED_SIGNATURES)[number]; check: Extract<CopyCheck, { valid: true }> }[] = [];
  for (const field of EXPORTED_SIGNATURES) {
    const jws = fields[field];
    if (jws === undefined && field !== 'signature') continue;
    if (typeof jws !== 'string') return invalid(`${field} is not a compact JWS`);
    const check = await verifyCopy(jws, jwks, kind);
    if (!check.valid) return invalid(`${field}: ${check.reason}`);
    checked.push({ field, check });
  }
  const [first, sm2] = checked;
  if (first === undefined) return invalid('the copy carries no signature');
  if (sm2 !== undefined) {
    const mismatch = sm2Mismatch(sm2.check, { issuer: first.check.issuer, content: canonicalJson(first.check.payload) });
    switch (mismatch?.rule) {
      case undefined:
        break;
      case 'alg':
        return invalid(`${sm2.field}: made with ${mismatch.alg}, not SM2`);
      case 'issuer':
        return invalid(`${sm2.field} is by ${mismatch.issuer}, ${first.field} by ${first.check.issuer}`);
      case 'content':
        return invalid(`${sm2.field} signs other content than ${first.field}`);
    }
  }
  return { valid: true, kid: first.check.kid, alg: first.check.alg, issuer: first.check.issuer, payload: first.check.payload, signatures: checked.map(({ field, check }) => ({ field, alg: check.alg, kid: check.kid })) };
}
