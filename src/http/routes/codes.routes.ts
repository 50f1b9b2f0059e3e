import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CodeListsSchema } from '../../modules/codes/index.js';
import type { Services } from '../app.js';
import { withProblems } from '../problem.js';

export function codesRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/codes',
      { config: { action: 'reference.read' }, schema: { summary: 'Every registered code list and whether each is loaded', tags: ['codes'], response: withProblems({ 200: CodeListsSchema }) } },
      async () => ({ lists: await services.codes.status() }),
    );

    app.get(
      '/codes/:list',
      {
        config: { action: 'reference.read' },
        schema: {
          summary: 'Search a code list by code prefix or name',
          description:
            'Any list of GET /api/v1/codes, and agency (the agencies registered here). `loaded: false` means the list has not been imported and codes are checked by shape only. ' +
            'Store-backed lists (trade-mode, levy-nature ...) match a code prefix or a part of the English or Chinese name; most of them have Chinese names only, shown as `en` too. ' +
            'hs returns the lines of the national tariff first (ten digits, Chinese and English names, statutory units), then the HS nomenclature; Chinese queries match names holding each of their characters (冻牛肉 finds 冻藏的去骨牛肉). ' +
            'customs-offices returns the imported offices (关区), or the 42 built-in customs districts (直属海关) as their XX00 offices while none are imported.',
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
