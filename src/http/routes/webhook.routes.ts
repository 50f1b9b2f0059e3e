import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DeliveryListSchema, DeliveryQuerySchema } from '../../modules/delivery/index.js';
import { WebhookRegisteredSchema, WebhookRequestSchema, WebhookStatusSchema } from '../../modules/exchange/index.js';
import { principalOf, type Services } from '../app.js';
import { withProblems } from '../problem.js';

export function webhookRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/webhook',
      {
        config: { action: 'webhook.manage' },
        schema: {
          summary: "Register the agency's webhook: each inbox message is also pushed to it",
          description:
            'Kouan POSTs each message (the inbox message JSON) with headers Kouan-Message-Id, Kouan-Delivery-Attempt and ' +
            'Kouan-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the returned secret>. ' +
            'A 2xx answer acknowledges the message; anything else is retried with exponential backoff (2 s doubling, at most 1 h, less a random part of up to half, 15 attempts). ' +
            'The URL must be https on a public address (no loopback, private, link-local, ... address or local name; the default port or 1024-65535); ' +
            'its name is resolved and checked again at each push, redirects are not followed, and a push that gets no answer within 10 s is retried. ' +
            'Pull (GET /inbox) keeps working either way.',
          tags: ['agencies'],
          body: WebhookRequestSchema,
          response: withProblems({ 200: WebhookRegisteredSchema }),
        },
      },
      (request) => services.exchange.registerWebhook(principalOf(request), request.body.url),
    );

    app.get(
      '/webhook',
      { config: { action: 'webhook.manage' }, schema: { summary: "The agency's webhook and how its pushes are going", tags: ['agencies'], response: withProblems({ 200: WebhookStatusSchema }) } },
      (request) => services.exchange.webhook(principalOf(request)),
    );

    app.get(
      '/webhook/deliveries',
      {
        config: { action: 'webhook.manage' },
        schema: {
          summary: "The delivery records of the agency's webhook pushes, newest first",
          description: 'One record per message pushed: its status (pending, delivered, failed), attempts, last error and HTTP status, and when it is tried next.',
          tags: ['agencies'],
          querystring: DeliveryQuerySchema,
          response: withProblems({ 200: DeliveryListSchema }),
        },
      },
      (request) => services.exchange.webhookDeliveries(principalOf(request), request.query),
    );

    app.delete(
      '/webhook',
      { config: { action: 'webhook.manage' }, schema: { summary: "Remove the agency's webhook; pending pushes are dropped, the inbox keeps every message", tags: ['agencies'], response: withProblems({ 204: Type.Null() }) } },
      async (request, reply) => {
        await services.exchange.removeWebhook(principalOf(request));
        return reply.status(204).send(null);
      },
    );
  };
}
