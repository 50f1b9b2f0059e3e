import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { retryAfterSeconds } from '../../store/faults.js';
import { isReady } from '../../store/store.js';
import type { Services } from '../app.js';

export function healthRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/healthz', { config: { public: true }, schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, () => ({ status: 'ok' as const }));

    app.get(
      '/readyz',
      { config: { public: true }, schema: { hide: true, response: { 200: Type.Object({ status: Type.String(), store: Type.String() }), 503: Type.Object({ status: Type.String(), store: Type.String(), problem: Type.String() }) } } },
      async (_request, reply) => {
        const readiness = await isReady(services.store);
        if (readiness.ready) return { status: 'ready', store: services.store.dialect };
        // Load balancers take the process out of rotation; Retry-After says when to look again.
        return reply.status(503).header('retry-after', String(retryAfterSeconds('unavailable'))).send({ status: 'not ready', store: services.store.dialect, problem: readiness.problem });
      },
    );
  };
}
