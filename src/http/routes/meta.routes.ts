import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MeSchema } from '../../modules/parties/index.js';
import { PermissionsSchema, permissionsOf } from '../../modules/policies/index.js';
import { LANGUAGES, utcOffset } from '../../shared/locale.js';
import { principalOf, type Services } from '../app.js';
import { languageOf, publishedRegistry, withProblems } from '../problem.js';

export const PlatformSchema = Type.Object({
  country: Type.String({ description: 'The country whose single window this is (ISO 3166-1 alpha-2, KOUAN_COUNTRY)' }),
  timeZone: Type.String({ description: 'The IANA time zone people\'s times are shown in (KOUAN_TIME_ZONE); the API itself answers in UTC' }),
  utcOffset: Type.String({ description: 'The offset of the time zone from UTC now, e.g. +08:00' }),
  languages: Type.Array(Type.String(), { description: 'The languages texts are rendered in, by Accept-Language' }),
});

export function metaRoutes(services: Pick<Services, 'platform' | 'doctypes'>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/platform',
      {
        config: { public: true },
        schema: {
          summary: "The platform's country, time zone and languages",
          description: 'What clients need to show times and texts as Kouan renders them: stored times are UTC, people read them in this zone.',
          tags: ['meta'],
          security: [],
          response: withProblems({ 200: PlatformSchema }),
        },
      },
      () => ({ country: services.platform.country, timeZone: services.platform.timeZone, utcOffset: utcOffset(services.platform.timeZone), languages: [...LANGUAGES] }),
    );

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
        config: { action: 'reference.read' },
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

    app.get(
      '/session/permissions',
      {
        config: { action: 'reference.read' },
        schema: {
          summary: 'What the signed-in person or API key may do',
          description:
            'The actions of the policies (docs/authorization.md) this credential may take, on the resources it can see, and which document types it may file. ' +
            'The portal shows what this says; the API still decides every call.',
          tags: ['meta'],
          response: withProblems({ 200: PermissionsSchema }),
        },
      },
      (request) => permissionsOf(principalOf(request), services.doctypes.ids().map((id) => services.doctypes.get(id))),
    );
  };
}
