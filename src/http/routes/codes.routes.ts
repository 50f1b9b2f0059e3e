import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Services } from '../app.js';

export function codesRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/codes', { schema: { summary: 'The code lists and whether each is loaded', tags: ['codes'] } }, async () => ({ lists: await services.codes.status() }));

    app.get(
      '/codes/:list',
      {
        schema: {
          summary: 'Search a code list by code prefix or name',
          description: 'Lists: hs, country, currency, unit, incoterm, locode, agency. `loaded: false` means the list has not been imported and codes are checked by shape only.',
          tags: ['codes'],
          params: Type.Object({ list: Type.String({ maxLength: 32 }) }),
          querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const { list } = request.params;
        const q = request.query.q ?? '';
        const limit = request.query.limit ?? 50;
        if (list === 'agency') return { list, loaded: true, entries: await services.parties.searchAgencies(q, limit) };
        return { list, ...(await services.codes.search(list, q, limit)) };
      },
    );
  };
}
