#!/bin/sh
# A worked example of SM2 signatures made with the openssl command (OpenSSL 3 with SM2), for client developers.
# Run it with Kouan started (`npm start`):
#   KOUAN_KEY=<an enterprise API key> sh examples/sign-with-openssl-sm2.sh examples/goods-declaration.json
# It makes an SM2 key pair, registers the public key, signs the file's bytes as a detached JWS (SM2 with SM3 and
# the standard signer ID 1234567812345678, DER as OpenSSL writes it) and submits them unchanged.
set -eu
base=${KOUAN_URL:-http://127.0.0.1:8080}
body=${1:-examples/goods-declaration.json}
: "${KOUAN_KEY:?set KOUAN_KEY to an enterprise API key}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# 1. A key pair; the private key never leaves the client. The public point is the last 64 bytes of the SPKI.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out "$dir/key.pem"
openssl pkey -in "$dir/key.pem" -pubout -outform DER -out "$dir/pub.der"
x=$(tail -c 64 "$dir/pub.der" | head -c 32 | b64url)
y=$(tail -c 32 "$dir/pub.der" | b64url)
kid=$(curl -sf -H "Authorization: Bearer $KOUAN_KEY" -H 'Content-Type: application/json' \
  -d "{\"jwk\":{\"kty\":\"EC\",\"crv\":\"SM2\",\"x\":\"$x\",\"y\":\"$y\",\"use\":\"sig\"}}" "$base/api/v1/signing-keys" |
  sed -n 's/.*"kid":"\([^"]*\)".*/\1/p')
echo "registered key $kid"

# 2. The signing input (RFC 7515): BASE64URL(header) "." BASE64URL(body), signed with the standard ID.
#    Without -pkeyopt distid OpenSSL uses the empty ID, and Kouan answers 401 SIGNATURE_SM2_ID_WRONG.
printf '%s' "{\"alg\":\"SM2\",\"kid\":\"$kid\"}" | b64url > "$dir/header.b64"
{ cat "$dir/header.b64"; printf '.'; b64url < "$body"; } > "$dir/input.txt"
openssl pkeyutl -sign -rawin -digest sm3 -inkey "$dir/key.pem" -pkeyopt distid:1234567812345678 -in "$dir/input.txt" -out "$dir/sig.der"

# 3. Submit the very bytes that were signed (--data-binary: curl changes nothing).
curl -s -w '\n%{http_code}\n' -H "Authorization: Bearer $KOUAN_KEY" -H 'Content-Type: application/json' \
  -H "Kouan-Signature: $(cat "$dir/header.b64")..$(b64url < "$dir/sig.der")" \
  --data-binary @"$body" "$base/api/v1/submissions"
