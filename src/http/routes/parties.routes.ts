import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PARTY_KINDS, PartySchema } from '../../modules/parties/index.js';
import { principalOf, type Services } from '../app.js';
import { withProblems } from '../problem.js';

const DirectoryQuerySchema = Type.Object(
  {
    kind: Type.Optional(Type.Enum(PARTY_KINDS)),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the id or the name, any case' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export function partiesRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/parties',
      {
        config: { action: 'party.directory' },
        schema: {
          summary: "The parties of the operator's tenant (operators only), to find whose users and keys to manage",
          tags: ['parties'],
          querystring: DirectoryQuerySchema,
          response: withProblems({ 200: Type.Object({ parties: Type.Array(PartySchema) }) }),
        },
      },
      async (request) => ({ parties: await services.parties.directory(principalOf(request), request.query) }),
    );
  };
}
