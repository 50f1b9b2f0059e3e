import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PartyKeySchema, RegisterKeySchema, SigningPolicySchema } from '../../modules/signatures/index.js';
import { SignatureAuditSchema } from '../../modules/submissions/index.js';
import { principalOf, type Services } from '../app.js';
import { withProblems } from '../problem.js';

export function signaturesRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/signing-keys',
      {
        config: { action: 'signing-key.manage' },
        schema: {
          summary: 'Register a public key (Ed25519, P-256 or SM2 JWK) to sign your submissions with',
          description: 'The JWK may carry the members RFC 7517 defines (kid, alg, use, key_ops, x5c, x5t, x5t#S256, x5u, ext), consistent with a key that verifies signatures; a private part (d) is refused.',
          tags: ['signatures'],
          body: RegisterKeySchema,
          response: withProblems({ 201: PartyKeySchema }),
        },
      },
      async (request, reply) => reply.status(201).send(await services.signatures.registerKey(principalOf(request), request.body)),
    );

    app.get(
      '/signing-keys',
      { config: { action: 'signing-key.read' }, schema: { summary: "Your party's signing keys", tags: ['signatures'], response: withProblems({ 200: Type.Object({ keys: Type.Array(PartyKeySchema) }) }) } },
      async (request) => ({ keys: await services.signatures.listKeys(principalOf(request)) }),
    );

    app.post(
      '/signing-keys/:kid/revoke',
      { config: { action: 'signing-key.manage' }, schema: { summary: 'Revoke a signing key at once', tags: ['signatures'], params: Type.Object({ kid: Type.String({ maxLength: 64 }) }), response: withProblems({ 204: Type.Null() }) } },
      async (request, reply) => {
        await services.signatures.revokeKey(principalOf(request), request.params.kid);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/signing-policy',
      { config: { action: 'signing-key.read' }, schema: { summary: "Your party's signing policy", tags: ['signatures'], response: withProblems({ 200: SigningPolicySchema }) } },
      (request) => services.signatures.policy(principalOf(request)),
    );

    app.put(
      '/signing-policy',
      {
        config: { action: 'signing-key.manage' },
        schema: {
          summary: 'Require (or stop requiring) a signature on every submission of your party',
          tags: ['signatures'],
          body: SigningPolicySchema,
          response: withProblems({ 200: SigningPolicySchema }),
        },
      },
      (request) => services.signatures.setPolicy(principalOf(request), request.body),
    );

    app.get(
      '/signatures/verification',
      {
        config: { action: 'signature.audit' },
        schema: {
          summary: "Check stored submissions' signatures again from the store (operators, their tenant)",
          description: "The declarant's signature over the bytes it signed and Kouan's receipt, for one submission or all of the tenant; the same check as `kouan signatures verify`.",
          tags: ['signatures'],
          querystring: Type.Object({ submission: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_]+$' })) }, { additionalProperties: false }),
          response: withProblems({ 200: SignatureAuditSchema }),
        },
      },
      (request) => services.submissions.verifySignaturesOf(principalOf(request), request.query.submission),
    );
  };
}

/** `GET /.well-known/jwks.json`: Kouan's and the issuers' public keys, to verify receipts, decisions and accounts offline. */
export function wellKnownRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/.well-known/jwks.json', { config: { public: true }, schema: { summary: "Kouan's public signing keys (JWK set)", tags: ['signatures'], security: [] } }, () => services.signatures.jwks());
  };
}
