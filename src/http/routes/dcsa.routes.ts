import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DCSA_API_VERSIONS, ingestDcsaEvents } from '../../formats/dcsa/dcsa.ingest.js';
import { Dcsa22RequestSchema, Dcsa30RequestSchema, DcsaIngestResponseSchema } from '../../formats/dcsa/dcsa.schema.js';
import { principalOf, type Services } from '../app.js';
import { withProblems } from '../problem.js';

// DCSA's API-Version request header is optional; when sent it must name the version of the URL (2.2: its MAJOR only,
// "2"; 3.0: the full version, "3.0.0"), so a publisher configured for the other version is told, not misread.
const apiVersionHeader = (major: number, example: string) =>
  Type.Object({
    'api-version': Type.Optional(Type.String({ maxLength: 20, pattern: `^${major}(\\.[0-9]+){0,2}$`, description: `DCSA API-Version: ${major}, or a full ${major}.x.y version such as ${example}` })),
  });

/** DCSA Track & Trace publishers' endpoints: where a carrier's DCSA push (subscription callback, POST /events) lands. */
export function dcsaRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/tracking/dcsa/v2/events',
      {
        config: { action: 'tracking.publish' },
        schema: {
          summary: 'Publish DCSA Track & Trace 2.2 events, as a DCSA publisher POSTs them to a subscription callback',
          description:
            'The body is what a DCSA T&T 2.2.0 publisher sends to a subscriber\'s callbackUrl: a JSON array of TransportEvent, ShipmentEvent and ' +
            'EquipmentEvent objects. Each event is checked against DCSA 2.2.0 and mapped to a Kouan event (docs/tracking.md, "DCSA Track & Trace"), ' +
            'then stored like one sent to POST /events (publisher roles, check digits, duplicates by eventID): 200 with one result per event, ' +
            'in request order, whose errors name the DCSA field (e.g. $.equipmentReference).',
          tags: ['tracking'],
          headers: apiVersionHeader(2, '2.2.0'),
          body: Dcsa22RequestSchema,
          response: withProblems({ 200: DcsaIngestResponseSchema }),
        },
      },
      async (request, reply) => {
        const caller = principalOf(request);
        void reply.header('api-version', DCSA_API_VERSIONS['2.2']);
        return ingestDcsaEvents(services.tracking, caller, '2.2', request.body);
      },
    );

    app.post(
      '/tracking/dcsa/v3/events',
      {
        config: { action: 'tracking.publish' },
        schema: {
          summary: 'Publish DCSA Track & Trace 3.0 events, as an Event Producer POSTs them to an Event Consumer',
          description:
            'The body is DCSA T&T 3.0.0 PostEventsRequest, {"events": [Event, ...]}: SHIPMENT, TRANSPORT, EQUIPMENT, IOT and REEFER events. ' +
            'Each event is checked against DCSA 3.0.0, mapped (docs/tracking.md, "DCSA Track & Trace") and stored like one sent to POST /events: ' +
            '200 with one result per event in request order, and DCSA feedbackElements (severity ERROR, propertyPath $.events[i]...) for each problem. ' +
            'An event with the same eventID and a later eventUpdatedDateTime replaces the earlier one; isRetracted retracts it.',
          tags: ['tracking'],
          headers: apiVersionHeader(3, '3.0.0'),
          body: Dcsa30RequestSchema,
          response: withProblems({ 200: DcsaIngestResponseSchema }),
        },
      },
      async (request, reply) => {
        const caller = principalOf(request);
        void reply.header('api-version', DCSA_API_VERSIONS['3.0']);
        return ingestDcsaEvents(services.tracking, caller, '3.0', request.body.events);
      },
    );
  };
}
