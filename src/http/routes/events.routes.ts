import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventPageSchema, EventQuerySchema, type EventLog } from '../../modules/events/index.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';

export function eventsRoutes(services: { readonly events: EventLog }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/domain-events',
      {
        config: { action: 'events.read' },
        schema: {
          summary: "The domain event log of the operator's tenant, oldest first, with a cursor",
          description:
            'Operators only. Every module appends its domain events (submissions stored, submission and part status changes, decisions, ledger entries, ' +
            'tracking events, messages queued and acknowledged) in the transaction of the change; pass the last `seq` seen as `after` to read on. ' +
            'The payload of each type is listed in docs/api.md (the event catalogue).',
          tags: ['operators'],
          querystring: EventQuerySchema,
          response: withProblems({ 200: EventPageSchema }),
        },
      },
      (request) => services.events.page(principalOf(request), request.query),
    );
  };
}
