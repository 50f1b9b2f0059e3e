/**
 * SM2 signatures (GB/T 32918.2, GM/T 0003.2) with SM3 over Z || message, where Z covers the signer ID
 * (GM/T 0009: `1234567812345678` unless agreed otherwise). Two encodings of (r, s) are in use and both are
 * accepted: the raw 64 bytes r || s (as in JOSE's ECDSA) and the DER `SM2Signature` SEQUENCE of two INTEGERs
 * that GB/T 35276, OpenSSL, Node and cloud KMSs produce. DER is read strictly (one encoding per value), so that a
 * signature has exactly one accepted form and nothing rides along in it.
 */
import { sm2 } from 'sm-crypto-v2';

/** The standard signer ID of SM2 signatures (GM/T 0009). */
export const SM2_USER_ID = '1234567812345678';

/** The order n of the SM2 curve's base point (GB/T 32918.5). */
const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

export type Sm2Encoding = 'raw' | 'der';

export type Sm2Decoded = { readonly ok: true; readonly r: bigint; readonly s: bigint; readonly encoding: Sm2Encoding } | { readonly ok: false; readonly reason: string };

/** Reads an SM2 signature as r || s (64 bytes) or as strict DER; says what is wrong otherwise. */
export function decodeSm2Signature(bytes: Uint8Array): Sm2Decoded {
  let decoded: Sm2Decoded;
  if (bytes.length === 64) {
    decoded = { ok: true, r: toBigInt(bytes.subarray(0, 32)), s: toBigInt(bytes.subarray(32)), encoding: 'raw' };
  } else if (bytes[0] === 0x30) {
    decoded = decodeDer(bytes);
  } else {
    return { ok: false, reason: `an SM2 signature is r || s (64 bytes) or a DER SEQUENCE of two INTEGERs; this is ${bytes.length} bytes starting 0x${(bytes[0] ?? 0).toString(16).padStart(2, '0')}` };
  }
  if (!decoded.ok) return decoded;
  for (const [name, value] of [['r', decoded.r], ['s', decoded.s]] as const) {
    if (value < 1n || value >= SM2_N) return { ok: false, reason: `${name} is not in [1, n-1]` };
  }
  return decoded;
}

function decodeDer(bytes: Uint8Array): Sm2Decoded {
  const sequence = readTlv(bytes, 0, 0x30, 'the SEQUENCE');
  if (!sequence.ok) return sequence;
  if (sequence.end !== bytes.length) return { ok: false, reason: `DER: ${bytes.length - sequence.end} byte(s) after the SEQUENCE` };
  const r = readTlv(bytes, sequence.start, 0x02, 'r');
  if (!r.ok) return r;
  const s = readTlv(bytes, r.end, 0x02, 's');
  if (!s.ok) return s;
  if (s.end !== sequence.end) return { ok: false, reason: 'DER: the SEQUENCE holds more than two INTEGERs' };
  const values: bigint[] = [];
  for (const [name, tlv] of [['r', r], ['s', s]] as const) {
    const content = bytes.subarray(tlv.start, tlv.end);
    if (content.length === 0) return { ok: false, reason: `DER: ${name} is an empty INTEGER` };
    if ((content[0] ?? 0) & 0x80) return { ok: false, reason: `DER: ${name} is negative` };
    if (content.length > 1 && content[0] === 0 && ((content[1] ?? 0) & 0x80) === 0) return { ok: false, reason: `DER: ${name} has a leading zero byte it does not need (not minimal)` };
    if (content.length > 33) return { ok: false, reason: `DER: ${name} is longer than 32 bytes` };
    values.push(toBigInt(content));
  }
  return { ok: true, r: values[0] ?? 0n, s: values[1] ?? 0n, encoding: 'der' };
}

type Tlv = { readonly ok: true; readonly start: number; readonly end: number } | { readonly ok: false; readonly reason: string };

/** One DER tag-length-value at `at`, with the length in its shortest form (X.690 10.1). */
function readTlv(bytes: Uint8Array, at: number, tag: number, what: string): Tlv {
  if (at + 2 > bytes.length) return { ok: false, reason: `DER: ${what} is cut short` };
  if (bytes[at] !== tag) return { ok: false, reason: `DER: ${what} should have tag 0x${tag.toString(16).padStart(2, '0')}, not 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}` };
  const first = bytes[at + 1] ?? 0;
  let length = first;
  let start = at + 2;
  if (first === 0x81) {
    length = bytes[at + 2] ?? 0;
    start = at + 3;
    if (length < 0x80) return { ok: false, reason: `DER: the length of ${what} is not in its shortest form` };
  } else if (first > 0x80) {
    // Nothing in an SM2 signature is longer than 255 bytes; 0x80 (indefinite) is BER, not DER.
    return { ok: false, reason: `DER: the length of ${what} is not a definite short length` };
  } else if (first === 0x80) {
    return { ok: false, reason: `DER: ${what} has an indefinite length (BER, not DER)` };
  }
  if (start + length > bytes.length) return { ok: false, reason: `DER: ${what} says ${length} bytes but fewer follow` };
  return { ok: true, start, end: start + length };
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** An SM2 public key as the uncompressed point sm-crypto expects: 04 || x || y, in hex. */
export function sm2PublicKeyHex(jwk: { x: string; y?: string | undefined }): string {
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  if (x.length !== 32 || y.length !== 32) throw new Error('an SM2 coordinate is 32 bytes');
  return `04${x.toString('hex')}${y.toString('hex')}`;
}

/** Whether the point is on the SM2 curve (and not the point at infinity). */
export function isSm2PublicKey(publicKeyHex: string): boolean {
  return sm2.verifyPublicKey(publicKeyHex);
}

/** Checks (r, s) over the message with SM3 and the signer ID. */
export function verifySm2(message: Uint8Array, signature: { r: bigint; s: bigint }, publicKeyHex: string, userId: string = SM2_USER_ID): boolean {
  const rs = `${signature.r.toString(16).padStart(64, '0')}${signature.s.toString(16).padStart(64, '0')}`;
  try {
    return sm2.doVerifySignature(message, rs, publicKeyHex, { hash: true, der: false, userId });
  } catch {
    return false;
  }
}

/** Signs with SM3 and the standard signer ID; returns r || s (64 bytes), the form Kouan writes. */
export function signSm2(message: Uint8Array, privateKeyHex: string, publicKeyHex: string): Uint8Array {
  return Buffer.from(sm2.doSignature(message, privateKeyHex, { hash: true, der: false, userId: SM2_USER_ID, publicKey: publicKeyHex }), 'hex');
}
