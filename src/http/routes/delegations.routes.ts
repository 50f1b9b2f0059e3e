import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DelegationPageSchema, DelegationSchema, GrantDelegationSchema, ListDelegationsQuerySchema, type DelegationsService } from '../../modules/delegations/index.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function delegationsRoutes(services: { readonly delegations: DelegationsService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/delegations',
      {
        config: { action: 'delegation.grant' },
        schema: {
          summary: 'Authorise a customs broker to declare for you (委托报关)',
          description:
            'The caller, an enterprise, is the principal. The agent must be a registered enterprise with the broker role. ' +
            "The broker may then declare the listed document types in the listed directions for you, from validFrom to validTo (UTC days, inclusive). " +
            'Problems answer 422 DELEGATION_INVALID with every field at fault.',
          tags: ['delegations'],
          body: GrantDelegationSchema,
          response: withProblems({ 201: DelegationSchema }),
        },
      },
      async (request, reply) => {
        const delegation = await services.delegations.grant(principalOf(request), request.body);
        request.auditSubject = { resource: delegation.id, owner: delegation.principal };
        void reply.header('location', `/api/v1/delegations/${delegation.id}`);
        return reply.status(201).send(delegation);
      },
    );

    app.get(
      '/delegations',
      {
        config: { action: 'delegation.read' },
        schema: {
          summary: 'Delegations you granted (role=granted) or received as a broker (role=received), newest first',
          tags: ['delegations'],
          querystring: ListDelegationsQuerySchema,
          response: withProblems({ 200: DelegationPageSchema }),
        },
      },
      (request) => services.delegations.list(principalOf(request), request.query),
    );

    app.get(
      '/delegations/:id',
      { config: { action: 'delegation.read' }, schema: { summary: 'One delegation, for its principal or its broker', tags: ['delegations'], params: IdParams, response: withProblems({ 200: DelegationSchema }) } },
      (request) => services.delegations.get(principalOf(request), request.params.id),
    );

    app.post(
      '/delegations/:id/revoke',
      {
        config: { action: 'delegation.grant' },
        schema: {
          summary: 'End a delegation now: by its principal, or by its broker renouncing it',
          description: 'From the answer on, no declaration relies on it. 409 DELEGATION_REVOKED when it already was revoked; 404 for anyone but the two parties.',
          tags: ['delegations'],
          params: IdParams,
          response: withProblems({ 200: DelegationSchema }),
        },
      },
      async (request) => {
        const delegation = await services.delegations.revoke(principalOf(request), request.params.id);
        request.auditSubject = { resource: delegation.id, owner: delegation.principal };
        return delegation;
      },
    );
  };
}
