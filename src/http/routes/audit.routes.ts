import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditPageSchema, AuditQuerySchema, type AuditService } from '../../modules/audit/index.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';

export function auditRoutes(services: { readonly audit: AuditService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        config: { action: 'audit.read' },
        schema: {
          summary: "The audit log of the operator's tenant, oldest first",
          description:
            'Who did what, when, from where and with what outcome: every write, and every read of another party\'s data by an agency or operator. ' +
            '`party` matches records where the party acted or whose data was concerned. Read with a cursor: pass the `next` of the previous page as `after`. ' +
            'Each record carries the hash chaining it to the one before; `kouan audit verify` checks the whole chain.',
          tags: ['operators'],
          querystring: AuditQuerySchema,
          response: withProblems({ 200: AuditPageSchema }),
        },
      },
      (request) => {
        const principal = principalOf(request);
        return services.audit.query(principal, request.query);
      },
    );
  };
}
