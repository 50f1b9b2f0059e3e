import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import Type from 'typebox';
import { parseInterchange } from '../../formats/edifact/tokenizer.js';
import { readingEdifact } from '../edifact-problem.js';
import { interchangeToEvents } from '../../formats/edifact/tracking.js';
import {
  DeliveryListSchema,
  IngestRequestSchema,
  IngestResponseSchema,
  ReplayRequestSchema,
  StreamQuerySchema,
  SubscriptionCreatedSchema,
  SubscriptionListSchema,
  SubscriptionSchema,
  SubscriptionRequestSchema,
  TimelineQuerySchema,
  TimelineSchema,
  timelineQueryOf,
} from '../../modules/tracking/index.js';
import { FIELD_PROBLEMS, KouanError, fill } from '../../shared/errors.js';
import { principalOf, type Services } from '../app.js';
import { languageOf, withProblems } from '../problem.js';

/** The media type of UN/EDIFACT (RFC 1767); matched without regard to case. */
export const EDIFACT_MEDIA_TYPE = 'application/edifact';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function trackingRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const streams = new Set<ServerResponse>();
    // Open streams would keep the server from closing: cut them first (clients reconnect with Last-Event-ID).
    app.addHook('preClose', async () => {
      for (const stream of streams) stream.destroy();
    });

    app.post(
      '/events',
      {
        config: { action: 'tracking.publish' },
        schema: {
          summary: 'Publish tracking events (carriers and terminals: shipment, equipment, transport; agencies: clearance)',
          description:
            'A batch of up to 1000 events, each validated and stored on its own: the answer is 200 with one result per event ' +
            '(stored, duplicate or rejected with its errors), in request order. Publishing an eventId again with the same content ' +
            'is a duplicate and changes nothing; with other content it is rejected (EVENT_ID_CONFLICT). Events may arrive in any order. ' +
            'With Content-Type application/EDIFACT the body is a UN/EDIFACT interchange of IFTSTA, CODECO or COARRI messages: ' +
            'a malformed interchange is refused whole (EDIFACT_* problems name the segment and character); the events it maps to ' +
            'are validated like JSON ones, and segments that map to no event are listed in unmapped. docs/tracking.md has the mapping.',
          tags: ['tracking'],
          body: {
            content: {
              'application/json': { schema: IngestRequestSchema },
              // The bytes as sent: decoded by the UNB syntax identifier (and checked against a charset parameter).
              [EDIFACT_MEDIA_TYPE]: {
                schema: Type.Unsafe<Buffer>({
                  description: 'A UN/EDIFACT interchange (UNA/UNB … UNZ), as bytes in the repertoire its UNB syntax identifier names ' +
                    '(UNOA/UNOB ASCII, UNOC-UNOK ISO 8859 parts, UNOW/UNOY UTF-8); a UTF-8 byte order mark is allowed; a charset parameter must agree',
                }),
              },
            },
          },
          response: withProblems({ 200: IngestResponseSchema }),
        },
      },
      async (request) => {
        const caller = principalOf(request);
        const body: unknown = request.body;
        if (!(body instanceof Uint8Array)) return services.tracking.ingest(caller, (body as { events: unknown[] }).events);
        const mapped = interchangeToEvents(parseEdifact(body, contentTypeCharset(request.headers['content-type'])));
        if (mapped.events.length > 1000) throw new KouanError('REQUEST_INVALID', { errors: [{ path: '$', code: 'FIELD_FORMAT', params: { format: 'an interchange of at most 1000 events' } }] });
        const unmapped = mapped.problems.map((problem) => ({
          segment: problem.segment.index,
          tag: problem.segment.tag,
          position: problem.position,
          code: 'EDIFACT_EVENT_UNMAPPED',
          message: fill(FIELD_PROBLEMS.EDIFACT_EVENT_UNMAPPED.en, { message: problem.message }),
        }));
        if (mapped.events.length === 0) return { stored: 0, duplicates: 0, rejected: 0, results: [], unmapped };
        return { ...(await services.tracking.ingest(caller, mapped.events)), unmapped };
      },
    );

    app.get(
      '/tracking',
      {
        config: { action: 'tracking.read' },
        schema: {
          summary: 'The timeline of a container, bill of lading, vessel (and voyage) or submission, with its current state',
          description:
            'Give exactly one of container, bl, vessel (optionally with voyage) or submission. Events are ordered by event time, then by arrival; ' +
            'only those you may see are shown (docs/tracking.md, "Who sees what"), and a container or bill of lading you have no standing on is 404. ' +
            'Events a replacement superseded or a cancellation retracted stay, marked supersededBy / retractedBy, and count for nothing in current. ' +
            "A container's current is that of the shipment it is on now (shipments[], each event labelled with its shipment). " +
            'current.text is in the language of Accept-Language (zh or en), times in the platform time zone (GET /api/v1/platform) with their offset.',
          tags: ['tracking'],
          querystring: TimelineQuerySchema,
          response: withProblems({ 200: TimelineSchema }),
        },
      },
      (request) => services.tracking.timeline(principalOf(request), timelineQueryOf(request.query), request.query.limit, { language: languageOf(request), timeZone: services.platform.timeZone }),
    );

    app.get(
      '/tracking/stream',
      {
        config: { action: 'tracking.read' },
        schema: {
          summary: 'Follow a reference as server-sent events',
          description:
            'The same reference as GET /tracking. Each event the caller may see is sent as `id: <seq>`, `event: tracking`, `data: <event JSON>`; ' +
            'a reconnecting client sends Last-Event-ID and gets everything after it, so nothing is missed. Without it the stream starts with the next event. ' +
            'A client too far behind gets a last `event: resume` (with the id to resume after) and is closed. Open streams are capped per API key and per party (429 STREAM_LIMIT).',
          tags: ['tracking'],
          querystring: StreamQuerySchema,
          headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
          response: withProblems({ 200: Type.String({ description: 'text/event-stream' }) }),
        },
      },
      async (request, reply) => {
        const lastEventId = request.headers['last-event-id'];
        // Standing and the caps are checked before the stream starts, so that a refusal is an ordinary problem.
        const ticket = await services.trackingStreams.admit(principalOf(request), timelineQueryOf(request.query), typeof lastEventId === 'string' ? Number(lastEventId) : undefined);
        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-accel-buffering': 'no' });
        out.write('retry: 2000\n\n');
        streams.add(out);
        let stop: (() => void) | undefined;
        out.on('close', () => {
          // The client went away: drop the half-open socket too, or it would hold the server open.
          out.destroy();
          streams.delete(out);
          if (stop === undefined) ticket.cancel();
          else stop();
        });
        try {
          stop = await ticket.attach({ write: (text) => out.write(text), onDrain: (listener) => out.on('drain', listener), end: () => out.end() });
          if (out.destroyed) stop();
        } catch (error) {
          request.log.error({ err: error }, 'tracking stream could not start; the client will reconnect');
          out.end();
        }
      },
    );

    app.post(
      '/subscriptions',
      {
        config: { action: 'tracking.read' },
        schema: {
          summary: 'Subscribe a webhook to the events of a reference you may follow',
          description:
            'Give exactly one of container, bl, vessel (with voyage) or submission, and the URL. From the next event on, Kouan POSTs ' +
            '{subscriptionId, reference, events[]} (only the events you may see) with Kouan-Subscription-Id, Kouan-Delivery-Attempt and ' +
            'Kouan-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the returned secret>. A 2xx answer moves ' +
            'the subscription on; anything else is retried with backoff (2 s doubling, at most 1 h); after 15 failures in a row it is ' +
            'failing until POST …/replay. Events are delivered in log order, at least once: deduplicate by eventId.',
          tags: ['tracking'],
          body: SubscriptionRequestSchema,
          response: withProblems({ 201: SubscriptionCreatedSchema }),
        },
      },
      async (request, reply) => {
        const created = await services.trackingSubscriptions.subscribe(principalOf(request), timelineQueryOf(request.body), request.body.url);
        request.auditSubject = { resource: created.id, owner: null };
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/subscriptions',
      { config: { action: 'tracking.read' }, schema: { summary: 'Your subscriptions and how their deliveries are going', tags: ['tracking'], response: withProblems({ 200: SubscriptionListSchema }) } },
      async (request) => ({ subscriptions: await services.trackingSubscriptions.list(principalOf(request)) }),
    );

    app.get(
      '/subscriptions/:id',
      { config: { action: 'tracking.read' }, schema: { summary: 'One subscription', tags: ['tracking'], params: IdParams, response: withProblems({ 200: SubscriptionSchema }) } },
      (request) => services.trackingSubscriptions.get(principalOf(request), request.params.id),
    );

    app.get(
      '/subscriptions/:id/deliveries',
      {
        config: { action: 'tracking.read' },
        schema: {
          summary: "A subscription's latest delivery attempts, failed ones with the answer or error",
          tags: ['tracking'],
          params: IdParams,
          response: withProblems({ 200: DeliveryListSchema }),
        },
      },
      (request) => services.trackingSubscriptions.deliveries(principalOf(request), request.params.id),
    );

    app.post(
      '/subscriptions/:id/replay',
      {
        config: { action: 'tracking.read' },
        schema: {
          summary: 'Deliver again now: from fromSeq, or from where delivery stopped (also restarts a failing subscription)',
          tags: ['tracking'],
          params: IdParams,
          body: ReplayRequestSchema,
          response: withProblems({ 200: SubscriptionSchema }),
        },
      },
      (request) => services.trackingSubscriptions.replay(principalOf(request), request.params.id, request.body.fromSeq),
    );

    app.delete(
      '/subscriptions/:id',
      { config: { action: 'tracking.read' }, schema: { summary: 'End a subscription', tags: ['tracking'], params: IdParams, response: withProblems({ 204: Type.Null() }) } },
      async (request, reply) => {
        await services.trackingSubscriptions.remove(principalOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}

/** The interchange, or the problem+json of the first thing wrong with it. */
function parseEdifact(bytes: Uint8Array, charset: string | undefined): ReturnType<typeof parseInterchange> {
  return readingEdifact(() => parseInterchange(bytes, {}, charset === undefined ? {} : { charset }));
}

/** The charset parameter of a Content-Type (RFC 9110: case-insensitive name, token or quoted value), if any. */
export function contentTypeCharset(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, ...rest] = parameter.split('=');
    if (name?.trim().toLowerCase() !== 'charset') continue;
    const raw = rest.join('=').trim();
    return raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
  }
  return undefined;
}
