import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StatsQuerySchema, StatsSchema, type StatsService } from '../../modules/stats/index.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';

export function statsRoutes(services: { readonly stats: StatsService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/stats',
      {
        config: { action: 'stats.read' },
        schema: {
          summary: "The operator's dashboard: volumes, decisions, clearance times and queues of its tenant",
          description:
            'Operators only. Per UTC day of the window (today included): submissions stored, released, rejected, refused and cancelled. ' +
            "Per agency: parts routed and decided in the window, the rejection rate, clearance minutes (part stored to released: median and p90), its open queue now and its unacknowledged inbox messages.",
          tags: ['operators'],
          querystring: StatsQuerySchema,
          response: withProblems({ 200: StatsSchema }),
        },
      },
      (request) => services.stats.dashboard(principalOf(request), request.query.days),
    );
  };
}
