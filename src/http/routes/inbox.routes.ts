import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { InboxMessageSchema, InboxPageSchema } from '../../modules/exchange/index.js';
import { principalOf } from '../app.js';
import type { Services } from '../app.js';
import { withProblems } from '../problem.js';

export function inboxRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/inbox',
      {
        config: { action: 'inbox.read' },
        schema: {
          summary: "The agency's inbox, oldest first",
          description: 'Read with a cursor: pass the `next` of the previous page as `after`. Messages keep their id when redelivered; deduplicate on messageId.',
          tags: ['agencies'],
          querystring: Type.Object(
            {
              after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
              unacked: Type.Optional(Type.Boolean({ description: 'Only messages not yet acknowledged' })),
            },
            { additionalProperties: false },
          ),
          response: withProblems({ 200: InboxPageSchema }),
        },
      },
      (request) => {
        const principal = principalOf(request);
        return services.exchange.readInbox(principal, request.query.after ?? 0, request.query.limit ?? 100, request.query.unacked ?? false);
      },
    );

    app.post(
      '/inbox/:messageId/ack',
      {
        config: { action: 'inbox.read' },
        schema: {
          summary: 'Acknowledge a message; its part becomes delivered',
          tags: ['agencies'],
          params: Type.Object({ messageId: Type.String({ maxLength: 64 }) }),
          response: withProblems({ 200: InboxMessageSchema }),
        },
      },
      (request) => {
        const principal = principalOf(request);
        return services.exchange.ack(principal, request.params.messageId);
      },
    );
  };
}
