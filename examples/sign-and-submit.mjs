// A worked example of Kouan's signatures, for client developers. Run it with Kouan started (`npm start`):
//   KOUAN_KEY=<an enterprise API key> node examples/sign-and-submit.mjs examples/goods-declaration.json
// It makes an Ed25519 key pair, registers the public key, signs the request body (a detached JWS),
// submits it, and checks Kouan's countersigned receipt offline against /.well-known/jwks.json.
import { readFileSync } from 'node:fs';
import { compactVerify, exportJWK, FlattenedSign, generateKeyPair, importJWK, decodeProtectedHeader } from 'jose';

const base = process.env.KOUAN_URL ?? 'http://127.0.0.1:8080';
const key = process.env.KOUAN_KEY;
if (!key) throw new Error('set KOUAN_KEY to an enterprise API key');
const auth = { authorization: `Bearer ${key}` };

// 1. A key pair; the private key never leaves the client. Register the public key once.
const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
const registered = await fetch(`${base}/api/v1/signing-keys`, {
  method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ jwk: await exportJWK(publicKey) }),
}).then((response) => response.json());
console.log('registered key', registered.kid);

// 2. The body exactly as it will be sent; the signature covers these bytes.
const body = readFileSync(process.argv[2] ?? 'examples/goods-declaration.json', 'utf8');
// Signing input (RFC 7515): BASE64URL(header) "." BASE64URL(body); the JWS is sent with its payload detached.
const jws = await new FlattenedSign(new TextEncoder().encode(body)).setProtectedHeader({ alg: 'EdDSA', kid: registered.kid }).sign(privateKey);
const signature = `${jws.protected}..${jws.signature}`;

// 3. Submit with the signature.
const response = await fetch(`${base}/api/v1/submissions`, {
  method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'kouan-signature': signature }, body,
});
const answer = await response.json();
console.log(response.status, answer.id ?? answer.code);
if (!response.ok) process.exit(1);

// 4. Check Kouan's receipt offline: fetch the public keys once, then verify without asking Kouan.
// Check what it is as well as who signed it: the typ, the key's purpose and its issuer (a ledger account
// copy is signed by other keys, and must never pass for a receipt).
const jwks = await fetch(`${base}/.well-known/jwks.json`).then((r) => r.json());
const { kid } = decodeProtectedHeader(answer.receipt);
const jwk = jwks.keys.find((candidate) => candidate.kid === kid);
if (!jwk || jwk.issuer !== 'kouan' || !jwk.purposes?.includes('kouan-receipt+jws')) throw new Error(`${kid} is not Kouan's receipt key`);
const { payload } = await compactVerify(answer.receipt, await importJWK(jwk, jwk.alg), { algorithms: [jwk.alg], typ: 'kouan-receipt+jws' });
console.log('receipt verified, signed by', jwk.issuer, JSON.parse(new TextDecoder().decode(payload)));
