import Type, { type Static } from 'typebox';

/** JWS algorithms for parties' keys; `SM2` is SM2 with SM3 and the standard ID 1234567812345678 (GB/T 32918, GM/T 0009). */
export const SIGNATURE_ALGS = ['EdDSA', 'ES256', 'SM2'] as const;
export type SignatureAlg = (typeof SIGNATURE_ALGS)[number];

export const RegisterKeySchema = Type.Object(
  {
    jwk: Type.Object(
      {
        kty: Type.Enum(['OKP', 'EC']),
        crv: Type.Enum(['Ed25519', 'P-256', 'SM2']),
        x: Type.String({ minLength: 1, maxLength: 200 }),
        y: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        // The other members RFC 7517 section 4 defines (and Web Crypto's `ext`), checked for consistency with signing.
        kid: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Your own name for the key, kept; the JWS names the kid Kouan answers with" })),
        alg: Type.Optional(Type.String({ maxLength: 20, description: 'If given: EdDSA (Ed25519), ES256 (P-256) or SM2 (SM2)' })),
        use: Type.Optional(Type.String({ maxLength: 20, description: 'If given: sig' })),
        key_ops: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { minItems: 1, maxItems: 8, uniqueItems: true, description: 'If given: ["verify"]' })),
        ext: Type.Optional(Type.Boolean()),
        x5u: Type.Optional(Type.String({ maxLength: 2000, description: 'Kept, never fetched' })),
        x5c: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20_000 }), { minItems: 1, maxItems: 10, description: 'Base64 DER certificates; the first must be of this key (RFC 7517 section 4.7)' })),
        x5t: Type.Optional(Type.String({ maxLength: 100, description: 'base64url SHA-1 of x5c[0]' })),
        'x5t#S256': Type.Optional(Type.String({ maxLength: 100, description: 'base64url SHA-256 of x5c[0]' })),
      },
      {
        additionalProperties: false,
        description: 'The public key only (Ed25519, P-256 or SM2, with x and y as 32-byte base64url) with the members RFC 7517 allows: a JWK with a private part ("d") is refused',
      },
    ),
  },
  { additionalProperties: false },
);
export type RegisterKeyRequest = Static<typeof RegisterKeySchema>;

export const PartyKeySchema = Type.Object({
  kid: Type.String({ description: 'Name this key in the `kid` of your JWS header' }),
  alg: Type.Enum(SIGNATURE_ALGS),
  jwk: Type.Unknown(),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type PartyKey = Static<typeof PartyKeySchema>;

export const SigningPolicySchema = Type.Object(
  { requireSignedSubmissions: Type.Boolean({ description: 'Refuse every submission of this party that does not carry its valid signature' }) },
  { additionalProperties: false },
);
export type SigningPolicy = Static<typeof SigningPolicySchema>;
