import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MeSchema } from '../../modules/parties/index.js';
import { principalOf } from '../app.js';
import { languageOf, publishedRegistry, withProblems } from '../problem.js';

export function metaRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());

    app.get(
      '/errors',
      {
        config: { public: true },
        schema: {
          summary: 'The registry of stable error codes',
          description: 'Problem codes (with their HTTP status) and field codes (in `errors[]`), in the language of Accept-Language.',
          tags: ['meta'],
          security: [],
        },
      },
      (request) => publishedRegistry(languageOf(request)),
    );

    app.get(
      '/me',
      {
        schema: {
          summary: 'Who the API key belongs to',
          tags: ['meta'],
          response: withProblems({ 200: MeSchema }),
        },
      },
      (request) => {
        const principal = principalOf(request);
        return { party: principal.partyId, tenant: principal.tenant, kind: principal.kind, roles: [...principal.roles], key: principal.keyId };
      },
    );
  };
}
