import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IngestRequestSchema, IngestResponseSchema, TimelineQuerySchema, TimelineSchema, timelineQueryOf, type TrackingService } from '../../modules/tracking/index.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';

export function trackingRoutes(services: { readonly tracking: TrackingService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/events',
      {
        schema: {
          summary: 'Publish tracking events (carriers and terminals: shipment, equipment, transport; agencies: clearance)',
          description:
            'A batch of up to 1000 events, each validated and stored on its own: the answer is 200 with one result per event ' +
            '(stored, duplicate or rejected with its errors), in request order. Publishing an eventId again with the same content ' +
            'is a duplicate and changes nothing; with other content it is rejected (EVENT_ID_CONFLICT). Events may arrive in any order.',
          tags: ['tracking'],
          body: IngestRequestSchema,
          response: withProblems({ 200: IngestResponseSchema }),
        },
      },
      (request) => services.tracking.ingest(principalOf(request), request.body.events),
    );

    app.get(
      '/tracking',
      {
        schema: {
          summary: 'The timeline of a container, bill of lading, vessel (and voyage) or submission, with its current state',
          description: 'Give exactly one of container, bl, vessel (optionally with voyage) or submission. Events are ordered by event time, then by arrival.',
          tags: ['tracking'],
          querystring: TimelineQuerySchema,
          response: withProblems({ 200: TimelineSchema }),
        },
      },
      (request) => services.tracking.timeline(principalOf(request), timelineQueryOf(request.query)),
    );
  };
}
